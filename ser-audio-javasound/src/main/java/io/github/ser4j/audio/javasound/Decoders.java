package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.UnsupportedAudioException;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens and probes encoded audio: recognises the container from the first 12 bytes, parses it with
 * {@link Containers} (or {@link FlacSource} for FLAC), and hands anything else to the {@code javax.sound.sampled}
 * service providers on the class path. Every failure is a typed {@link AudioException} naming the input.
 *
 * <p>Stateless and thread-safe.
 */
final class Decoders {
    private static final int BUFFER = 1 << 16;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Decoders.class);

    /** Opens the input from its start. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * An input to decode.
     *
     * @param name       what to call it in messages
     * @param length     its length in bytes, or -1 for a stream
     * @param opener     opens it from the start (once only for a stream)
     * @param reopenable whether {@code opener} may be called again (files and byte arrays)
     */
    record Origin(String name, long length, Opener opener, boolean reopenable) {
    }

    private interface Step<T> {
        T apply(ByteInput in, byte[] head, int n) throws IOException;
    }

    private Decoders() {
    }

    static Origin of(Path path) {
        String name = path.toString();
        try {
            if (Files.isDirectory(path)) {
                throw new AudioException(name + " is a directory, not an audio file");
            }
            long length = Files.size(path);
            return new Origin(name, length, () -> Files.newInputStream(path), true);
        } catch (NoSuchFileException e) {
            throw new AudioException(name + (Files.isSymbolicLink(path) ? ": a dangling symbolic link (to "
                    + target(path) + ", which does not exist)" : ": no such file"), e);
        } catch (AccessDeniedException e) {
            throw new AudioException(name + ": permission denied", e);
        } catch (IOException e) {
            throw new AudioException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | RuntimeException e) {
            return "a missing file";
        }
    }

    static Origin of(byte[] encoded) {
        byte[] copy = encoded.clone();
        return new Origin("byte array of " + copy.length + " bytes", copy.length, () -> new ByteArrayInputStream(copy),
                true);
    }

    static Origin of(InputStream in) {
        boolean[] used = new boolean[1];
        return new Origin("input stream", -1, () -> {
            if (used[0]) {
                throw new IllegalStateException("a stream can be read once");
            }
            used[0] = true;
            return in;
        }, false);
    }

    static AudioSource open(Origin o, TruncationPolicy policy) {
        return run(o, true, (in, head, n) -> {
            Containers.Kind kind = Containers.sniff(head, n);
            if (Containers.isPcm(kind)) {
                return pcm(o, in, Containers.parsePcm(kind, in, head, o.reopenable()), policy);
            }
            switch (kind) {
                case FLAC: {
                    FlacSource.StreamInfo si = FlacSource.parseStreamInfo(in, head);
                    FlacSource.skipMetadata(in, head);
                    return FlacSource.open(in, si, policy, o.name());
                }
                case TRUNCATED:
                    throw truncatedHeader(o, n);
                default:
                    return javaSound(o, in, head, n, policy);
            }
        });
    }

    static AudioFileInfo probe(Origin o) {
        return run(o, false, (in, head, n) -> {
            Containers.Kind kind = Containers.sniff(head, n);
            if (Containers.isPcm(kind)) {
                return info(in, Containers.parsePcm(kind, in, head, o.reopenable()));
            }
            switch (kind) {
                case FLAC: {
                    FlacSource.StreamInfo si = FlacSource.parseStreamInfo(in, head);
                    long total = si.totalSamples() > 0 ? si.totalSamples() : -1;
                    return AudioFileInfo.of(AudioContainer.FLAC, SampleEncoding.FLAC, si.sampleRate(), si.channels(),
                            si.bits(), total, false);
                }
                case TRUNCATED:
                    throw truncatedHeader(o, n);
                default:
                    return javaSoundInfo(o, in, head, n);
            }
        });
    }

    /** Opens the input, reads the first bytes, runs {@code step}; closes the input on failure (or always). */
    private static <T> T run(Origin o, boolean keepOpen, Step<T> step) {
        ByteInput in = null;
        boolean ok = false;
        try {
            InputStream raw = o.opener().open();
            in = new ByteInput(raw instanceof BufferedInputStream || raw instanceof ByteArrayInputStream
                    ? raw : new BufferedInputStream(raw, BUFFER), o.name(), o.length());
            byte[] head = new byte[Containers.SNIFF_BYTES];
            int n = in.readUpTo(head, 0, head.length);
            if (n == 0) {
                throw new CorruptAudioException(o.name() + " is empty (0 bytes): no audio header");
            }
            T result = step.apply(in, head, n);
            ok = keepOpen;
            return result;
        } catch (NoSuchFileException e) {
            throw new AudioException(o.name() + ": no such file", e);
        } catch (IOException e) {
            throw new AudioException(o.name() + ": cannot read: " + e.getMessage(), e);
        } finally {
            if (!ok && in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // already failing or done: the first outcome is what matters
                }
            }
        }
    }

    private static long available(ByteInput in, Layout l) {
        long available = in.length() >= 0 ? Math.max(0, in.length() - l.dataOffset) : -1;
        if (l.regionBytes >= 0) {
            available = available < 0 ? l.regionBytes : Math.min(available, l.regionBytes);
        }
        return available;
    }

    private static AudioFileInfo info(ByteInput in, Layout l) {
        long available = available(in, l);
        long bytes = l.dataBytes(available, TruncationPolicy.READ_AVAILABLE, in);
        return l.info(bytes, l.mismatch(available));
    }

    private static AudioSource pcm(Origin o, ByteInput in, Layout l, TruncationPolicy policy) throws IOException {
        long available = available(in, l);
        long bytes = l.dataBytes(available, policy, in);
        if (l.mismatch(available) && !l.placeholderSize) {
            LOG.warn("{}: truncated: the header declares {} bytes of samples, the file holds {}; read what is there",
                    o.name(), l.declaredBytes, available);
        }
        long frameLength = in.length() >= 0 && bytes >= 0 ? bytes / l.frameBytes() : -1;
        InputStream data = in;
        if (l.dataBeforeFormat) {
            in.close();
            ByteInput again = new ByteInput(new BufferedInputStream(o.opener().open(), BUFFER), o.name(), o.length());
            data = again;
            again.skipFully(l.dataOffset, "samples");
        }
        long declaredFrames = l.declaredBytes >= 0 && !l.placeholderSize ? l.declaredBytes / l.frameBytes() : -1;
        return new PcmStreamSource(data, l.codec, new PcmFormat(l.sampleRate, l.channels), bytes, frameLength,
                declaredFrames, policy, o.name(), l.container.toString());
    }

    private static CorruptAudioException truncatedHeader(Origin o, int n) {
        return new CorruptAudioException(o.name() + " is only " + n + " bytes long: it ends inside its header");
    }

    // ------------------------------------------------------------------------------------- javax.sound providers

    private static AudioSource javaSound(Origin o, ByteInput in, byte[] head, int n, TruncationPolicy policy)
            throws IOException {
        AudioInputStream ais;
        try {
            ais = AudioSystem.getAudioInputStream(replay(in, head, n));
        } catch (AudioException e) {
            throw named(o, e); // a provider that took the stream found it damaged or unsupported: say so
        } catch (UnsupportedAudioFileException | EOFException | RuntimeException e) {
            throw unrecognised(o, head, n, e);
        }
        AudioFormat f = ais.getFormat();
        PcmFormat format;
        try {
            format = javaSoundFormat(o, f);
        } catch (RuntimeException e) {
            ais.close();
            throw e;
        }
        PcmCodec codec = codecFor(f);
        if (codec == null) {
            AudioFormat target = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16,
                    f.getChannels(), 2 * Math.max(1, f.getChannels()), f.getSampleRate(), false);
            if (!AudioSystem.isConversionSupported(target, f)) {
                ais.close();
                throw new UnsupportedAudioException(o.name() + ": a javax.sound provider reads this " + f.getEncoding()
                        + " audio, but none converts it to PCM");
            }
            ais = AudioSystem.getAudioInputStream(target, ais);
            codec = PcmCodec.integer(2, true, false);
        }
        return new PcmStreamSource(ais, codec, format, -1, -1, policy, o.name(), "javax.sound");
    }

    private static AudioFileInfo javaSoundInfo(Origin o, ByteInput in, byte[] head, int n) throws IOException {
        AudioFileFormat ff;
        try {
            ff = AudioSystem.getAudioFileFormat(replay(in, head, n));
        } catch (AudioException e) {
            throw named(o, e);
        } catch (UnsupportedAudioFileException | EOFException | RuntimeException e) {
            throw unrecognised(o, head, n, e);
        }
        AudioFormat f = ff.getFormat();
        PcmFormat format = javaSoundFormat(o, f);
        // NOT_SPECIFIED is -1, but a provider reported -16776816 for a damaged header (fuzz regression input)
        long frames = ff.getFrameLength() < 0 ? -1 : ff.getFrameLength();
        int bits = f.getSampleSizeInBits() == AudioSystem.NOT_SPECIFIED ? 0 : f.getSampleSizeInBits();
        return AudioFileInfo.of(AudioContainer.OTHER, SampleEncoding.OTHER, format.sampleRate(), format.channels(),
                bits, frames, false);
    }

    /** A provider's typed error (ser-audio-codecs throws them), with the input's name in front. */
    private static AudioException named(Origin o, AudioException e) {
        String m = o.name() + ": " + e.getMessage();
        if (e instanceof CorruptAudioException) {
            return new CorruptAudioException(m, e);
        }
        if (e instanceof UnsupportedAudioException) {
            return new UnsupportedAudioException(m, e);
        }
        return new AudioException(m, e);
    }

    /** The provider's format, checked: both the decoding and the probing path go through here. */
    private static PcmFormat javaSoundFormat(Origin o, AudioFormat f) {
        if ("FLAC".equalsIgnoreCase(f.getEncoding().toString())) {
            // jFLAC's javax.sound provider takes streams for FLAC that lack the marker, and sizes its metadata
            // buffers by their declared lengths (hundreds of MB for a 138-byte input found by fuzzing): FLAC is
            // decoded only by FlacSource, whose buffers are bounded
            throw new CorruptAudioException(o.name() + ": a javax.sound provider takes this for FLAC, but it does not"
                    + " start with the 'fLaC' marker, so it is not a valid FLAC stream");
        }
        float rate = f.getSampleRate();
        int channels = f.getChannels();
        if (!(rate >= 1 && rate <= PcmFormat.MAX_SAMPLE_RATE) || channels < 1 || channels > PcmFormat.MAX_CHANNELS) {
            throw new UnsupportedAudioException(o.name() + ": a javax.sound provider reports " + f
                    + ", outside the supported 1-" + PcmFormat.MAX_SAMPLE_RATE + " Hz and 1-" + PcmFormat.MAX_CHANNELS
                    + " channels");
        }
        return new PcmFormat(Math.round(rate), channels);
    }

    private static InputStream replay(ByteInput in, byte[] head, int n) {
        // javax.sound readers need mark/reset: give them the sniffed bytes back, buffered
        return new BufferedInputStream(new SequenceInputStream(new ByteArrayInputStream(head, 0, n), in), BUFFER);
    }

    /** {@return a codec for PCM the providers deliver as is, or null when it needs converting} */
    static PcmCodec codecFor(AudioFormat f) {
        int bits = f.getSampleSizeInBits();
        int channels = f.getChannels();
        if (channels < 1 || bits < 1 || f.getFrameSize() != channels * ((bits + 7) / 8)) {
            return null;
        }
        int bytes = (bits + 7) / 8;
        AudioFormat.Encoding e = f.getEncoding();
        if (AudioFormat.Encoding.PCM_SIGNED.equals(e) && bytes <= 4) {
            return PcmCodec.integer(bytes, true, f.isBigEndian());
        }
        if (AudioFormat.Encoding.PCM_UNSIGNED.equals(e) && bytes == 1) {
            return PcmCodec.integer(1, false, false);
        }
        if (AudioFormat.Encoding.PCM_FLOAT.equals(e) && (bits == 32 || bits == 64)) {
            return new PcmCodec(bits == 32 ? PcmCodec.Kind.F32 : PcmCodec.Kind.F64, f.isBigEndian());
        }
        if (AudioFormat.Encoding.ULAW.equals(e) && bits == 8) {
            return new PcmCodec(PcmCodec.Kind.ULAW, false);
        }
        if (AudioFormat.Encoding.ALAW.equals(e) && bits == 8) {
            return new PcmCodec(PcmCodec.Kind.ALAW, false);
        }
        return null;
    }

    private static UnsupportedAudioException unrecognised(Origin o, byte[] head, int n, Exception cause) {
        return new UnsupportedAudioException(o.name() + ": not a recognised audio file (it starts with "
                + describe(head, n) + "); supported: WAV (RIFF, RF64, BW64), AIFF, AIFC, AU and FLAC, recognised "
                + "from their bytes, and whatever a javax.sound service provider on the class path reads", cause);
    }

    /** {@return the first bytes as quoted text (non-printables as dots) and hex} */
    static String describe(byte[] b, int n) {
        StringBuilder text = new StringBuilder("\"");
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            text.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
            hex.append(i == 0 ? "" : " ").append(String.format("%02X", c));
        }
        return text.append("\", ").append(hex).toString();
    }
}
