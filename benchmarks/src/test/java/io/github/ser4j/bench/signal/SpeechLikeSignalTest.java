package io.github.ser4j.bench.signal;

import io.github.ser4j.bench.Golden;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeechLikeSignalTest {

    @Test
    void reproducesTheCommittedSignalBitForBit() {
        // the librosa golden values were computed on this file; StrictMath + java.util.Random make it portable
        assertArrayEquals(Golden.floats(Golden.SIGNAL), SpeechLikeSignal.generate(0.3, 16_000));
    }

    @Test
    void shorterSignalIsAPrefixOfALongerOne() {
        float[] one = SpeechLikeSignal.generate(1, 16_000);
        float[] three = SpeechLikeSignal.generate(3, 16_000);
        assertEquals(16_000, one.length);
        assertEquals(48_000, three.length);
        assertArrayEquals(one, Arrays.copyOf(three, one.length));
    }

    @Test
    void levelsAreSpeechLike() {
        for (int rate : new int[] {16_000, 44_100, 48_000}) {
            float[] y = SpeechLikeSignal.generate(30, rate);
            double peak = 0;
            double energy = 0;
            for (float v : y) {
                peak = Math.max(peak, Math.abs(v));
                energy += (double) v * v;
            }
            double rmsDb = 10 * Math.log10(energy / y.length);
            assertTrue(peak > 0.2 && peak < 0.95, "peak " + peak + " at " + rate);
            assertTrue(rmsDb > -35 && rmsDb < -18, "rms " + rmsDb + " dBFS at " + rate);
            // syllables and pauses: the 10 ms frame energy must vary by more than 20 dB
            int hop = rate / 100;
            double lo = Double.MAX_VALUE;
            double hi = 0;
            for (int s = 0; s + hop <= y.length; s += hop) {
                double e = 0;
                for (int i = s; i < s + hop; i++) {
                    e += (double) y[i] * y[i];
                }
                lo = Math.min(lo, e);
                hi = Math.max(hi, e);
            }
            assertTrue(10 * Math.log10(hi / lo) > 20, "envelope range at " + rate);
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> SpeechLikeSignal.generate(0, 16_000));
        assertThrows(IllegalArgumentException.class, () -> SpeechLikeSignal.generate(1, 4000));
    }
}
