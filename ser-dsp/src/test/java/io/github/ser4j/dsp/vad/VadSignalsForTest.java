package io.github.ser4j.dsp.vad;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic test signals with known speech boundaries: speech-like harmonic bursts (glottal-like harmonic series with
 * vibrato, syllabic amplitude modulation and raised-cosine attack/release) between silences, plus white or pink noise
 * mixed at a given SNR. Deterministic (seeded).
 */
final class VadSignalsForTest {
    private VadSignalsForTest() {
    }

    /** A known burst: [start, end) in samples. */
    record Burst(int start, int end) {
        double startSeconds(int rate) {
            return (double) start / rate;
        }

        double endSeconds(int rate) {
            return (double) end / rate;
        }
    }

    /** A clean signal and where its bursts are. */
    record Scene(float[] clean, List<Burst> bursts, int sampleRate) {
    }

    enum Noise { WHITE, PINK }

    /**
     * Bursts of the given durations (seconds) separated by the given gaps; the scene starts with {@code lead} seconds
     * of silence and ends with {@code tail} seconds.
     */
    static Scene scene(int rate, double lead, double[] durations, double[] gaps, double tail, long seed) {
        Random rnd = new Random(seed);
        double total = lead + tail;
        for (double d : durations) {
            total += d;
        }
        for (double g : gaps) {
            total += g;
        }
        float[] x = new float[(int) Math.round(total * rate)];
        List<Burst> bursts = new ArrayList<>();
        double t = lead;
        for (int i = 0; i < durations.length; i++) {
            int start = (int) Math.round(t * rate);
            int n = (int) Math.round(durations[i] * rate);
            double f0 = 110 + 120 * rnd.nextDouble();
            burst(x, start, n, rate, f0, rnd);
            bursts.add(new Burst(start, start + n));
            t += durations[i];
            if (i < gaps.length) {
                t += gaps[i];
            }
        }
        return new Scene(x, bursts, rate);
    }

    /** Writes one speech-like burst of n samples at start, peak amplitude about 0.25. */
    private static void burst(float[] x, int start, int n, int rate, double f0, Random rnd) {
        int attack = (int) (0.025 * rate);
        double vibratoPhase = rnd.nextDouble() * 2 * Math.PI;
        double glide = (rnd.nextDouble() - 0.5) * 0.2;
        int harmonics = (int) Math.floor(Math.min(4000, 0.45 * rate) / (f0 * 1.1));
        double[] phase = new double[harmonics + 1];
        double[] amp = new double[harmonics + 1];
        double norm = 0;
        for (int k = 1; k <= harmonics; k++) {
            phase[k] = rnd.nextDouble() * 2 * Math.PI;
            // a crude vowel: -6 dB/octave source with a formant-like bump near 500-700 Hz
            double fk = k * f0;
            amp[k] = (1.0 / k) * (1 + 2.0 * Math.exp(-Math.pow((fk - 600) / 250, 2)));
            norm += amp[k];
        }
        double theta = 0;
        for (int i = 0; i < n; i++) {
            double tt = (double) i / rate;
            double f = f0 * (1 + 0.03 * Math.sin(2 * Math.PI * 5 * tt + vibratoPhase)) * (1 + glide * tt / (n / (double) rate));
            theta += 2 * Math.PI * f / rate;
            double s = 0;
            for (int k = 1; k <= harmonics; k++) {
                s += amp[k] * Math.sin(k * theta + phase[k]);
            }
            // syllabic modulation at 4 Hz, maximal at both ends of the burst (durations are multiples of 0.25 s)
            double syll = 0.6 + 0.4 * Math.cos(2 * Math.PI * 4 * tt);
            double env = 1;
            if (i < attack) {
                env = 0.5 - 0.5 * Math.cos(Math.PI * i / attack);
            } else if (i >= n - attack) {
                env = 0.5 - 0.5 * Math.cos(Math.PI * (n - 1 - i) / attack);
            }
            x[start + i] += (float) (0.25 * env * syll * s / norm * 2.5);
        }
    }

    /** Mean power of the clean signal over its bursts. */
    static double speechPower(Scene s) {
        double sum = 0;
        long count = 0;
        for (Burst b : s.bursts()) {
            for (int i = b.start(); i < b.end(); i++) {
                sum += (double) s.clean()[i] * s.clean()[i];
            }
            count += b.end() - b.start();
        }
        return sum / count;
    }

    /** The clean scene plus noise at {@code snrDb} (speech power over bursts / noise power). */
    static float[] withNoise(Scene s, Noise kind, double snrDb, long seed) {
        float[] clean = s.clean();
        double[] noise = kind == Noise.WHITE ? white(clean.length, seed) : pink(clean.length, seed);
        double pn = 0;
        for (double v : noise) {
            pn += v * v;
        }
        pn /= noise.length;
        double gain = Math.sqrt(speechPower(s) / Math.pow(10, snrDb / 10) / pn);
        float[] out = new float[clean.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (clean[i] + gain * noise[i]);
        }
        return out;
    }

    static double[] white(int n, long seed) {
        Random rnd = new Random(seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = rnd.nextGaussian();
        }
        return w;
    }

    /** Pink (1/f) noise: Paul Kellett's refined filter on white noise. */
    static double[] pink(int n, long seed) {
        Random rnd = new Random(seed);
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double b3 = 0;
        double b4 = 0;
        double b5 = 0;
        double b6 = 0;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            double w = rnd.nextGaussian();
            b0 = 0.99886 * b0 + w * 0.0555179;
            b1 = 0.99332 * b1 + w * 0.0750759;
            b2 = 0.96900 * b2 + w * 0.1538520;
            b3 = 0.86650 * b3 + w * 0.3104856;
            b4 = 0.55000 * b4 + w * 0.5329522;
            b5 = -0.7616 * b5 - w * 0.0168980;
            p[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
            b6 = w * 0.115926;
        }
        return p;
    }
}
