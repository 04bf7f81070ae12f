package io.github.ser4j.audio.javasound;

import io.github.ser4j.dsp.vad.SpeechSegment;
import io.github.ser4j.dsp.vad.SpeechSegmenter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default voice-activity segmenter on real (synthesised) speech: espeak-ng saying "seven" (a committed fixture),
 * placed between 1 s and 1.5 s of silence, clean and with white or pink noise at 20, 10 and 0 dB SNR (speech power over
 * the word / noise power). The truth is taken from the clean recording alone: the first and last 10 ms frames whose
 * level is within 35 dB of its loudest frame.
 */
class SpeechFileVadTest {
    private static final int RATE = 16000;

    @ParameterizedTest(name = "{0} noise at {1} dB SNR")
    @CsvSource({"none, 99", "white, 20", "white, 10", "white, 0", "pink, 20", "pink, 10", "pink, 0"})
    void theWordIsOneSegmentWithBoundariesNearTheTruth(String noise, double snr) throws Exception {
        float[] word = TestAudio.readAll(JavaSoundAudio.open(TestAudio.fixture("speech_seven_16k.wav")), 4096);
        float[] clean = new float[RATE + word.length + RATE * 3 / 2];
        System.arraycopy(word, 0, clean, RATE, word.length);
        int[] truth = truth(clean);
        float[] x = noise.equals("none") ? clean : addNoise(clean, truth, noise.equals("pink"), snr);
        List<SpeechSegment> segs = SpeechSegmenter.builder(RATE).silenceStopSeconds(Double.POSITIVE_INFINITY).build()
                .segmentAll(x);
        double ts = (double) truth[0] / RATE;
        double te = (double) truth[1] / RATE;
        assertEquals(1, segs.size(), () -> "segments " + segs + ", truth " + ts + "-" + te);
        double ds = segs.get(0).startSeconds() - ts;
        double de = segs.get(0).endSeconds() - te;
        System.out.printf(Locale.ROOT, "espeak 'seven', %-5s noise, SNR %2.0f dB: truth %.3f-%.3f s, found %.3f-%.3f s"
                + " (start %+.0f ms, end %+.0f ms)%n", noise, snr, ts, te, segs.get(0).startSeconds(),
                segs.get(0).endSeconds(), ds * 1000, de * 1000);
        double tolerance = snr >= 10 ? 0.050 : 0.120;
        assertTrue(Math.abs(ds) <= tolerance && Math.abs(de) <= tolerance,
                String.format(Locale.ROOT, "start error %.3f s, end error %.3f s", ds, de));
    }

    /** First and last sample of the 10 ms frames within 35 dB of the loudest frame. */
    private static int[] truth(float[] clean) {
        int frame = RATE / 100;
        int frames = clean.length / frame;
        double[] level = new double[frames];
        double max = 0;
        for (int k = 0; k < frames; k++) {
            double s = 0;
            for (int i = k * frame; i < (k + 1) * frame; i++) {
                s += clean[i] * clean[i];
            }
            level[k] = s / frame;
            max = Math.max(max, level[k]);
        }
        int first = -1;
        int last = -1;
        for (int k = 0; k < frames; k++) {
            if (level[k] >= max * Math.pow(10, -3.5)) {
                if (first < 0) {
                    first = k;
                }
                last = k;
            }
        }
        return new int[] {first * frame, (last + 1) * frame};
    }

    private static float[] addNoise(float[] clean, int[] truth, boolean pink, double snrDb) {
        Random rnd = new Random(42);
        double[] n = new double[clean.length];
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double b3 = 0;
        double b4 = 0;
        double b5 = 0;
        double b6 = 0;
        for (int i = 0; i < n.length; i++) {
            double w = rnd.nextGaussian();
            if (pink) { // Paul Kellett's refined pink filter
                b0 = 0.99886 * b0 + w * 0.0555179;
                b1 = 0.99332 * b1 + w * 0.0750759;
                b2 = 0.96900 * b2 + w * 0.1538520;
                b3 = 0.86650 * b3 + w * 0.3104856;
                b4 = 0.55000 * b4 + w * 0.5329522;
                b5 = -0.7616 * b5 - w * 0.0168980;
                n[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
                b6 = w * 0.115926;
            } else {
                n[i] = w;
            }
        }
        double ps = 0;
        for (int i = truth[0]; i < truth[1]; i++) {
            ps += clean[i] * clean[i];
        }
        ps /= truth[1] - truth[0];
        double pn = 0;
        for (double v : n) {
            pn += v * v;
        }
        pn /= n.length;
        double g = Math.sqrt(ps / Math.pow(10, snrDb / 10) / pn);
        float[] out = new float[clean.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (clean[i] + g * n[i]);
        }
        return out;
    }
}
