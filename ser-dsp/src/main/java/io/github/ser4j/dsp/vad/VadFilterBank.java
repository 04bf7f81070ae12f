package io.github.ser4j.dsp.vad;

import java.util.Arrays;

/**
 * {@link EnergyVad}'s front end: a 100 Hz high-pass for the full-band level and octave band-passes from 200 Hz up
 * (two RBJ sections each, in cascade), whose energies are integrated over the last few frames.
 *
 * <p>Fixed-size state allocated at construction; not thread-safe.
 */
final class VadFilterBank {
    private static final double[] BAND_EDGES_HZ = {200, 400, 800, 1600, 3200, 6400};
    private static final double LEVEL_HIGH_PASS_HZ = 100;
    /** Mean-square floor so that log10 never sees zero. */
    private static final double TINY = 1e-20;

    private final int frameSize;
    private final int integrationFrames;
    private final int bands;
    /** Biquad coefficients {b0, b1, b2, a1, a2}: the level high-pass, then two sections per band. */
    private final double[] coef;
    /** Biquad states {x1, x2, y1, y2}, same layout as {@link #coef}. */
    private final double[] state;
    private final double[] bandFrameEnergy; // [band * integrationFrames + slot]
    private int ringSlot;
    private final double[] bandDb;

    VadFilterBank(int sampleRate, int frameSize, int integrationFrames) {
        this.frameSize = frameSize;
        this.integrationFrames = integrationFrames;
        int n = 0;
        double nyquistLimit = 0.45 * sampleRate;
        while (n + 1 < BAND_EDGES_HZ.length && BAND_EDGES_HZ[n + 1] <= nyquistLimit) {
            n++;
        }
        if (n == 0) {
            // very low rates: one band from 200 Hz (or a third of the limit) up to the limit
            n = 1;
        }
        this.bands = n;
        this.coef = new double[5 * (1 + 2 * bands)];
        this.state = new double[4 * (1 + 2 * bands)];
        highPass(coef, 0, Math.min(LEVEL_HIGH_PASS_HZ, 0.2 * sampleRate), sampleRate);
        for (int b = 0; b < bands; b++) {
            double lo = Math.min(BAND_EDGES_HZ[b], nyquistLimit / 3);
            double hi = Math.min(BAND_EDGES_HZ[b + 1], nyquistLimit);
            // two identical second-order band-passes in cascade: steeper skirts, so strong low-frequency noise does
            // not leak into the speech bands
            bandPass(coef, 5 * (1 + 2 * b), lo, hi, sampleRate);
            bandPass(coef, 5 * (2 + 2 * b), lo, hi, sampleRate);
        }
        this.bandFrameEnergy = new double[bands * integrationFrames];
        this.bandDb = new double[bands];
        reset();
    }

    /** {@return the number of bands at this sample rate} */
    int bands() {
        return bands;
    }

    /**
     * {@return the band energies of the last frame measured, integrated over {@code integrationFrames}, in dB} The
     * array is this bank's own: read it, do not keep or change it.
     */
    double[] bandDb() {
        return bandDb;
    }

    /**
     * Filters one frame and updates {@link #bandDb()}. NaN or infinite input resets the filters and reads as silence.
     *
     * @return the frame's full-band level after the high-pass, in dB re full scale
     */
    double measure(float[] samples, int offset) {
        double level = meanSquare(samples, offset, 0, 0);
        boolean finite = level < Double.POSITIVE_INFINITY;
        for (int b = 0; b < bands; b++) {
            double e = 0;
            if (finite) {
                e = meanSquare(samples, offset, 1 + 2 * b, 2 + 2 * b);
            }
            bandFrameEnergy[b * integrationFrames + ringSlot] = e;
        }
        ringSlot = (ringSlot + 1) % integrationFrames;
        if (!finite) {
            // NaN or infinite input: forget the filters' state and treat the frame as silence
            Arrays.fill(state, 0);
            Arrays.fill(bandFrameEnergy, 0);
            level = 0;
        }
        double db = 10 * Math.log10(level + TINY);
        for (int b = 0; b < bands; b++) {
            double sum = 0;
            for (int i = b * integrationFrames, end = i + integrationFrames; i < end; i++) {
                sum += bandFrameEnergy[i];
            }
            bandDb[b] = 10 * Math.log10(sum / integrationFrames + TINY);
        }
        return db;
    }

    void reset() {
        Arrays.fill(state, 0);
        Arrays.fill(bandFrameEnergy, 0);
        ringSlot = 0;
        Arrays.fill(bandDb, EnergyVad.DIGITAL_SILENCE_DB);
    }

    /**
     * Filters one frame through biquad section {@code s1} (and {@code s2} in cascade, unless equal) and returns the
     * mean square of the output. Filter state carries over to the next frame.
     */
    private double meanSquare(float[] samples, int offset, int s1, int s2) {
        int c1 = 5 * s1;
        int c2 = 5 * s2;
        double b10 = coef[c1];
        double b11 = coef[c1 + 1];
        double b12 = coef[c1 + 2];
        double a11 = coef[c1 + 3];
        double a12 = coef[c1 + 4];
        double b20 = coef[c2];
        double b21 = coef[c2 + 1];
        double b22 = coef[c2 + 2];
        double a21 = coef[c2 + 3];
        double a22 = coef[c2 + 4];
        boolean cascade = s2 != s1;
        int t1 = 4 * s1;
        int t2 = 4 * s2;
        double x11 = state[t1];
        double x12 = state[t1 + 1];
        double y11 = state[t1 + 2];
        double y12 = state[t1 + 3];
        double x21 = state[t2];
        double x22 = state[t2 + 1];
        double y21 = state[t2 + 2];
        double y22 = state[t2 + 3];
        double sum = 0;
        for (int i = offset, end = offset + frameSize; i < end; i++) {
            double x = samples[i];
            double y = b10 * x + b11 * x11 + b12 * x12 - a11 * y11 - a12 * y12;
            x12 = x11;
            x11 = x;
            y12 = y11;
            y11 = y;
            if (cascade) {
                double z = b20 * y + b21 * x21 + b22 * x22 - a21 * y21 - a22 * y22;
                x22 = x21;
                x21 = y;
                y22 = y21;
                y21 = z;
                y = z;
            }
            sum += y * y;
        }
        state[t1] = x11;
        state[t1 + 1] = x12;
        state[t1 + 2] = flush(y11);
        state[t1 + 3] = flush(y12);
        if (cascade) {
            state[t2] = x21;
            state[t2 + 1] = x22;
            state[t2 + 2] = flush(y21);
            state[t2 + 3] = flush(y22);
        }
        return sum / frameSize;
    }

    /** Flushes denormals, so that long digital silence cannot slow the filters down. */
    private static double flush(double v) {
        return Math.abs(v) < 1e-30 ? 0 : v;
    }

    private static void highPass(double[] c, int at, double fc, int rate) {
        // RBJ audio-EQ-cookbook high-pass, Q = 1/sqrt(2) (Butterworth)
        double w0 = 2 * Math.PI * fc / rate;
        double cos = Math.cos(w0);
        double alpha = Math.sin(w0) / (2 * Math.sqrt(0.5));
        double a0 = 1 + alpha;
        c[at] = (1 + cos) / 2 / a0;
        c[at + 1] = -(1 + cos) / a0;
        c[at + 2] = (1 + cos) / 2 / a0;
        c[at + 3] = -2 * cos / a0;
        c[at + 4] = (1 - alpha) / a0;
    }

    private static void bandPass(double[] c, int at, double lo, double hi, int rate) {
        // RBJ band-pass with 0 dB peak gain, centred on the geometric mean of the edges
        double fc = Math.sqrt(lo * hi);
        double q = fc / (hi - lo);
        double w0 = 2 * Math.PI * fc / rate;
        double alpha = Math.sin(w0) / (2 * q);
        double a0 = 1 + alpha;
        c[at] = alpha / a0;
        c[at + 1] = 0;
        c[at + 2] = -alpha / a0;
        c[at + 3] = -2 * Math.cos(w0) / a0;
        c[at + 4] = (1 - alpha) / a0;
    }
}
