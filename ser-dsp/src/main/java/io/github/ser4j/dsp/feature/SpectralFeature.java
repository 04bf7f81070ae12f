package io.github.ser4j.dsp.feature;

import io.github.ser4j.api.FeatureExtractor;
import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.dsp.internal.Batch;
import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.internal.FrameProcessor;
import io.github.ser4j.dsp.internal.Framer;
import io.github.ser4j.dsp.internal.Kernels;
import io.github.ser4j.dsp.spectral.Stft;

import java.util.LinkedHashMap;
import java.util.Map;

/** Common part of the STFT-based extractors: sample rate, STFT configuration, framing. */
abstract class SpectralFeature implements FeatureExtractor {
    final int sr;
    final Stft stft;
    final Framer framer;

    SpectralFeature(int sr, Stft stft) {
        this.sr = sr;
        this.stft = stft;
        this.framer = Kernels.framer(stft);
    }

    /** {@return the sample rate in Hz the input must have} */
    @Override
    public int sampleRate() {
        return sr;
    }

    /**
     * @param sampleCount number of input samples
     * @return the number of frames (columns) for that many samples
     * @throws IllegalArgumentException where librosa raises (center=false and fewer samples than n_fft)
     */
    @Override
    public int frameCount(int sampleCount) {
        return framer.frameCount(sampleCount, "n_fft");
    }

    /** {@return the STFT configuration} */
    public Stft stft() {
        return stft;
    }

    Map<String, Object> baseParameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sr", sr);
        p.putAll(stft.parameters());
        return p;
    }

    /**
     * {@return the frame count of a spectrogram argument of the array forms, checked: {@code bins} rows of equal
     *   length, finite and non-negative values}
     */
    static int checkSpectrogram(float[][] s, int bins, String what) {
        int frames = Checks.matrix(s, bins, "S");
        for (float[] row : s) {
            for (float v : row) {
                if (v < 0) {
                    throw new IllegalArgumentException(what + " is only defined with non-negative energies");
                }
            }
        }
        return frames;
    }

    int checkedFrames(float[] y) {
        Checks.audio(y, "samples");
        int frames = framer.frameCount(y.length, "n_fft");
        Kernels.warnIfShort(stft, y.length);
        return frames;
    }

    float[] runRowMajor(float[] y, int frames, FrameProcessor processor) {
        return Batch.run(framer, processor, y, frames);
    }

    FeatureMatrix run(float[] y, FrameProcessor processor) {
        int frames = checkedFrames(y);
        return FeatureMatrix.of(processor.outputSize(), frames, runRowMajor(y, frames, processor));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + parameters();
    }
}
