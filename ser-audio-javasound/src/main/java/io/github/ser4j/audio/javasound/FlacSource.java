package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.UnsupportedAudioException;
import org.jflac.ChannelData;
import org.jflac.FLACDecoder;
import org.jflac.FrameListener;
import org.jflac.frame.Frame;
import org.jflac.metadata.Metadata;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * Decodes FLAC with jFLAC ({@code org.jflac:jflac-codec}), frame by frame. The STREAMINFO block and the skipping of
 * the other metadata blocks are ours (bounds-checked, nothing allocated by a declared size: a 16 MB picture block is
 * skipped, not read); jFLAC sees only STREAMINFO and the audio frames. Damage jFLAC would paper over (a frame whose
 * CRC fails, which it outputs as silence; a frame it cannot parse, which it skips; frames missing in the middle) is
 * reported as {@link CorruptAudioException}; a stream that ends before the STREAMINFO total follows the
 * {@link TruncationPolicy}.
 *
 * <p>Not thread-safe, like every {@link AudioSource}; {@link #close()} may come from another thread.
 */
final class FlacSource implements AudioSource {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FlacSource.class);
    /** The parsed STREAMINFO block. */
    record StreamInfo(int minBlock, int maxBlock, int sampleRate, int channels, int bits, long totalSamples,
                      byte[] raw) {
    }

    private final InputStream in;
    private final FLACDecoder decoder;
    private final StreamInfo info;
    private final PcmFormat format;
    private final TruncationPolicy policy;
    private final String name;
    private final float scale;
    private float[] pending;
    private int pendingPos;
    private int pendingLen;
    private long decoded;
    private boolean ended;
    private volatile boolean closed;
    private String lastError;

    private FlacSource(InputStream in, StreamInfo info, TruncationPolicy policy, String name) throws IOException {
        this.in = new FailureTracking(in);
        this.info = info;
        this.policy = policy;
        this.name = name;
        this.format = new PcmFormat(info.sampleRate(), info.channels());
        this.scale = 1f / (1 << (info.bits() - 1));
        this.pending = new float[Math.max(16, info.maxBlock()) * info.channels()];
        this.decoder = new FLACDecoder(this.in);
        decoder.addFrameListener(new FrameListener() {
            @Override
            public void processMetadata(Metadata metadata) {
            }

            @Override
            public void processFrame(Frame frame) {
            }

            @Override
            public void processError(String msg) {
                lastError = msg;
                if (msg != null && (msg.startsWith("Found bad header") || msg.startsWith("ReadSubframe"))
                        && !msg.contains("EOFException")) { // the end of a truncated file is the policy's business
                    // jFLAC would go on searching for the next frame, and on some damaged streams it never
                    // finds one nor the end (a busy loop): a damaged frame is reported at once instead
                    throw new FrameDamage(msg);
                }
            }
        });
        decoder.readMetadata(); // reads just our STREAMINFO block (marked last)
    }

    /**
     * Parses the STREAMINFO block that follows the 4-byte marker. {@code head} holds the first 12 bytes of the
     * stream; {@code in} is positioned after them.
     */
    static StreamInfo parseStreamInfo(ByteInput in, byte[] head) throws IOException {
        int type = head[4] & 0x7F;
        long length = (head[5] & 0xFFL) << 16 | (head[6] & 0xFFL) << 8 | (head[7] & 0xFFL);
        if (type != 0) {
            throw in.corrupt("FLAC metadata starts with a block of type " + type + ", not STREAMINFO");
        }
        if (length < 34) {
            throw in.corrupt("FLAC STREAMINFO block of " + length + " bytes is shorter than 34");
        }
        byte[] si = new byte[34];
        System.arraycopy(head, 8, si, 0, 4);
        in.readFully(si, 4, 30, "FLAC STREAMINFO block");
        if (length - 34 > in.remaining()) {
            throw in.corrupt("FLAC STREAMINFO block declares " + length + " bytes, past the end of the file");
        }
        in.skipFully(length - 34, "FLAC STREAMINFO block");
        int minBlock = (si[0] & 0xFF) << 8 | (si[1] & 0xFF);
        int maxBlock = (si[2] & 0xFF) << 8 | (si[3] & 0xFF);
        int rate = (si[10] & 0xFF) << 12 | (si[11] & 0xFF) << 4 | (si[12] & 0xF0) >> 4;
        int channels = ((si[12] & 0x0E) >> 1) + 1;
        int bits = ((si[12] & 0x01) << 4 | (si[13] & 0xF0) >> 4) + 1;
        long total = (si[13] & 0x0FL) << 32 | ByteInput.be32(si, 14);
        if (rate == 0) {
            throw in.corrupt("FLAC STREAMINFO declares a sample rate of 0 Hz");
        }
        if (maxBlock < 16 || minBlock > maxBlock) {
            throw in.corrupt("FLAC STREAMINFO declares block sizes " + minBlock + " to " + maxBlock
                    + " (at least 16, min no more than max)");
        }
        if (bits < 4) {
            throw in.corrupt("FLAC STREAMINFO declares " + bits + " bits per sample (at least 4)");
        }
        if (bits > 24) {
            throw new UnsupportedAudioException(in.name() + ": FLAC with " + bits + " bits per sample is not "
                    + "supported; supported: 4 to 24");
        }
        Chunks.checkChannelsAndRate(in, "FLAC", channels, rate);
        return new StreamInfo(minBlock, maxBlock, rate, channels, bits, total, si);
    }

    /** Skips the metadata blocks after STREAMINFO, leaving {@code in} at the first audio frame. */
    static void skipMetadata(ByteInput in, byte[] head) throws IOException {
        boolean last = (head[4] & 0x80) != 0;
        byte[] h = new byte[4];
        int blocks = 0;
        while (!last) {
            in.readFully(h, 0, 4, "FLAC metadata block header");
            last = (h[0] & 0x80) != 0;
            int type = h[0] & 0x7F;
            long length = (h[1] & 0xFFL) << 16 | (h[2] & 0xFFL) << 8 | (h[3] & 0xFFL);
            if (type == 127) {
                throw in.corrupt("invalid FLAC metadata block type 127 at offset " + (in.position() - 4));
            }
            if (length > in.remaining()) {
                throw in.corrupt("FLAC metadata block of type " + type + " declares " + length
                        + " bytes but only " + in.remaining() + " remain in the file");
            }
            in.skipFully(length, "FLAC metadata block of type " + type);
            if (++blocks > 1_000_000) {
                throw in.corrupt("more than a million FLAC metadata blocks");
            }
        }
    }

    /**
     * @param in   positioned at the first audio frame (after all metadata); owned from now on
     * @param info the STREAMINFO block
     */
    static FlacSource open(InputStream in, StreamInfo info, TruncationPolicy policy, String name) throws IOException {
        byte[] header = new byte[8 + 34];
        header[0] = 'f';
        header[1] = 'L';
        header[2] = 'a';
        header[3] = 'C';
        header[4] = (byte) 0x80; // STREAMINFO, last metadata block
        header[7] = 34;
        System.arraycopy(info.raw(), 0, header, 8, 34);
        return new FlacSource(new SequenceInputStream(new ByteArrayInputStream(header), in), info, policy, name);
    }

    @Override
    public PcmFormat format() {
        return format;
    }

    /** {@return the STREAMINFO total of frames, or -1 when it states none (what the file claims, not checked)} */
    long declaredFrames() {
        return info.totalSamples() > 0 ? info.totalSamples() : -1;
    }

    /** {@return -1: the STREAMINFO total cannot be checked without decoding (see {@link JavaSoundAudio#probe})} */
    @Override
    public long frameLength() {
        return -1;
    }

    @Override
    public int read(float[] buffer, int offset, int frames) throws IOException {
        int channels = format.channels();
        PcmStreamSource.checkRange(buffer, offset, frames, channels);
        while (pendingPos == pendingLen) {
            if (closed || ended) {
                return -1;
            }
            decodeFrame();
        }
        int n = Math.min(frames, (pendingLen - pendingPos) / channels);
        System.arraycopy(pending, pendingPos, buffer, offset, n * channels);
        pendingPos += n * channels;
        return n;
    }

    private void decodeFrame() throws IOException {
        long total = info.totalSamples();
        if (total > 0 && decoded >= total) {
            ended = true;
            return;
        }
        int badBefore = decoder.getBadFrames();
        lastError = null;
        Frame frame;
        try {
            frame = decoder.readNextFrame();
        } catch (IOException e) {
            if (closed) {
                ended = true;
                return;
            }
            if (((FailureTracking) in).failure != null) {
                throw e; // the underlying stream failed: a real I/O error
            }
            if (e instanceof java.io.EOFException) {
                frame = null; // the bytes end inside a frame: truncated, like a stream that ends between frames
            } else {
                // jFLAC reports a frame it cannot parse as a plain IOException (e.g. STREAM_DECODER_UNPARSEABLE_STREAM)
                throw new CorruptAudioException(name + ": the FLAC frame after sample " + decoded
                        + " cannot be decoded: " + e.getMessage(), e);
            }
        } catch (FrameDamage e) {
            throw new CorruptAudioException(name + ": damaged FLAC frame after sample " + decoded + " ("
                    + e.getMessage() + ")");
        } catch (RuntimeException e) {
            throw new CorruptAudioException(name + ": the FLAC frame after sample " + decoded
                    + " cannot be decoded: " + e, e);
        }
        if (decoder.getBadFrames() > badBefore) {
            throw new CorruptAudioException(name + ": damaged FLAC frame after sample " + decoded
                    + (lastError != null ? " (" + lastError + ")" : ""));
        }
        if (frame == null) {
            ended = true;
            if (total > 0 && decoded < total && policy == TruncationPolicy.REJECT) {
                throw new CorruptAudioException(name + ": the FLAC stream ends after " + decoded + " of the " + total
                        + " samples its STREAMINFO declares");
            }
            if (total > 0 && decoded < total && !closed) {
                LOG.warn("{}: truncated: the FLAC stream ends after {} of the {} samples its STREAMINFO declares; "
                        + "read what is there", name, decoded, total);
            }
            return;
        }
        if (lastError != null && lastError.startsWith("CRC")) {
            throw new CorruptAudioException(name + ": CRC mismatch in the FLAC frame at sample " + decoded
                    + " (the frame is damaged)");
        }
        org.jflac.frame.Header h = frame.header;
        if (h.sampleNumber != decoded) {
            throw new CorruptAudioException(name + ": FLAC frame for sample " + h.sampleNumber + " found where sample "
                    + decoded + " was expected (frames are missing or damaged)");
        }
        if (h.channels != info.channels() || h.bitsPerSample != info.bits() || h.sampleRate != info.sampleRate()) {
            throw new CorruptAudioException(name + ": FLAC frame at sample " + decoded + " has " + h.channels
                    + " channels of " + h.bitsPerSample + " bits at " + h.sampleRate + " Hz, but STREAMINFO says "
                    + info.channels() + " of " + info.bits() + " at " + info.sampleRate());
        }
        int n = h.blockSize;
        if (total > 0) {
            n = (int) Math.min(n, total - decoded);
        }
        int channels = info.channels();
        if (pending.length < n * channels) {
            pending = new float[h.blockSize * channels]; // block sizes are at most 65535: bounded
        }
        ChannelData[] data = decoder.getChannelData();
        for (int c = 0; c < channels; c++) {
            int[] out = data[c].getOutput();
            for (int i = 0, j = c; i < n; i++, j += channels) {
                pending[j] = out[i] * scale;
            }
        }
        decoded += h.blockSize;
        pendingPos = 0;
        pendingLen = n * channels;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        in.close();
    }

    /** Thrown from jFLAC's error callback to stop it at the first damaged frame. */
    private static final class FrameDamage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FrameDamage(String message) {
            super(message, null, false, false);
        }
    }

    /** Remembers an I/O failure of the underlying stream, to tell it from jFLAC's own parse errors. */
    private static final class FailureTracking extends java.io.FilterInputStream {
        volatile IOException failure;

        FailureTracking(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "FLAC " + name + " (" + info.bits() + "-bit, " + format + ")";
    }
}
