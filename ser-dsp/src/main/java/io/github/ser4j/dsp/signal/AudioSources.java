package io.github.ser4j.dsp.signal;

import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioLimitException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.PcmFormat;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns any {@link AudioSource} into what a model needs, on the fly: mono ({@link #toMono(AudioSource)}), at another
 * rate ({@link #resample(AudioSource, int)}), or both ({@link #monoAt(AudioSource, int)}); or reads a whole source
 * into memory with a size limit ({@link #readAllMono(AudioSource, int, long)}); or caps the decoding work a source may
 * cost ({@link #limit(AudioSource, long)}).
 *
 * <p>The wrappers stream: they hold a fixed-size buffer (a few thousand frames), never the whole signal, so they suit
 * files of any length and live microphones alike, and they allocate nothing per {@code read}. Their samples equal the
 * batch forms on the whole signal ({@link Signals#toMono(float[], int)} then {@link Resampler#resample(float[])}),
 * whatever the chunk sizes the source and the caller use. A wrapper owns its source: closing the wrapper closes it.
 * A source delivering NaN or infinite samples makes {@code read} throw {@link CorruptAudioException}.
 *
 * <p>Thread-safety: the class is stateless and thread-safe; each wrapper is an {@link AudioSource}, read by one
 * thread at a time (its {@link AudioSource#close()} may be called from another thread, as the source's allows).
 */
public final class AudioSources {
    /** Frames read from the underlying source at a time. */
    private static final int CHUNK = 4096;

    private AudioSources() {
    }

    /**
     * Down-mixes a source to mono (the mean of the channels, as {@code librosa.to_mono}).
     *
     * @param src a source; owned by the result from now on
     * @return {@code src} itself when already mono, else a mono source at the same rate
     */
    public static AudioSource toMono(AudioSource src) {
        Objects.requireNonNull(src, "src");
        PcmFormat format = Objects.requireNonNull(src.format(), "src.format()");
        return format.channels() == 1 ? src : new MonoSource(src, format);
    }

    /**
     * Resamples every channel of a source to {@code targetRate} with {@link Resampler} (the channels stay aligned).
     *
     * @param src        a source; owned by the result from now on
     * @param targetRate wanted rate in Hz
     * @return {@code src} itself when already at {@code targetRate}, else a source at that rate with as many channels,
     * whose {@link AudioSource#frameLength()} is {@link Resampler#outputLength(long)} of the source's when known
     * @throws IllegalArgumentException as {@link Resampler#of(int, int)}
     */
    public static AudioSource resample(AudioSource src, int targetRate) {
        Objects.requireNonNull(src, "src");
        PcmFormat format = Objects.requireNonNull(src.format(), "src.format()");
        if (format.sampleRate() == targetRate) {
            return src;
        }
        return new ResampledSource(src, format, Resampler.of(format.sampleRate(), targetRate));
    }

    /**
     * Down-mix then resample, streaming: what a recogniser uses to bring any source to its model's input.
     *
     * @param src        a source; owned by the result from now on
     * @param targetRate wanted rate in Hz
     * @return {@code src} itself when already mono at {@code targetRate}, else a mono source at that rate
     * @throws IllegalArgumentException as {@link Resampler#of(int, int)}
     */
    public static AudioSource monoAt(AudioSource src, int targetRate) {
        Objects.requireNonNull(src, "src");
        PcmFormat format = Objects.requireNonNull(src.format(), "src.format()");
        if (format.sampleRate() != targetRate) {
            Resampler.of(format.sampleRate(), targetRate); // fail on bad rates before wrapping anything
        }
        return resample(toMono(src), targetRate);
    }

    /**
     * Caps the decoding work of a source at {@code maxSamples} decoded samples (frames times channels, at the source's
     * own rate), whatever its duration says: 10 minutes of 8 channels at 192 kHz is 921.6 million samples, 10 minutes
     * of 16 kHz mono 9.6 million. Checked here when the source knows its length, else by the {@code read} that would
     * pass the limit, before the caller receives those samples. The wrapper allocates nothing.
     *
     * @param src        a source; owned by the result from now on (closed if this method throws)
     * @param maxSamples the most samples (frames x channels) the source may deliver, positive
     * @return a source delivering exactly what {@code src} delivers, up to the limit
     * @throws AudioLimitException      (from here or from {@code read}) when the source holds more samples than that
     * @throws IllegalArgumentException if {@code maxSamples} is not positive
     */
    public static AudioSource limit(AudioSource src, long maxSamples) {
        Objects.requireNonNull(src, "src");
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples must be positive, got " + maxSamples);
        }
        PcmFormat format = Objects.requireNonNull(src.format(), "src.format()");
        long frames = src.frameLength();
        if (frames >= 0 && frames > maxSamples / format.channels()) {
            AudioLimitException e = tooManySamples(src, format, maxSamples, frames + " frames");
            try {
                src.close();
            } catch (IOException | RuntimeException ignored) {
                // already failing: the limit is what the caller must hear about
            }
            throw e;
        }
        return new LimitedSource(src, format, maxSamples);
    }

    /**
     * {@return the message of an input that holds more decoded samples than {@code maxSamples}}
     */
    static AudioLimitException tooManySamples(Object src, PcmFormat format, long maxSamples, String holds) {
        return new AudioLimitException(src + " holds " + holds + " of " + format.channels() + " channel(s) at "
                + format.sampleRate() + " Hz, more than the limit of " + maxSamples + " decoded samples (frames x "
                + "channels, " + String.format(java.util.Locale.ROOT, "%.1f", maxSamples
                / (double) format.channels() / format.sampleRate()) + " s at this rate and channel count)");
    }

    /**
     * Reads a source to its end as mono samples at {@code targetRate} ({@link #monoAt(AudioSource, int)}), refusing
     * to hold more than {@code maxFrames} of them: a guard against exhausting memory on unexpectedly long or hostile
     * input. The source is not closed.
     *
     * @param src        the source; read to its end, not closed
     * @param targetRate wanted rate in Hz
     * @param maxFrames  largest number of output samples accepted, 0 to {@code Integer.MAX_VALUE - 8} (e.g.
     *                   {@code 600L * targetRate} for ten minutes)
     * @return the samples (possibly none)
     * @throws AudioException           if the audio is longer than {@code maxFrames} at {@code targetRate} (checked
     *                                  up front when the source knows its length, else when reading past the limit),
     *                                  or reading fails (an {@link IOException} is wrapped)
     * @throws CorruptAudioException    if the source delivers NaN or infinite samples
     * @throws IllegalArgumentException if {@code maxFrames} or {@code targetRate} is out of range
     */
    public static float[] readAllMono(AudioSource src, int targetRate, long maxFrames) {
        Objects.requireNonNull(src, "src");
        if (maxFrames < 0 || maxFrames > SignalChecks.MAX_ARRAY) {
            throw new IllegalArgumentException("maxFrames=" + maxFrames + " must be 0.." + SignalChecks.MAX_ARRAY);
        }
        AudioSource mono = monoAt(src, targetRate);
        long known = mono.frameLength();
        if (known > maxFrames) {
            throw tooLong(src, targetRate, maxFrames, known);
        }
        int capacity = (int) Math.min(maxFrames, known >= 0 ? known : 1L << 16);
        float[] samples = new float[Math.max(capacity, 1)];
        int n = 0;
        try {
            while (true) {
                if (n >= maxFrames) {
                    // At the limit: any further sample means the audio is too long.
                    if (mono.read(new float[1], 0, 1) > 0) {
                        throw tooLong(src, targetRate, maxFrames, -1);
                    }
                    break;
                }
                if (n == samples.length) {
                    samples = Arrays.copyOf(samples, (int) Math.min(maxFrames, 2L * samples.length));
                }
                int want = (int) Math.min(samples.length - n, Math.min(maxFrames - n, 1 << 16));
                int r = mono.read(samples, n, want);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            throw new AudioException("Reading audio from " + src + " failed after " + n + " frames: " + e.getMessage(),
                    e);
        }
        return n == samples.length ? samples : Arrays.copyOf(samples, n);
    }

    private static AudioException tooLong(AudioSource src, int rate, long maxFrames, long frames) {
        return new AudioException("Audio from " + src + " is longer than maxFrames=" + maxFrames + " frames at "
                + rate + " Hz (" + maxFrames / (double) rate + " s)" + (frames >= 0 ? ": it has " + frames : "")
                + "; refusing to read it all into memory: stream it with AudioSources.monoAt, or raise maxFrames");
    }

    /** Reads one chunk, checking the source keeps the {@link AudioSource#read} contract and delivers finite samples. */
    private static int readChecked(AudioSource src, float[] buf, int frames, int channels, long framesSoFar)
            throws IOException {
        int r = src.read(buf, 0, frames);
        if (r == 0 || r > frames || r < -1) {
            throw new IllegalStateException(src.getClass().getName() + ".read returned " + r + " for " + frames
                    + " frames: AudioSource.read must return 1.." + frames + " or -1 at the end");
        }
        for (int i = 0, end = Math.max(r, 0) * channels; i < end; i++) {
            if (!Float.isFinite(buf[i])) {
                throw new CorruptAudioException("Audio from " + src + " has a non-finite sample (" + buf[i]
                        + ") at frame " + (framesSoFar + i / channels) + ", channel " + i % channels);
            }
        }
        return r;
    }

    private static void checkRead(float[] buffer, int offset, int frames, int channels) {
        Objects.requireNonNull(buffer, "buffer");
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be at least 1, got " + frames);
        }
        if (offset < 0 || offset + (long) frames * channels > buffer.length) {
            throw new IllegalArgumentException("offset " + offset + " + " + frames + " frames of " + channels
                    + " channels does not fit in a buffer of " + buffer.length + " samples");
        }
    }

    /** Passes a source through, counting samples; fails the read that would pass the limit. */
    private static final class LimitedSource implements AudioSource {
        private final AudioSource src;
        private final PcmFormat format;
        private final long maxFrames;
        private final long maxSamples;
        private long frames;

        LimitedSource(AudioSource src, PcmFormat format, long maxSamples) {
            this.src = src;
            this.format = format;
            this.maxSamples = maxSamples;
            this.maxFrames = maxSamples / format.channels();
        }

        @Override
        public PcmFormat format() {
            return format;
        }

        @Override
        public int read(float[] buffer, int offset, int count) throws IOException {
            checkRead(buffer, offset, count, format.channels());
            // ask for one frame more than the limit allows, so that the end of a source exactly at the limit is seen
            int want = (int) Math.min(count, Math.max(1, maxFrames + 1 - frames));
            int r = src.read(buffer, offset, want);
            if (r > 0) {
                frames += r;
                if (frames > maxFrames) {
                    throw tooManySamples(src, format, maxSamples, "more than " + maxFrames + " frames");
                }
            }
            return r;
        }

        @Override
        public long frameLength() {
            return src.frameLength();
        }

        @Override
        public long declaredFrameLength() {
            return src.declaredFrameLength();
        }

        @Override
        public void close() throws IOException {
            src.close();
        }

        @Override
        public String toString() {
            return src.toString();
        }
    }

    /** Mean of the channels, chunk by chunk. */
    private static final class MonoSource implements AudioSource {
        private final AudioSource src;
        private final PcmFormat format;
        private final int channels;
        private final float[] scratch;
        private long framesRead;

        MonoSource(AudioSource src, PcmFormat srcFormat) {
            this.src = src;
            this.channels = srcFormat.channels();
            this.format = PcmFormat.mono(srcFormat.sampleRate());
            this.scratch = new float[CHUNK * channels];
        }

        @Override
        public PcmFormat format() {
            return format;
        }

        @Override
        public int read(float[] buffer, int offset, int frames) throws IOException {
            checkRead(buffer, offset, frames, 1);
            int r = readChecked(src, scratch, Math.min(frames, CHUNK), channels, framesRead);
            if (r < 0) {
                return -1;
            }
            Signals.toMono(scratch, 0, r, channels, buffer, offset);
            framesRead += r;
            return r;
        }

        @Override
        public long frameLength() {
            return src.frameLength();
        }

        @Override
        public void close() throws IOException {
            src.close();
        }

        @Override
        public String toString() {
            return "mono(" + src + ")";
        }
    }

    /** One {@link ResamplerStream} per channel, fed in lockstep; output buffered until the caller takes it. */
    private static final class ResampledSource implements AudioSource {
        private final AudioSource src;
        private final Resampler resampler;
        private final PcmFormat format;
        private final int channels;
        private final ResamplerStream[] streams;
        private final int chunk;
        private final float[] in;
        private final float[] channelIn;
        private final float[] channelOut;
        /** Resampled frames, interleaved, not yet delivered: frames [pendingPos, pendingEnd). */
        private final float[] pending;
        private int pendingPos;
        private int pendingEnd;
        private long framesRead;
        private boolean ended;

        ResampledSource(AudioSource src, PcmFormat srcFormat, Resampler resampler) {
            this.src = src;
            this.resampler = resampler;
            this.channels = srcFormat.channels();
            this.format = new PcmFormat(resampler.targetSr(), channels);
            this.streams = new ResamplerStream[channels];
            for (int c = 0; c < channels; c++) {
                streams[c] = resampler.newStream();
            }
            // Read fewer frames per chunk when upsampling a lot, so one chunk's output stays near CHUNK frames.
            this.chunk = (int) Math.max(1, Math.min(CHUNK, (long) CHUNK * resampler.downFactor()
                    / resampler.upFactor()));
            int maxOut = (int) Math.max(resampler.maxOutputLength(chunk), resampler.maxFlushLength());
            this.in = new float[chunk * channels];
            this.channelIn = channels == 1 ? null : new float[chunk];
            this.channelOut = new float[maxOut];
            this.pending = new float[maxOut * channels];
        }

        @Override
        public PcmFormat format() {
            return format;
        }

        @Override
        public int read(float[] buffer, int offset, int frames) throws IOException {
            checkRead(buffer, offset, frames, channels);
            while (pendingPos == pendingEnd) {
                if (ended) {
                    return -1;
                }
                fill();
            }
            int n = Math.min(frames, pendingEnd - pendingPos);
            System.arraycopy(pending, pendingPos * channels, buffer, offset, n * channels);
            pendingPos += n;
            return n;
        }

        /** Reads one chunk from the source (or flushes at its end) into {@link #pending}. */
        private void fill() throws IOException {
            int r = readChecked(src, in, chunk, channels, framesRead);
            pendingPos = 0;
            pendingEnd = 0;
            if (r < 0) {
                ended = true;
            } else {
                framesRead += r;
            }
            for (int c = 0; c < channels; c++) {
                int produced;
                if (ended) {
                    produced = streams[c].flush(channelOut, 0);
                } else if (channels == 1) {
                    produced = streams[c].process(in, 0, r, channelOut, 0);
                } else {
                    for (int f = 0, i = c; f < r; f++, i += channels) {
                        channelIn[f] = in[i];
                    }
                    produced = streams[c].process(channelIn, 0, r, channelOut, 0);
                }
                for (int f = 0, i = c; f < produced; f++, i += channels) {
                    pending[i] = channelOut[f];
                }
                pendingEnd = produced; // the same for every channel: the streams run in lockstep
            }
        }

        @Override
        public long frameLength() {
            long n = src.frameLength();
            return n < 0 ? -1 : resampler.outputLength(n);
        }

        @Override
        public void close() throws IOException {
            src.close();
        }

        @Override
        public String toString() {
            return "resample(" + src + ", " + resampler.origSr() + " Hz -> " + resampler.targetSr() + " Hz)";
        }
    }
}
