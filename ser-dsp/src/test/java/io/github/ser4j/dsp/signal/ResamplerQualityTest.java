package io.github.ser4j.dsp.signal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resampler quality against the mathematical truth: a pure tone inside the passband must come out as the same tone
 * sampled at the new rate (same amplitude, same phase, nothing else), and a tone above the output's Nyquist frequency
 * must vanish.
 */
class ResamplerQualityTest {
    private static final double SECONDS = 0.3;

    /** A tone of {@code relative * lower Nyquist}, resampled, against that tone sampled directly at the output rate. */
    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"44100,16000", "48000,16000", "16000,22050", "96000,16000", "8000,16000", "22050,16000",
            "44100,48000", "44101,16000", "16000,8000", "11025,16000", "768000,8000", "8000,768000"})
    void passbandTonesComeOutExactlyAligned(int orig, int target) {
        double nyquist = Math.min(orig, target) / 2.0;
        double worstSnr = Double.POSITIVE_INFINITY;
        double worstGainDb = 0;
        for (double relative : new double[]{0.01, 0.1, 0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 0.913}) {
            double f = relative * nyquist;
            double phase = 0.3 + relative;
            float[] y = tone(f, phase, orig, (int) (SECONDS * orig));
            float[] out = Resampler.resample(y, orig, target);
            // Skip the edges, where the abrupt start and end of the tone are not band-limited.
            int edge = Resampler.of(orig, target).taps() * target / orig + 16;
            double sig = 0;
            double err = 0;
            double dot = 0;
            for (int k = edge; k < out.length - edge; k++) {
                double ideal = 0.5 * Math.sin(2 * Math.PI * f * k / target + phase);
                sig += ideal * ideal;
                err += (out[k] - ideal) * (out[k] - ideal);
                dot += out[k] * ideal;
            }
            double snr = 10 * Math.log10(sig / err);
            double gainDb = 20 * Math.log10(dot / sig);
            worstSnr = Math.min(worstSnr, snr);
            worstGainDb = Math.abs(gainDb) > Math.abs(worstGainDb) ? gainDb : worstGainDb;
        }
        System.out.printf("passband %6d -> %6d Hz: worst SNR vs ideal tone %.1f dB, worst gain %.2e dB%n", orig,
                target, worstSnr, worstGainDb);
        assertTrue(worstSnr > 100, "SNR against the ideal tone " + worstSnr + " dB, > 100 dB expected");
        assertTrue(Math.abs(worstGainDb) < 1e-4, "passband gain " + worstGainDb + " dB, |.| < 1e-4 dB expected");
    }

    /** Tones between the output Nyquist frequency and the input's must not alias into the output. */
    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"44100,16000", "48000,16000", "96000,16000", "22050,16000", "48000,44100", "44101,16000",
            "768000,8000", "16000,8000"})
    void tonesAboveTheOutputNyquistAreRemoved(int orig, int target) {
        double nyquist = target / 2.0;
        double worst = Double.NEGATIVE_INFINITY;
        for (double relative : new double[]{1.0, 1.005, 1.02, 1.1, 1.3, 1.7, 2.5, 5.0, 20.0}) {
            double f = relative * nyquist;
            if (f >= orig / 2.0 * 0.999) {
                continue;
            }
            float[] y = tone(f, 0.7, orig, (int) (SECONDS * orig));
            float[] out = Resampler.resample(y, orig, target);
            int edge = Resampler.of(orig, target).taps() * target / orig + 16;
            double energy = 0;
            for (int k = edge; k < out.length - edge; k++) {
                energy += (double) out[k] * out[k];
            }
            double rms = Math.sqrt(energy / (out.length - 2 * edge));
            double attenuationDb = 20 * Math.log10(rms / (0.5 / Math.sqrt(2)));
            worst = Math.max(worst, attenuationDb);
        }
        System.out.printf("stopband %6d -> %6d Hz: worst residual %.1f dB%n", orig, target, worst);
        assertTrue(worst < -110, "a tone above the output Nyquist leaks at " + worst + " dB, < -110 dB expected");
    }

    static float[] tone(double f, double phase, int sr, int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (float) (0.5 * Math.sin(2 * Math.PI * f * i / sr + phase));
        }
        return y;
    }
}
