package io.github.ser4j.dsp.signal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The streaming form against the batch form, and the length arithmetic against librosa's (numpy) values. */
class ResamplerStreamTest {

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"44100,16000", "48000,16000", "16000,22050", "96000,16000", "8000,16000", "22050,16000",
            "44100,48000", "44101,16000", "16000,16000", "768000,8000", "8000,48000"})
    void chunksOfAnySizeGiveTheBatchSamples(int orig, int target) {
        Random rnd = new Random(orig * 31L + target);
        float[] y = noise(rnd, 20_000 + rnd.nextInt(1000));
        float[] batch = Resampler.resample(y, orig, target);
        Resampler resampler = Resampler.of(orig, target);
        ResamplerStream stream = resampler.newStream();
        for (int trial = 0; trial < 3; trial++) { // also checks that flush leaves the stream reusable
            float[] out = new float[batch.length];
            float[] chunkOut = new float[(int) resampler.maxOutputLength(y.length)];
            int written = 0;
            int pos = 0;
            while (pos < y.length) {
                int max = trial == 0 ? 3 : trial == 1 ? 600 : 20_000;
                int len = Math.min(y.length - pos, rnd.nextInt(max) + (rnd.nextInt(10) == 0 ? 0 : 1));
                long expected = stream.outputLength(len);
                assertTrue(expected <= resampler.maxOutputLength(len), "maxOutputLength bound");
                int n = stream.process(y, pos, len, chunkOut, 0);
                assertEquals(expected, n, "outputLength predicts what process writes");
                System.arraycopy(chunkOut, 0, out, written, n);
                written += n;
                pos += len;
            }
            int tail = stream.flushLength();
            assertTrue(tail <= resampler.maxFlushLength(), "maxFlushLength bound: " + tail);
            assertEquals(tail, stream.flush(out, written));
            written += tail;
            assertEquals(batch.length, written);
            assertArrayEquals(batch, out, "trial " + trial);
            assertEquals(0, stream.samplesIn());
        }
    }

    /**
     * Integer decimations run as FFT blocks (overlap-save); the truth here is the direct form, each output summed in
     * double from the filter row and the zero-extended input, in the order the definition gives.
     */
    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"48000,16000", "32000,16000", "96000,16000", "768000,8000"})
    void fftDecimationEqualsTheDirectSum(int orig, int target) {
        Resampler resampler = Resampler.of(orig, target);
        ResamplerKernel kernel = resampler.kernel();
        assertTrue(kernel.fftDecimation != null, "expected the FFT path for " + orig + " -> " + target);
        float[] h = kernel.bank();
        Random rnd = new Random(orig);
        float[] y = noise(rnd, 3 * kernel.fftDecimation.size + rnd.nextInt(5000));
        float[] ours = resampler.resample(y);
        int down = kernel.down;
        int first = 1 - kernel.halfWidth;
        double peak = 0;
        double worst = 0;
        // soxr's round(n / M) samples are computed; librosa pads to ceil(n / M) with zeros
        int computed = (2 * y.length + down) / (2 * down);
        for (int k = computed; k < ours.length; k++) {
            assertEquals(0f, ours[k], "librosa's zero padding at " + k);
        }
        for (int k = 0; k < computed; k++) {
            double sum = 0;
            for (int j = 0; j < h.length; j++) {
                long i = (long) k * down + first + j;
                sum += i < 0 || i >= y.length ? 0 : (double) h[j] * y[(int) i];
            }
            float direct = (float) sum;
            peak = Math.max(peak, Math.abs(direct));
            worst = Math.max(worst, Math.abs(direct - ours[k]));
        }
        // float32 rounding of values up to ~1.2: a few ulps of the peak (the FFT's own error is ~1e-15)
        assertTrue(worst <= 4 * Math.ulp((float) peak), orig + " Hz: max |FFT - direct| " + worst + ", peak " + peak);
    }

    @Test
    void fftDecimationWritesEachBlockOnceItsInputsHaveArrived() {
        Resampler resampler = Resampler.of(48000, 16000);
        FftDecimation fft = resampler.kernel().fftDecimation;
        ResamplerStream s = resampler.newStream();
        float[] out = new float[(int) resampler.maxOutputLength(fft.size)];
        int firstBlockInputs = fft.size - (resampler.kernel().halfWidth - 1); // the block starts before sample 0
        assertEquals(0, s.process(new float[firstBlockInputs - 1], out, 0), "one sample short of the first block");
        assertEquals(fft.perBlock, s.process(new float[1], out, 0), "the first block's outputs");
        assertEquals(0, s.process(new float[fft.length - 1], out, 0));
        assertEquals(fft.perBlock, s.process(new float[1], out, 0), "the second block's outputs");
        // latency bound of the class Javadoc: at most one block behind the direct form
        assertTrue(fft.size <= 3072, "48 kHz -> 16 kHz runs blocks of " + fft.size + " samples");
    }

    @Test
    void emptyStreamFlushesNothing() {
        ResamplerStream s = Resampler.of(44100, 16000).newStream();
        assertEquals(0, s.flushLength());
        assertEquals(0, s.flush(new float[0], 0));
    }

    @Test
    void outputLengthIsLibrosas() {
        // int(np.ceil(n * (float(target_sr) / orig_sr))) computed with numpy 2.4.6; note 147 -> 161 for 44.1 -> 48 kHz
        // where the exact rational ceiling is 160 (the double product lands just above 160).
        assertEquals(161, Resampler.of(44100, 48000).outputLength(147));
        assertEquals(321, Resampler.of(44100, 48000).outputLength(294));
        assertEquals(37, Resampler.of(44100, 16000).outputLength(100));
        assertEquals(16001, Resampler.of(44100, 16000).outputLength(44101));
        assertEquals(1, Resampler.of(44100, 16000).outputLength(1));
        assertEquals(0, Resampler.of(44100, 16000).outputLength(0));
        assertEquals(4, Resampler.of(48000, 16000).outputLength(10));
        assertEquals(20, Resampler.of(8000, 16000).outputLength(10));
        assertEquals(14, Resampler.of(16000, 22050).outputLength(10));
        assertEquals(161, Resampler.resample(new float[147], 44100, 48000).length);
    }

    @Test
    void lastSampleIsLibrosasZeroPadWhereCeilExceedsRound() {
        // librosa: soxr gives round(100 * 16000/44100) = 36 samples, fix_length pads to ceil(36.28) = 37 with 0.
        float[] y = new float[100];
        Arrays.fill(y, 0.5f);
        float[] out = Resampler.resample(y, 44100, 16000);
        assertEquals(37, out.length);
        assertEquals(0f, out[36]);
        assertEquals(0.5f, out[18], 0.01f); // mid-signal: the DC level, up to the ripple of the abrupt edges
    }

    @Test
    void rejectsBadInputWithoutChangingState() {
        Resampler r = Resampler.of(48000, 16000);
        ResamplerStream s = r.newStream();
        float[] out = new float[100];
        s.process(new float[90], 0, 90, out, 0);
        long in = s.samplesIn();
        float[] bad = new float[10];
        bad[5] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.process(bad, 0, 10, out, 0));
        assertTrue(e.getMessage().contains("in[5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.process(new float[10], 5, 10, out, 0));
        assertThrows(IllegalArgumentException.class, () -> s.process(new float[3000], 0, 3000, new float[10], 0));
        assertEquals(in, s.samplesIn());
        assertThrows(IllegalArgumentException.class, () -> r.resample(new float[0]));
        assertThrows(IllegalArgumentException.class, () -> r.resample(new float[]{1f, Float.POSITIVE_INFINITY}));
        assertThrows(IllegalArgumentException.class, () -> Resampler.of(0, 16000));
        assertThrows(IllegalArgumentException.class, () -> Resampler.of(16000, 768_001));
        IllegalArgumentException far = assertThrows(IllegalArgumentException.class, () -> Resampler.of(768000, 500));
        assertTrue(far.getMessage().contains("1024"), far.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Resampler.of(500, 768000));
    }

    @Test
    void inputIsNotModifiedAndEqualRatesCopy() {
        float[] y = noise(new Random(3), 5000);
        float[] copy = y.clone();
        Resampler.resample(y, 44100, 16000);
        assertArrayEquals(copy, y);
        float[] same = Resampler.resample(y, 16000, 16000);
        assertArrayEquals(y, same);
        assertTrue(same != y);
    }

    @Test
    void processAllocatesNothingInSteadyState() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter on this JVM");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting is off");
        for (int[] pair : new int[][]{{44100, 16000}, {44101, 16000}, {48000, 16000}}) {
            ResamplerStream s = Resampler.of(pair[0], pair[1]).newStream();
            float[] chunk = noise(new Random(5), 7000);
            float[] out = new float[(int) s.resampler().maxOutputLength(chunk.length)];
            for (int i = 0; i < 50; i++) { // warm-up, JIT
                s.process(chunk, 0, chunk.length, out, 0);
            }
            long tid = Thread.currentThread().getId();
            long before = bean.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 200; i++) {
                s.process(chunk, 0, 1 + (i * 37) % chunk.length, out, 0);
            }
            long allocated = bean.getThreadAllocatedBytes(tid) - before;
            assertTrue(allocated < 4096, pair[0] + " Hz: " + allocated + " bytes allocated by 200 process calls");
        }
    }

    static float[] noise(Random rnd, int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (float) (0.3 * rnd.nextGaussian());
        }
        return y;
    }
}
