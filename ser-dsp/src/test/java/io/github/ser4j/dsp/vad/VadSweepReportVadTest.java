package io.github.ser4j.dsp.vad;

import io.github.ser4j.dsp.vad.VadSignalsForTest.Noise;
import io.github.ser4j.dsp.vad.VadSignalsForTest.Scene;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

/**
 * The figures for the README: boundary errors of the default segmenter over 30 seeds per condition (5 bursts each),
 * clean and in white/pink noise from 20 down to -5 dB SNR. Takes about half a minute, so it only runs when asked:
 * {@code mvn -pl ser-dsp test -Dtest=VadSweepReportVadTest -Dser4j.vad.sweep=true}. Asserts the same 50 ms contract
 * as {@link SegmenterVadTest} for 0 dB and above; below that it only reports.
 */
class VadSweepReportVadTest {

    @Test
    void sweep() {
        Assumptions.assumeTrue(Boolean.getBoolean("ser4j.vad.sweep"),
                "VAD sweep skipped: run with -Dser4j.vad.sweep=true to print the boundary-error table");
        double[] durations = {0.75, 1.25, 0.5, 1.5, 1.0};
        double[] gaps = {0.8, 1.0, 0.7, 1.2};
        int failures = 0;
        for (int rate : new int[] {16000, 8000}) {
            for (Noise noise : Noise.values()) {
                for (double snr : new double[] {20, 10, 5, 0, -5}) {
                    int countMismatch = 0;
                    int beyond = 0;
                    int n = 0;
                    double max = 0;
                    double sumAbs = 0;
                    for (long seed = 1; seed <= 30; seed++) {
                        Scene scene = VadSignalsForTest.scene(rate, 1.5, durations, gaps, 1.0, seed);
                        float[] x = VadSignalsForTest.withNoise(scene, noise, snr, 1000 + seed);
                        List<SpeechSegment> segs = SpeechSegmenter.builder(rate)
                                .silenceStopSeconds(Double.POSITIVE_INFINITY).build().segmentAll(x);
                        if (segs.size() != scene.bursts().size()) {
                            countMismatch++;
                            continue;
                        }
                        for (int i = 0; i < segs.size(); i++) {
                            double ds = Math.abs(segs.get(i).startSeconds() - scene.bursts().get(i).startSeconds(rate));
                            double de = Math.abs(segs.get(i).endSeconds() - scene.bursts().get(i).endSeconds(rate));
                            sumAbs += ds + de;
                            n += 2;
                            max = Math.max(max, Math.max(ds, de));
                            if (ds > 0.05 || de > 0.05) {
                                beyond++;
                            }
                        }
                    }
                    System.out.printf(Locale.ROOT, "| %5d | %-5s | %3.0f | %2d/30 | %3d | %6.1f | %6.1f |%n", rate,
                            noise, snr, countMismatch, beyond, n == 0 ? Double.NaN : sumAbs / n * 1000, max * 1000);
                    if (snr >= 0 && (countMismatch > 0 || beyond > 0)) {
                        failures++;
                    }
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(0, failures, "conditions at 0 dB SNR or better out of contract");
    }
}
