package io.github.ser4j.dsp.denoise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpectralGateTest {
    private static final int SR = 16000;

    /** Every case of golden/denoise/index.tsv (numpy reference, make_denoise_goldens.py) to 2e-5. */
    @Test
    void matchesTheNumpyReference() throws IOException {
        List<String[]> cases = index();
        assertEquals(5, cases.size());
        for (String[] c : cases) {
            float[] in = f32(c[4]);
            assertEquals(Integer.parseInt(c[3]), in.length);
            SpectralGate.Builder b = SpectralGate.builder();
            int nFft = 1024;
            int hop = 0;
            if (!c[2].equals("-")) {
                for (String kv : c[2].split(";")) {
                    String[] p = kv.split("=");
                    double v = Double.parseDouble(p[1]);
                    switch (p[0]) {
                        case "prop_decrease" -> b.propDecrease(v);
                        case "time_constant_s" -> b.timeConstantS(v);
                        case "thresh_n_mult_nonstationary" -> b.threshNMultNonstationary(v);
                        case "sigmoid_slope_nonstationary" -> b.sigmoidSlopeNonstationary(v);
                        case "n_std_thresh_stationary" -> b.nStdThreshStationary(v);
                        case "freq_mask_smooth_hz" -> b.freqMaskSmoothHz(v);
                        case "time_mask_smooth_ms" -> b.timeMaskSmoothMs(v);
                        case "n_fft" -> nFft = (int) v;
                        case "hop_length" -> hop = (int) v;
                        default -> throw new AssertionError(p[0]);
                    }
                }
            }
            b.nFft(nFft);
            if (hop > 0) {
                b.hopLength(hop);
            }
            if (c[1].equals("stationary")) {
                b.noiseProfile(NoiseProfile.of(f32(c[5]), SR, nFft, hop > 0 ? hop : nFft / 4));
            }
            float[] want = f32(c[6]);
            float[] got = b.build().apply(in, SR);
            double worst = 0;
            for (int i = 0; i < want.length; i++) {
                worst = Math.max(worst, Math.abs(want[i] - got[i]));
            }
            assertTrue(worst < 2e-5, c[0] + ": max |java - numpy| = " + worst);
        }
    }

    @Test
    void streamingInRandomChunksIsBitIdenticalToTheWholeSignal() {
        Random rnd = new Random(7);
        float[] y = noisySpeech(rnd, 1.3, 0);
        for (SpectralGate gate : new SpectralGate[] {SpectralGate.nonStationary(),
                SpectralGate.builder().noiseProfile(NoiseProfile.of(whiteNoise(rnd, 8000, 0.1f), SR)).build(),
                SpectralGate.builder().nFft(512).hopLength(128).timeMaskSmoothMs(0).build()}) {
            float[] whole = gate.apply(y, SR);
            GateStream s = gate.stream(SR);
            float[] out = new float[y.length];
            int w = 0;
            float[] buf = new float[y.length + 4096];
            for (int i = 0; i < y.length; ) {
                int len = Math.min(y.length - i, rnd.nextInt(5) == 0 ? 0 : 1 + rnd.nextInt(700));
                int got = s.process(y, i, len, buf, 0);
                assertTrue(got <= s.maxOutput(len));
                System.arraycopy(buf, 0, out, w, got);
                w += got;
                i += len;
            }
            int tail = s.finish(buf, 0);
            assertTrue(tail <= s.maxFinish());
            System.arraycopy(buf, 0, out, w, tail);
            assertEquals(y.length, w + tail, gate.toString());
            assertArrayEquals(whole, out, gate.toString());
        }
    }

    @Test
    void outputTrailsTheInputByTheStatedLatency() {
        GateStream s = SpectralGate.nonStationary().stream(SR);
        // n_fft 1024 - hop 256 + int(50 ms / 16 ms) = 3 frames of 256
        assertEquals(1024 - 256 + 3 * 256, s.latencySamples());
        float[] buf = new float[20000];
        int out = s.process(new float[63 * 256], 0, 63 * 256, buf, 0);
        assertEquals(63 * 256 - s.latencySamples(), out);
    }

    @Test
    void withPropDecreaseZeroTheSignalComesBackUnchanged() {
        float[] y = noisySpeech(new Random(3), 1.0, 10);
        float[] out = SpectralGate.builder().propDecrease(0).build().apply(y, SR);
        // mask 1 everywhere, edges included: the overlap-add reconstructs the input
        for (int i = 0; i < y.length; i++) {
            assertEquals(y[i], out[i], 1e-5, "sample " + i);
        }
    }

    /** SNR against the clean signal (an independent truth) rises in loud white noise in both modes. */
    @Test
    void raisesTheSnrOfSpeechInLoudWhiteNoise() {
        Random rnd = new Random(11);
        float[] clean = speechLike(rnd, 3.0);
        double p = activePower(clean);
        float sigma = (float) Math.sqrt(p);  // 0 dB
        float[] noisy = clean.clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (sigma * rnd.nextGaussian());
        }
        double before = snr(clean, noisy);
        double nonStationary = snr(clean, SpectralGate.nonStationary().apply(noisy, SR));
        double stationary = snr(clean, SpectralGate.builder()
                .noiseProfile(NoiseProfile.of(whiteNoise(rnd, 8000, sigma), SR)).build().apply(noisy, SR));
        assertTrue(nonStationary > before + 2, "non-stationary: " + before + " -> " + nonStationary + " dB");
        assertTrue(stationary > before + 3, "stationary: " + before + " -> " + stationary + " dB");
    }

    @Test
    void quietestFramesOfARecordingWithPausesGiveTheNoiseLevel() {
        float[] clean = speechLike(new Random(5), 3.0);
        float sigma = (float) Math.sqrt(activePower(clean) / 10);  // 10 dB SNR
        Random rnd = new Random(6);
        float[] y = clean.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += (float) (sigma * rnd.nextGaussian());
        }
        double[] a = NoiseProfile.fromQuietestFrames(y, SR, 0.1, 1024, 256).meanDb();
        double[] all = NoiseProfile.fromQuietestFrames(y, SR, 1.0, 1024, 256).meanDb();
        double[] b = NoiseProfile.of(whiteNoise(rnd, 32000, sigma), SR).meanDb();
        // averaged over 200-2000 Hz, the level of the quietest tenth of the frames is the noise's (+-1.5 dB: 5
        // frames), while all frames, speech included, are clearly above it
        double gap = 0;
        double speech = 0;
        for (int f = 13; f < 128; f++) {
            gap += (a[f] - b[f]) / 115;
            speech += (all[f] - b[f]) / 115;
        }
        assertEquals(0, gap, 1.5, "quietest frames vs noise, mean dB difference");
        assertTrue(speech > 2 && Math.abs(gap) < speech - 1, "all frames vs noise: " + speech + " dB, quietest " + gap);
    }

    @Test
    void badInputAndSettingsAreRejected() {
        SpectralGate gate = SpectralGate.nonStationary();
        float[] bad = new float[4000];
        bad[100] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> gate.apply(bad, SR));
        GateStream s = gate.stream(SR);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.process(bad, 0, bad.length, new float[10000], 0));
        assertTrue(e.getMessage().contains("src[100]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gate.stream(0));
        assertThrows(IllegalArgumentException.class, () -> SpectralGate.builder().propDecrease(1.5));
        assertThrows(IllegalArgumentException.class, () -> SpectralGate.builder().nFft(1000).hopLength(300).build());
        assertThrows(IllegalArgumentException.class,
                () -> SpectralGate.builder().nFft(512).hopLength(512).build().stream(SR));
        NoiseProfile p = NoiseProfile.of(new float[4000], 8000);
        assertThrows(IllegalArgumentException.class, () -> SpectralGate.builder().noiseProfile(p).build().stream(SR));
        assertThrows(IllegalArgumentException.class, () -> SpectralGate.builder().nFft(512).noiseProfile(p).build());
        assertThrows(IllegalArgumentException.class, () -> NoiseProfile.of(new float[100], SR));
        s.finish(new float[s.maxFinish()], 0);
        assertThrows(IllegalStateException.class, () -> s.process(new float[1], 0, 1, new float[300], 0));
    }

    @Test
    void allocatesNothingPerHopOnceRunning() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        GateStream s = SpectralGate.nonStationary().stream(SR);
        float[] chunk = whiteNoise(new Random(1), 512, 0.1f);
        float[] out = new float[4096];
        for (int i = 0; i < 400; i++) {
            s.process(chunk, 0, chunk.length, out, 0);
        }
        long tid = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 200; i++) {
            s.process(chunk, 0, 1 + (i * 37) % chunk.length, out, 0);
        }
        long allocated = bean.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 4096, allocated + " bytes allocated by 200 process calls");
    }

    // ----------------------------------------------------------------------------------------------------------

    static float[] speechLike(Random rnd, double seconds) {
        int n = (int) (seconds * SR);
        float[] y = new float[n];
        double t = 0.05;
        while (t < seconds - 0.3) {
            double dur = 0.12 + 0.18 * rnd.nextDouble();
            int a = (int) (t * SR);
            int b = (int) ((t + dur) * SR);
            double f0 = 110 + 130 * rnd.nextDouble();
            double phase = 0;
            for (int i = a; i < b; i++) {
                double tt = (i - a) / (double) SR;
                phase += 2 * Math.PI * f0 * (1 + 0.3 * tt / dur) / SR;
                double env = Math.pow(Math.sin(Math.PI * (i - a) / (b - a)), 2);
                double v = 0;
                for (int h = 1; h < 12 && h * f0 * 1.3 < SR / 2.0; h++) {
                    v += 0.3 / h * Math.sin(h * phase);
                }
                y[i] = (float) (env * v);
            }
            t += dur + 0.08 + 0.17 * rnd.nextDouble();
        }
        return y;
    }

    static float[] noisySpeech(Random rnd, double seconds, double snrDb) {
        float[] y = speechLike(rnd, seconds);
        double sigma = Math.sqrt(activePower(y) / Math.pow(10, snrDb / 10));
        for (int i = 0; i < y.length; i++) {
            y[i] += (float) (sigma * rnd.nextGaussian());
        }
        return y;
    }

    static float[] whiteNoise(Random rnd, int n, float sigma) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (float) (sigma * rnd.nextGaussian());
        }
        return y;
    }

    static double activePower(float[] y) {
        double s = 0;
        int k = 0;
        for (float v : y) {
            if (v != 0) {
                s += v * v;
                k++;
            }
        }
        return s / k;
    }

    static double snr(float[] clean, float[] z) {
        double s = 0;
        double e = 0;
        for (int i = 0; i < clean.length; i++) {
            s += clean[i] * clean[i];
            double d = z[i] - clean[i];
            e += d * d;
        }
        return 10 * Math.log10(s / e);
    }

    private static List<String[]> index() throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : new String(resource("index.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.split("\t"));
            }
        }
        return out;
    }

    private static float[] f32(String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(resource(name)).order(ByteOrder.LITTLE_ENDIAN);
        float[] y = new float[b.remaining() / 4];
        b.asFloatBuffer().get(y);
        return y;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SpectralGateTest.class.getResourceAsStream("/golden/denoise/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource golden/denoise/" + name);
            }
            return in.readAllBytes();
        }
    }
}
