package io.github.ser4j.bench.peer;

import io.github.ser4j.bench.Golden;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NaiveDftMfccTest {

    @Test
    void matchesLibrosaMfcc() {
        float[] y = Golden.floats(Golden.SIGNAL);
        float[] expected = Golden.floats(Golden.LIBROSA_MFCC);
        float[][] got = new NaiveDftMfcc(16_000, 512, 160, 64, 40).mfcc(y);
        assertEquals(40, got.length);
        int frames = got[0].length;
        assertEquals(31, frames);
        assertEquals(expected.length, 40 * frames);
        double worst = 0;
        for (int k = 0; k < 40; k++) {
            for (int t = 0; t < frames; t++) {
                worst = Math.max(worst, Math.abs(got[k][t] - expected[k * frames + t]));
            }
        }
        // librosa computes in float32 (values up to ~500): a few thousandths is float rounding
        assertTrue(worst < 0.01, "max |naive - librosa| = " + worst);
    }

    @Test
    void slaneyMelScaleRoundTrips() {
        assertEquals(15.0, NaiveDftMfcc.hzToMel(1000), 1e-12);
        assertEquals(3.0, NaiveDftMfcc.hzToMel(200), 1e-12);
        assertEquals(4000.0, NaiveDftMfcc.melToHz(NaiveDftMfcc.hzToMel(4000)), 1e-9);
    }
}
