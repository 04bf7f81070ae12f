package io.github.ser4j.dsp.denoise;

import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.spectral.Window;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * A {@link SpectralGate} over audio that arrives in chunks: {@link #process} takes any number of samples and returns
 * those that are complete, {@link #latencySamples()} behind the input; {@link #finish} returns the rest, so the
 * output has exactly as many samples as the input and equals {@link SpectralGate#apply} on the whole signal. No
 * allocation after construction.
 *
 * <p>Thread-safety: not thread-safe; one thread feeds a stream (or calls are externally synchronised).
 */
public final class GateStream {
    private final SpectralGate gate;
    private final int n;
    private final int hop;
    private final int bins;
    private final int gradT;
    private final int slots;
    private final double[] window;
    private final double[] norm;
    private final double[] freqKernel;
    private final double[] timeKernel;
    private final DoubleFFT_1D fft;
    // input: the last n samples (starting with n - hop zeros of left padding)
    private final double[] in;
    private int inFill;
    // per analysed frame, ring of 2 * gradT + 1: packed spectrum and the frequency-smoothed mask
    private final double[][] spectra;
    private final double[][] masks;
    // non-stationary noise floor: smoothed magnitudes and the ring of their last floorFrames values
    private final double[] smoothed;
    private final double[][] floorRing;
    private final int floorFrames;
    // scratch
    private final double[] frame;
    private final double[] mag;
    private final double[] raw;
    private final double[] mask;
    private final double[] ola;
    private long analysed;
    private long synthesised;
    private long received;
    private long emitted;
    private boolean finished;

    GateStream(SpectralGate gate, int sampleRate) {
        this.gate = gate;
        this.n = gate.nFft;
        this.hop = gate.hopLength;
        if (n / hop < 2) {
            throw new IllegalArgumentException("hop_length (" + hop + ") must be at most n_fft / 2 (" + n / 2
                    + ") for overlap-add to reconstruct the signal");
        }
        this.bins = n / 2 + 1;
        int gradF = (int) (gate.freqMaskSmoothHz / (sampleRate / (n / 2.0)));
        this.gradT = (int) (gate.timeMaskSmoothMs / (hop / (double) sampleRate * 1000.0));
        this.freqKernel = triangle(gradF);
        this.timeKernel = triangle(gradT);
        this.slots = 2 * gradT + 1;
        this.window = Window.hann().values(n);
        this.norm = new double[hop];
        for (int o = 0; o < hop; o++) {
            double s = 0;
            for (int m = o; m < n; m += hop) {
                s += window[m] * window[m];
            }
            norm[o] = s;
        }
        this.fft = new DoubleFFT_1D(n);
        this.in = new double[n];
        this.inFill = n - hop;
        this.spectra = new double[slots][n];
        this.masks = new double[slots][bins];
        this.smoothed = new double[bins];
        this.floorFrames = Math.max(1, (int) Math.round(gate.timeConstantS * sampleRate / hop));
        this.floorRing = gate.profile == null ? new double[floorFrames][bins] : new double[0][];
        this.frame = new double[n];
        this.mag = new double[bins];
        this.raw = new double[bins];
        this.mask = new double[bins];
        this.ola = new double[n];
    }

    /** noisereduce's triangular smoothing weights, 2g + 1 of them, normalised to sum 1. */
    static double[] triangle(int g) {
        double[] k = new double[2 * g + 1];
        double sum = 0;
        for (int i = 0; i <= 2 * g; i++) {
            k[i] = i <= g ? (i + 1) / (double) (g + 1) : (2 * g + 1 - i) / (double) (g + 1);
            sum += k[i];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** {@return how many samples the output trails the input: {@code n_fft - hop + smoothing frames * hop}} */
    public int latencySamples() {
        return n - hop + gradT * hop;
    }

    /**
     * @param inputLength samples about to be passed to {@link #process}
     * @return the most samples that call can write
     */
    public int maxOutput(int inputLength) {
        return inputLength + hop;
    }

    /** {@return the most samples {@link #finish} can write} */
    public int maxFinish() {
        return latencySamples() + hop;
    }

    /**
     * Denoises the next samples.
     *
     * @param src    samples; not modified
     * @param offset first sample of {@code src}
     * @param length number of samples
     * @param dst    receives the completed output samples, in order
     * @param dstOff where to write in {@code dst}; room for {@link #maxOutput(int) maxOutput(length)} samples needed
     * @return how many samples were written
     * @throws IllegalArgumentException if a sample is NaN or infinite (nothing is consumed then) or {@code dst} is
     *                                  too small
     * @throws IllegalStateException    after {@link #finish}
     */
    public int process(float[] src, int offset, int length, float[] dst, int dstOff) {
        if (finished) {
            throw new IllegalStateException("the stream is finished");
        }
        if (offset < 0 || length < 0 || offset + length > src.length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " for " + src.length);
        }
        if (dstOff < 0 || dst.length - dstOff < maxOutput(length)) {
            throw new IllegalArgumentException("dst needs room for " + maxOutput(length) + " samples from " + dstOff
                    + ", has " + (dst.length - dstOff));
        }
        Checks.finite(src, offset, length, "src");
        int written = 0;
        for (int i = 0; i < length; ) {
            int take = Math.min(length - i, n - inFill);
            for (int j = 0; j < take; j++) {
                in[inFill + j] = src[offset + i + j];
            }
            inFill += take;
            i += take;
            received += take;
            if (inFill == n) {
                written += analyseAndSynthesise(dst, dstOff + written, Long.MAX_VALUE);
            }
        }
        return written;
    }

    /**
     * Flushes: the input is padded with zeros until every sample received has been output.
     *
     * @param dst    receives the remaining output samples
     * @param dstOff where to write; room for {@link #maxFinish()} samples needed
     * @return how many samples were written
     * @throws IllegalStateException if called twice
     */
    public int finish(float[] dst, int dstOff) {
        if (finished) {
            throw new IllegalStateException("the stream is finished");
        }
        finished = true;
        int written = 0;
        // the frames of the whole signal: every sample is covered by n / hop of them
        long frames = received == 0 ? 0 : (received - 1 + n - hop) / hop + 1;
        while (analysed < frames) {
            for (int j = inFill; j < n; j++) {
                in[j] = 0;
            }
            inFill = n;
            written += analyseAndSynthesise(dst, dstOff + written, frames);
        }
        while (synthesised < frames) {
            written += synthesise(dst, dstOff + written, frames);
        }
        return written;
    }

    /** Analyses the frame in {@code in}, shifts the input by a hop, and synthesises the frame it completes. */
    private int analyseAndSynthesise(float[] dst, int dstOff, long frames) {
        analyse();
        System.arraycopy(in, hop, in, 0, n - hop);
        inFill = n - hop;
        return analysed - 1 - gradT >= 0 ? synthesise(dst, dstOff, frames) : 0;
    }

    private void analyse() {
        int slot = (int) (analysed % slots);
        double[] spec = spectra[slot];
        for (int i = 0; i < n; i++) {
            spec[i] = in[i] * window[i];
        }
        fft.realForward(spec);
        NoiseProfile.magnitudes(spec, mag);
        double prop = gate.propDecrease;
        NoiseProfile p = gate.profile;
        if (p != null) {
            double k = gate.nStdThreshStationary;
            for (int f = 0; f < bins; f++) {
                double db = 20 * Math.log10(mag[f] + NoiseProfile.EPS);
                double m = db > p.meanAt(f) + k * p.stdAt(f) ? 1.0 : 0.0;
                raw[f] = m * prop + (1 - prop);
            }
        } else {
            double[] ring = floorRing[(int) (analysed % floorFrames)];
            for (int f = 0; f < bins; f++) {
                smoothed[f] = analysed == 0 ? mag[f]
                        : smoothed[f] + SpectralGate.FLOOR_SMOOTHING * (mag[f] - smoothed[f]);
                ring[f] = smoothed[f];
            }
            int filled = (int) Math.min(analysed + 1, floorFrames);
            double thresh = gate.threshNMultNonstationary;
            double slope = gate.sigmoidSlopeNonstationary;
            for (int f = 0; f < bins; f++) {
                double floor = floorRing[0][f];
                for (int r = 1; r < filled; r++) {
                    floor = Math.min(floor, floorRing[r][f]);
                }
                double above = (mag[f] - floor) / (floor + NoiseProfile.EPS);
                double m = 1.0 / (1.0 + Math.exp(-slope * (above - thresh)));
                raw[f] = m * prop + (1 - prop);
            }
        }
        // smoothing over frequency now (the kernel is separable); over time at synthesis
        double[] out = masks[slot];
        int g = (freqKernel.length - 1) / 2;
        for (int f = 0; f < bins; f++) {
            double s = 0;
            double weight = 0;
            int lo = Math.max(0, f - g);
            int hi = Math.min(bins - 1, f + g);
            for (int q = lo; q <= hi; q++) {
                s += freqKernel[q - f + g] * raw[q];
                weight += freqKernel[q - f + g];
            }
            out[f] = s / weight;
        }
        analysed++;
    }

    /** Masks, inverts and overlap-adds frame {@code synthesised}; emits the hop of samples it completes. */
    private int synthesise(float[] dst, int dstOff, long frames) {
        long c = synthesised;
        for (int f = 0; f < bins; f++) {
            mask[f] = 0;
        }
        double weight = 0;
        for (int d = -gradT; d <= gradT; d++) {
            long k = c + d;
            if (k < 0 || k >= frames || k >= analysed) {
                continue;  // outside the spectrogram: left out of the weighted mean
            }
            double w = timeKernel[d + gradT];
            weight += w;
            double[] m = masks[(int) (k % slots)];
            for (int f = 0; f < bins; f++) {
                mask[f] += w * m[f];
            }
        }
        for (int f = 0; f < bins; f++) {
            mask[f] /= weight;
        }
        double[] spec = spectra[(int) (c % slots)];
        frame[0] = spec[0] * mask[0];
        frame[1] = spec[1] * mask[n / 2];
        for (int f = 1; f < n / 2; f++) {
            frame[2 * f] = spec[2 * f] * mask[f];
            frame[2 * f + 1] = spec[2 * f + 1] * mask[f];
        }
        fft.realInverse(frame, true);
        for (int i = 0; i < n; i++) {
            ola[i] += frame[i] * window[i];
        }
        synthesised++;
        // samples [s_c, s_c + hop) are complete, s_c = c * hop - (n - hop)
        long start = c * hop - (n - hop);
        int written = 0;
        for (int o = 0; o < hop; o++) {
            long idx = start + o;
            if (idx >= 0 && idx < received && idx == emitted) {
                dst[dstOff + written++] = (float) (ola[o] / norm[o]);
                emitted++;
            }
        }
        System.arraycopy(ola, hop, ola, 0, n - hop);
        for (int i = n - hop; i < n; i++) {
            ola[i] = 0;
        }
        return written;
    }
}
