package io.github.ser4j.dsp.feature;

import io.github.ser4j.api.FeatureExtractor;
import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.dsp.internal.Batch;
import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.internal.FrameProcessor;
import io.github.ser4j.dsp.internal.Framer;
import io.github.ser4j.dsp.internal.NumpyMath;
import io.github.ser4j.dsp.internal.StreamEngine;
import io.github.ser4j.dsp.spectral.PadMode;
import io.github.ser4j.dsp.stream.FeatureStream;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code librosa.feature.rms(y=y, frame_length=frame_length, hop_length=hop_length, center=center,
 * pad_mode=pad_mode)}: root mean square of each frame of samples (with {@code center=True} the whole signal is padded
 * by {@code frame_length // 2} on both sides). The mean of squares is numpy's float32 pairwise sum, reproduced exactly.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class Rms implements FeatureExtractor {
    private final int sr;
    private final Framer framer;

    private Rms(Builder b) {
        sr = b.checkedSr();
        framer = b.framer(b.padMode);
    }

    /**
     * {@return a builder with librosa's defaults ({@code frame_length=2048, hop_length=512, center=True,
     * pad_mode='constant'}; {@code sr} 22050, only reported by {@link #sampleRate()})}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these parameters} */
    public Builder toBuilder() {
        return new Builder().copyFraming(sr, framer).padMode(framer.mode());
    }

    /**
     * Array form of {@code librosa.feature.rms(y=y, ...)}.
     *
     * @param y           samples; not modified
     * @param frameLength samples per frame
     * @param hopLength   samples between frames
     * @param center      pad by {@code frame_length // 2} on both sides
     * @param padMode     padding when centred
     * @return one value per frame
     * @throws IllegalArgumentException for bad samples or parameters, or a signal shorter than a frame with
     *                                  center=false
     */
    public static float[] rms(float[] y, int frameLength, int hopLength, boolean center, PadMode padMode) {
        return builder().frameLength(frameLength).hopLength(hopLength).center(center).padMode(padMode).build()
                .extract(y).row(0);
    }

    @Override
    public String name() {
        return "rms";
    }

    /** {@return frame_length, hop_length, center, pad_mode (and sr)} */
    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sr", sr);
        p.put("frame_length", framer.frameLength());
        p.put("hop_length", framer.hop());
        p.put("center", framer.center());
        p.put("pad_mode", framer.mode().librosaName());
        return Collections.unmodifiableMap(p);
    }

    @Override
    public int sampleRate() {
        return sr;
    }

    /** {@return 1} */
    @Override
    public int featureCount() {
        return 1;
    }

    @Override
    public int frameCount(int sampleCount) {
        return framer.frameCount(sampleCount, "frame_length");
    }

    @Override
    public FeatureMatrix extract(float[] samples) {
        Checks.audio(samples, "samples");
        int frames = framer.frameCount(samples.length, "frame_length");
        return FeatureMatrix.of(1, frames, Batch.run(framer, new Kernel(framer.frameLength()), samples, frames));
    }

    /** {@return a stream yielding exactly the columns of {@link #extract(float[])}} */
    public FeatureStream newStream() {
        return new StreamEngine(framer, new Kernel(framer.frameLength()));
    }

    @Override
    public String toString() {
        return "Rms" + parameters();
    }

    /** mean of float32 squares (numpy pairwise sum), then float32 sqrt. */
    private static final class Kernel implements FrameProcessor {
        private final float[] squares;

        Kernel(int frameLength) {
            squares = new float[frameLength];
        }

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public void process(float[] src, int offset, float[] out) {
            float[] sq = squares;
            for (int i = 0; i < sq.length; i++) {
                float v = src[offset + i];
                sq[i] = v * v;
            }
            float mean = NumpyMath.pairwiseSum(sq, 0, sq.length, 1) / sq.length;
            out[0] = (float) Math.sqrt(mean);
        }
    }

    /** Builder with librosa's names and defaults. Not thread-safe. */
    public static final class Builder extends FrameBuilder<Builder> {
        private PadMode padMode = PadMode.CONSTANT;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @param padMode padding when centred (default {@link PadMode#CONSTANT})
         * @return this
         */
        public Builder padMode(PadMode padMode) {
            this.padMode = Objects.requireNonNull(padMode, "padMode");
            return this;
        }

        /**
         * @return the extractor
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public Rms build() {
            return new Rms(this);
        }
    }
}
