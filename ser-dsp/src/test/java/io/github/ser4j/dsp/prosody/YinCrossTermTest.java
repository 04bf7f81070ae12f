package io.github.ser4j.dsp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * YIN's two forms of the cross term: blocks shared by consecutive frames (when the hop divides the integration window)
 * and one transform per frame. The per-frame form is the one ProsodyGoldenTest holds to numpy for the defaults; here
 * both forms must give the same F0 and aperiodicity on other parameters, and the F0 of a tone of known pitch.
 */
class YinCrossTermTest {
    private static final int SR = 16000;

    private static float[] noisyTone(double f0, double seconds, long seed) {
        Random rnd = new Random(seed);
        float[] y = new float[(int) Math.round(seconds * SR)];
        double phase = 0;
        for (int i = 0; i < y.length; i++) {
            // a 3 Hz vibrato of +-2 %, by a running phase
            phase += 2 * Math.PI * f0 * (1 + 0.02 * Math.sin(2 * Math.PI * 3 * i / SR)) / SR;
            double v = 0;
            for (int h = 1; h <= 6; h++) {
                v += 0.3 / h * Math.sin(h * phase + h);
            }
            // a pause in the middle: silence and noise frames as well as voiced ones
            double env = i > y.length / 3 && i < y.length / 2 ? 0.0 : 1.0;
            y[i] = (float) (env * v + 0.02 * rnd.nextGaussian());
        }
        return y;
    }

    @ParameterizedTest(name = "hop {0}, yin_win {1}, f0 {2} Hz")
    @CsvSource({"160, 480, 140", "160, 320, 220", "100, 400, 180", "80, 480, 310", "200, 600, 95"})
    void blockedAndPerFrameFormsAgreeAndFindTheToneF0(int hop, int yinWin, double f0) {
        Yin yin = Yin.builder().hopLength(hop).yinWin(yinWin).build();
        float[] y = noisyTone(f0, 2.3, hop * 31L + yinWin);
        double divisor = 0.37;
        Yin.Track blocked = yin.analyze(y, divisor, true);
        Yin.Track perFrame = yin.analyze(y, divisor, false);
        assertEquals(yin.frameCount(y.length), blocked.frameCount());
        int voicedNearTruth = 0;
        int voiced = 0;
        for (int t = 0; t < blocked.frameCount(); t++) {
            assertEquals(perFrame.aperiodicity()[t], blocked.aperiodicity()[t], 1e-9, "aperiodicity, frame " + t);
            assertEquals(perFrame.f0()[t], blocked.f0()[t], 1e-9 * perFrame.f0()[t], "F0, frame " + t);
            if (blocked.aperiodicity()[t] < 0.25) {
                voiced++;
                // the vibrato moves the pitch by 2 %: within 3 % of the nominal F0 (about 50 cents)
                if (Math.abs(blocked.f0()[t] / f0 - 1) < 0.03) {
                    voicedNearTruth++;
                }
            }
        }
        assertTrue(voiced > blocked.frameCount() / 2, "voiced frames: " + voiced + " of " + blocked.frameCount());
        assertTrue(voicedNearTruth >= 0.95 * voiced, voicedNearTruth + " of " + voiced + " voiced frames near " + f0);
    }

    @ParameterizedTest(name = "hop {0}, yin_win {1}")
    @CsvSource({"160, 400", "150, 480", "16, 480"})
    void hopsThatDoNotSplitTheWindowIntoUsefulBlocksUseThePerFrameForm(int hop, int yinWin) {
        Yin yin = Yin.builder().hopLength(hop).yinWin(yinWin).build();
        float[] y = noisyTone(150, 0.5, 7);
        assertThrows(IllegalStateException.class, () -> yin.analyze(y, 1.0, true));
        Yin.Track t = yin.analyze(y);
        assertEquals(yin.frameCount(y.length), t.frameCount());
    }
}
