package io.github.ser4j.dsp.feature;

import io.github.ser4j.dsp.internal.FrameProcessor;
import io.github.ser4j.dsp.internal.Framer;
import io.github.ser4j.dsp.internal.SpectrumKernel;
import io.github.ser4j.dsp.spectral.MelFilterBank;
import io.github.ser4j.dsp.spectral.PowerToDb;

/**
 * Spectrum, mel filter bank and (optionally) the frame-local part of power_to_db. Not thread-safe.
 *
 * <p>The filter bank is applied sparsely: each filter only over its non-zero bins ({@link MelFilterBank#bandStart} to
 * {@link MelFilterBank#bandEnd}), with the weights trimmed to that range, summed in double from the lowest bin up, exactly
 * as {@link MelFilterBank#applyFrame}. {@link #columns} computes a whole signal four frames at a time: the four sums of
 * a filter are independent, which hides the latency of the double additions (one frame at a time, each filter is one
 * short dependent chain); the arithmetic of every frame is unchanged, so batch and streaming results stay bit-identical.
 */
final class MelKernel implements FrameProcessor {
    /** Frames per block in {@link #columns}. */
    private static final int BLOCK = 4;
    private final SpectrumKernel spectrum;
    private final PowerToDb db;
    private final int nMels;
    private final int bins;
    /** weights[m] = the bank's weights of band m over bins [start[m], start[m] + weights[m].length). */
    private final float[][] weights;
    private final int[] start;
    private final float[][] spectra;
    private final float[] block;

    /**
     * The non-zero part of each filter of a bank: computed once per extractor (the trimmed copy costs as much as the
     * bank itself) and shared, read-only, by the kernels of all its calls and threads.
     */
    static final class SparseBank {
        private final int nMels;
        private final int[] start;
        private final float[][] weights;

        SparseBank(MelFilterBank bank) {
            nMels = bank.nMels();
            float[][] full = bank.weights();
            start = new int[nMels];
            weights = new float[nMels][];
            for (int m = 0; m < nMels; m++) {
                start[m] = bank.bandStart(m);
                weights[m] = java.util.Arrays.copyOfRange(full[m], bank.bandStart(m), bank.bandEnd(m));
            }
        }
    }

    MelKernel(SpectrumKernel spectrum, SparseBank bank, PowerToDb frameLocalDb) {
        this.spectrum = spectrum;
        this.db = frameLocalDb;
        this.nMels = bank.nMels;
        this.bins = spectrum.outputSize();
        this.weights = bank.weights;
        this.start = bank.start;
        this.spectra = new float[BLOCK][bins];
        this.block = new float[BLOCK * nMels];
    }

    @Override
    public int outputSize() {
        return nMels;
    }

    @Override
    public void process(float[] src, int offset, float[] out) {
        float[] s = spectra[0];
        spectrum.process(src, offset, s);
        for (int m = 0; m < nMels; m++) {
            float[] w = weights[m];
            int b = start[m];
            double sum = 0;
            for (int i = 0; i < w.length; i++) {
                sum += (double) w[i] * s[b + i];
            }
            out[m] = (float) sum;
        }
        if (db != null) {
            db.applyFrame(out, out, nMels);
        }
    }

    /**
     * All frames of a whole signal, column after column: {@code dst[t * n_mels + m]}, the same values as
     * {@link #process} frame by frame.
     *
     * @param framer framing and padding
     * @param y      the signal; not modified
     * @param frames number of frames
     * @return {@code frames * n_mels} values, column-major
     */
    float[] columns(Framer framer, float[] y, int frames) {
        float[] dst = new float[Math.multiplyExact(frames, nMels)];
        float[][] assembled = null;
        int t = 0;
        for (; t + BLOCK <= frames; t += BLOCK) {
            for (int f = 0; f < BLOCK; f++) {
                int k = t + f;
                if (framer.inside(k, y.length)) {
                    spectrum.process(y, (int) framer.frameStart(k), spectra[f]);
                } else {
                    if (assembled == null) {
                        assembled = new float[BLOCK][framer.frameLength()];
                    }
                    framer.assemble(k, y, 0, y.length, y.length, assembled[f]);
                    spectrum.process(assembled[f], 0, spectra[f]);
                }
            }
            melBlock();
            if (db != null) {
                db.applyFrame(block, block, BLOCK * nMels);
            }
            System.arraycopy(block, 0, dst, t * nMels, BLOCK * nMels);
        }
        float[] column = block;
        for (; t < frames; t++) {
            if (framer.inside(t, y.length)) {
                process(y, (int) framer.frameStart(t), column);
            } else {
                if (assembled == null) {
                    assembled = new float[BLOCK][framer.frameLength()];
                }
                framer.assemble(t, y, 0, y.length, y.length, assembled[0]);
                process(assembled[0], 0, column);
            }
            System.arraycopy(column, 0, dst, t * nMels, nMels);
        }
        return dst;
    }

    /** Mel bands of {@code spectra[0..3]} into {@code block} (frame after frame). */
    private void melBlock() {
        float[] s0 = spectra[0];
        float[] s1 = spectra[1];
        float[] s2 = spectra[2];
        float[] s3 = spectra[3];
        int n = nMels;
        for (int m = 0; m < n; m++) {
            float[] w = weights[m];
            int b = start[m];
            double a0 = 0;
            double a1 = 0;
            double a2 = 0;
            double a3 = 0;
            for (int i = 0; i < w.length; i++) {
                double wi = w[i];
                int k = b + i;
                a0 += wi * s0[k];
                a1 += wi * s1[k];
                a2 += wi * s2[k];
                a3 += wi * s3[k];
            }
            block[m] = (float) a0;
            block[n + m] = (float) a1;
            block[2 * n + m] = (float) a2;
            block[3 * n + m] = (float) a3;
        }
    }
}
