package io.github.ser4j.api;

import java.util.Map;

/**
 * Turns mono PCM into a feature matrix, as the librosa function of the same {@link #name()} does with the same
 * {@link #parameters()}. Implementations live in {@code ser-dsp}.
 *
 * <p>Thread-safety: implementations are immutable and safe to share; {@link #extract(float[])} allocates its
 * result (streaming, allocation-free forms live in {@code ser-dsp}).
 */
public interface FeatureExtractor {

    /** {@return the librosa name of the feature, e.g. {@code "mfcc"} or {@code "melspectrogram"}} */
    String name();

    /** {@return the parameters, named and valued as librosa's (e.g. {@code n_fft=2048}); unmodifiable} */
    Map<String, Object> parameters();

    /** {@return the sample rate, in Hz, the samples must have} */
    int sampleRate();

    /** {@return the number of rows (features) of every result} */
    int featureCount();

    /**
     * @param sampleCount number of input samples
     * @return the number of columns (frames) {@link #extract(float[])} yields for that many samples
     */
    int frameCount(int sampleCount);

    /**
     * @param samples mono samples at {@link #sampleRate()}; not modified
     * @return {@link #featureCount()} by {@link #frameCount(int)} features
     * @throws IllegalArgumentException if the samples are empty or hold NaN or infinite values
     */
    FeatureMatrix extract(float[] samples);
}
