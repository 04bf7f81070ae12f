package io.github.ser4j.examples.analysis;

import io.github.ser4j.api.AudioLimitException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.dsp.signal.AudioSources;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Opens audio under a cap on decoded samples (frames x channels at the input's own rate), so that no input, however
 * it expands, costs more than that much decoding work. Memory needs no length up front: recognisers read a source
 * once through bounded buffers ({@code EmotionRecognizer.analyze}), also when its decoder cannot tell the length
 * (FLAC, streams). Stateless and thread-safe.
 */
public final class BoundedAudio {
    /** The default cap: one hour of 48 kHz stereo, 345.6 million decoded samples. */
    public static final long DEFAULT_MAX_SAMPLES = 3600L * 48_000 * 2;

    private BoundedAudio() {
    }

    /**
     * @param opener     opens the input from its start; called once
     * @param maxSamples the most decoded samples (frames x channels) accepted
     * @return the capped source (closing it closes the input)
     * @throws AudioLimitException (from here or from {@code read}) if the input holds more than {@code maxSamples}
     */
    public static AudioSource open(Supplier<? extends AudioSource> opener, long maxSamples) {
        Objects.requireNonNull(opener, "opener");
        return AudioSources.limit(opener.get(), maxSamples);
    }
}
