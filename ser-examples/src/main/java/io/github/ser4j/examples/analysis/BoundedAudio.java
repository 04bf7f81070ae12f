package io.github.ser4j.examples.analysis;

import io.github.ser4j.api.AudioLimitException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.dsp.signal.AudioSources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Opens audio under a cap on decoded samples (frames x channels at the input's own rate), so that no input, however
 * it expands, costs more than that much decoding work, and so that a clip-level recognition holds only the model's
 * window: when the decoder cannot tell the length up front (FLAC, streams), a first pass decodes and counts (under
 * the same cap), and the second pass states the count. Stateless and thread-safe.
 */
public final class BoundedAudio {
    /** The default cap: one hour of 48 kHz stereo, 345.6 million decoded samples. */
    public static final long DEFAULT_MAX_SAMPLES = 3600L * 48_000 * 2;

    private BoundedAudio() {
    }

    /**
     * @param opener     opens the input from its start; called once, or twice when {@code needLength} and the
     *                   decoder does not know the length
     * @param maxSamples the most decoded samples (frames x channels) accepted
     * @param needLength whether the returned source must know its {@link AudioSource#frameLength()}
     * @return the capped source (closing it closes the input)
     * @throws AudioLimitException (from here or from {@code read}) if the input holds more than {@code maxSamples}
     */
    public static AudioSource open(Supplier<? extends AudioSource> opener, long maxSamples, boolean needLength) {
        Objects.requireNonNull(opener, "opener");
        AudioSource first = AudioSources.limit(opener.get(), maxSamples);
        if (!needLength || first.frameLength() >= 0) {
            return first;
        }
        long frames = 0;
        try (first) {
            float[] buf = new float[8192 * first.format().channels()];
            int n;
            while ((n = first.read(buf, 0, 8192)) > 0) {
                frames += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KnownLength(AudioSources.limit(opener.get(), maxSamples), frames);
    }

    /** A source whose length a first pass counted; a second pass delivering another count is damaged input. */
    private static final class KnownLength implements AudioSource {
        private final AudioSource src;
        private final long frames;
        private long delivered;

        KnownLength(AudioSource src, long frames) {
            this.src = src;
            this.frames = frames;
        }

        @Override
        public PcmFormat format() {
            return src.format();
        }

        @Override
        public int read(float[] buffer, int offset, int count) throws IOException {
            int n = src.read(buffer, offset, count);
            if (n > 0) {
                delivered += n;
            }
            if (n > 0 ? delivered > frames : delivered != frames) {
                throw new CorruptAudioException(src + " delivered " + delivered + " frames, but " + frames
                        + " when it was read the first time");
            }
            return n;
        }

        @Override
        public long frameLength() {
            return frames;
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
}
