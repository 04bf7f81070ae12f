package io.github.ser4j.dsp.feature;

import io.github.ser4j.api.FeatureExtractor;
import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.dsp.internal.Batch;
import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.internal.FrameProcessor;
import io.github.ser4j.dsp.internal.Framer;
import io.github.ser4j.dsp.internal.StreamEngine;
import io.github.ser4j.dsp.spectral.PadMode;
import io.github.ser4j.dsp.stream.FeatureStream;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code librosa.feature.zero_crossing_rate(y, frame_length=frame_length, hop_length=hop_length, center=center,
 * threshold=threshold, zero_pos=zero_pos)}: the fraction of sample pairs within each frame whose signs differ.
 *
 * <p>As librosa: with {@code center=True} the signal is padded by repeating its edge samples ({@code 'edge'}); values
 * with {@code |y| <= threshold} (default 1e-10, compared in float32) count as zero; with {@code zero_pos=True} zero is
 * positive, otherwise zero, negative and positive are three distinct signs; the first sample of each frame has no
 * predecessor ({@code pad=False}) and the count is divided by {@code frame_length}. {@code ref_magnitude} is not
 * supported.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class ZeroCrossingRate implements FeatureExtractor {
    private final int sr;
    private final Framer framer;
    private final double threshold;
    private final boolean zeroPos;

    private ZeroCrossingRate(Builder b) {
        sr = b.checkedSr();
        if (!(b.threshold >= 0) || Double.isInfinite(b.threshold)) {
            throw new IllegalArgumentException("threshold=" + b.threshold + " must be a finite number >= 0");
        }
        framer = b.framer(PadMode.EDGE);
        threshold = b.threshold;
        zeroPos = b.zeroPos;
    }

    /**
     * {@return a builder with librosa's defaults ({@code frame_length=2048, hop_length=512, center=True,
     * threshold=1e-10, zero_pos=True})}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these parameters} */
    public Builder toBuilder() {
        return new Builder().copyFraming(sr, framer).threshold(threshold).zeroPos(zeroPos);
    }

    /**
     * Array form of {@code librosa.feature.zero_crossing_rate(y, ...)}.
     *
     * @param y           samples; not modified
     * @param frameLength samples per frame
     * @param hopLength   samples between frames
     * @param center      pad by {@code frame_length // 2} edge samples on both sides
     * @param threshold   magnitudes up to this count as zero
     * @param zeroPos     zero counts as positive
     * @return one rate per frame, in double as librosa returns it
     * @throws IllegalArgumentException for bad samples or parameters
     */
    public static double[] zeroCrossingRate(float[] y, int frameLength, int hopLength, boolean center,
            double threshold, boolean zeroPos) {
        ZeroCrossingRate z = builder().frameLength(frameLength).hopLength(hopLength).center(center)
                .threshold(threshold).zeroPos(zeroPos).build();
        Checks.audio(y, "y");
        int frames = z.framer.frameCount(y.length, "frame_length");
        Kernel kernel = z.new Kernel();
        double[] out = new double[frames];
        float[] frame = new float[frameLength];
        for (int t = 0; t < frames; t++) {
            z.framer.assemble(t, y, 0, y.length, y.length, frame);
            out[t] = kernel.rate(frame, 0);
        }
        return out;
    }

    @Override
    public String name() {
        return "zero_crossing_rate";
    }

    /** {@return frame_length, hop_length, center, threshold, zero_pos (and sr)} */
    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sr", sr);
        p.put("frame_length", framer.frameLength());
        p.put("hop_length", framer.hop());
        p.put("center", framer.center());
        p.put("threshold", threshold);
        p.put("zero_pos", zeroPos);
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
        return FeatureMatrix.of(1, frames, Batch.run(framer, new Kernel(), samples, frames));
    }

    /** {@return a stream yielding exactly the columns of {@link #extract(float[])}} */
    public FeatureStream newStream() {
        return new StreamEngine(framer, new Kernel());
    }

    @Override
    public String toString() {
        return "ZeroCrossingRate" + parameters();
    }

    private final class Kernel implements FrameProcessor {
        private final float thr = (float) threshold;

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public void process(float[] src, int offset, float[] out) {
            out[0] = (float) rate(src, offset);
        }

        double rate(float[] src, int offset) {
            int n = framer.frameLength();
            int crossings = 0;
            int previous = sign(src[offset]);
            for (int i = 1; i < n; i++) {
                int s = sign(src[offset + i]);
                if (s != previous) {
                    crossings++;
                }
                previous = s;
            }
            return crossings / (double) n;
        }

        /** zero_pos: signbit (0 = non-negative, 1 = negative); otherwise np.sign. Small values are zero first. */
        private int sign(float v) {
            if (-thr <= v && v <= thr) {
                return 0;
            }
            if (zeroPos) {
                return v < 0 ? 1 : 0;
            }
            return v < 0 ? -1 : 1;
        }
    }

    /** Builder with librosa's names and defaults. Not thread-safe. */
    public static final class Builder extends FrameBuilder<Builder> {
        private double threshold = 1e-10;
        private boolean zeroPos = true;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @param threshold magnitudes up to this count as zero, {@code >= 0} (default 1e-10)
         * @return this
         */
        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /**
         * @param zeroPos zero counts as positive (default true)
         * @return this
         */
        public Builder zeroPos(boolean zeroPos) {
            this.zeroPos = zeroPos;
            return this;
        }

        /**
         * @return the extractor
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public ZeroCrossingRate build() {
            return new ZeroCrossingRate(this);
        }
    }
}
