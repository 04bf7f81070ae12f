package io.github.ser4j.dsp.feature;

import io.github.ser4j.api.FeatureExtractor;
import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.dsp.spectral.ChromaFilterBank;
import io.github.ser4j.dsp.spectral.Delta;
import io.github.ser4j.dsp.spectral.MelFilterBank;
import io.github.ser4j.dsp.spectral.PadMode;
import io.github.ser4j.dsp.spectral.PowerToDb;
import io.github.ser4j.dsp.spectral.Stft;
import io.github.ser4j.dsp.spectral.Window;
import io.github.ser4j.dsp.fft.RealFft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FeatureExtractor contract, parameter maps, and bad input (clear IllegalArgumentException, never a crash). */
class ExtractorContractTest {

    static List<FeatureExtractor> extractors() {
        return List.of(
                MelSpectrogram.builder().sr(16000).nFft(512).hopLength(160).nMels(64).build(),
                MelSpectrogram.builder().decibels(PowerToDb.builder().refMax().build()).build(),
                Mfcc.builder().sr(16000).nFft(512).hopLength(160).nMels(64).nMfcc(40).build(),
                Mfcc.builder().build(),
                Rms.builder().build(),
                ZeroCrossingRate.builder().build(),
                SpectralCentroid.builder().build(),
                SpectralBandwidth.builder().build(),
                SpectralRolloff.builder().build(),
                ChromaStft.builder().build(),
                ChromaStft.builder().tuning(0.0).nChroma(24).build());
    }

    private static float[] noise(int n, long seed) {
        Random random = new Random(seed);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (float) random.nextGaussian() * 0.1f;
        }
        return y;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extractors")
    void shapesAndParametersAreConsistent(FeatureExtractor e) {
        for (int n : new int[] {1, 100, 2048, 22050}) {
            float[] y = noise(n, n);
            float[] copy = y.clone();
            FeatureMatrix m = e.extract(y);
            assertArrayEquals(copy, y, "input modified");
            assertEquals(e.featureCount(), m.rows());
            assertEquals(e.frameCount(n), m.columns());
        }
        Map<String, Object> p = e.parameters();
        assertThrows(UnsupportedOperationException.class, () -> p.put("x", 1));
        assertEquals(e.sampleRate(), ((Number) p.get("sr")).intValue());
        assertTrue(p.containsKey("hop_length"));
        assertTrue(e.name().matches("[a-z_()]+"), e.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extractors")
    void badSamplesAreRejected(FeatureExtractor e) {
        assertIae(() -> e.extract(new float[0]), "empty");
        assertIae(() -> e.extract(new float[] {0, Float.NaN, 0}), "not finite");
        assertIae(() -> e.extract(new float[] {Float.NEGATIVE_INFINITY}), "not finite");
    }

    @Test
    void librosaDefaultsAndNames() {
        Mfcc mfcc = Mfcc.builder().build();
        assertEquals("mfcc", mfcc.name());
        Map<String, Object> p = mfcc.parameters();
        assertEquals(22050, p.get("sr"));
        assertEquals(2048, p.get("n_fft"));
        assertEquals(512, p.get("hop_length"));
        assertEquals(2048, p.get("win_length"));
        assertEquals("hann", p.get("window"));
        assertEquals(true, p.get("center"));
        assertEquals("constant", p.get("pad_mode"));
        assertEquals(128, p.get("n_mels"));
        assertEquals(20, p.get("n_mfcc"));
        assertEquals("ortho", p.get("norm"));
        assertEquals(11025.0, p.get("fmax"));
        assertEquals(80.0, p.get("top_db"));
        assertEquals("melspectrogram", MelSpectrogram.builder().build().name());
        assertEquals("power_to_db(melspectrogram)",
                MelSpectrogram.builder().decibels(PowerToDb.builder().build()).build().name());
        assertEquals(512, Stft.builder().build().hopLength(), "librosa.stft hop defaults to win_length // 4");
        assertEquals(100, Stft.builder().nFft(512).winLength(400).build().hopLength());
        MelSpectrogram mel = MelSpectrogram.builder().sr(16000).nMels(40).htk(true).build();
        assertEquals(mel.parameters(), mel.toBuilder().build().parameters());
        assertEquals(mfcc.parameters(), mfcc.toBuilder().build().parameters());
    }

    @Test
    void badParametersAreRejected() {
        assertIae(() -> Stft.builder().hopLength(-1), "hop_length");
        assertIae(() -> MelSpectrogram.builder().hopLength(0).build(), "hop_length");
        assertIae(() -> Mfcc.builder().hopLength(-5).build(), "hop_length");
        assertIae(() -> Rms.builder().hopLength(0).build(), "hop_length");
        assertIae(() -> ZeroCrossingRate.builder().frameLength(0).build(), "frame_length");
        assertIae(() -> Stft.builder().nFft(0).build(), "n_fft");
        assertIae(() -> Stft.builder().nFft(512).winLength(513).build(), "win_length");
        assertIae(() -> Stft.builder().nFft(3).build(), "hop_length=0 (win_length // 4)");
        assertIae(() -> MelSpectrogram.builder().sr(0).build(), "sr");
        assertIae(() -> MelSpectrogram.builder().fmin(4000).fmax(3000).build(), "fmax");
        assertIae(() -> MelSpectrogram.builder().fmin(-1).build(), "fmin");
        assertIae(() -> MelSpectrogram.builder().nMels(0).build(), "n_mels");
        assertIae(() -> MelSpectrogram.builder().power(0).build(), "power");
        assertIae(() -> Mfcc.builder().nMels(20).nMfcc(21).build(), "n_mfcc");
        assertIae(() -> Mfcc.builder().lifter(-1).build(), "lifter");
        assertIae(() -> Mfcc.builder().topDb(-1.0).build(), "top_db");
        assertIae(() -> PowerToDb.builder().amin(0).build(), "amin");
        assertIae(() -> SpectralRolloff.builder().rollPercent(1.0).build(), "roll_percent");
        assertIae(() -> SpectralBandwidth.builder().p(0).build(), "p");
        assertIae(() -> ChromaStft.builder().nChroma(0).build(), "n_chroma");
        assertIae(() -> ChromaStft.builder().norm(-1.0).build(), "norm");
        assertIae(() -> Window.of(new double[] {1, Double.NaN}), "not finite");
        assertIae(() -> Stft.builder().nFft(8).window(Window.of(new double[5])).build(), "Window size mismatch");
        assertIae(() -> Window.named("kaiser"), "not supported");
        assertIae(() -> PadMode.of("wrap"), "not supported");
        assertIae(() -> new RealFft(0), "FFT size");
        assertIae(() -> ChromaFilterBank.weights(22050, 2048, 12, Double.NaN), "tuning");
        assertIae(() -> Delta.delta(new float[][] {new float[8]}, 9, 1), "cannot exceed");
        assertIae(() -> Delta.delta(new float[][] {new float[20]}, 4, 1), "odd integer");
        assertIae(() -> Delta.delta(new float[][] {new float[20]}, 3, 3), "less than width");
    }

    @Test
    void signalsShorterThanAFrame() {
        float[] y = noise(300, 1);
        // librosa raises for uncentred analysis of a signal shorter than n_fft ...
        assertIae(() -> Mfcc.builder().nFft(512).center(false).build().extract(y), "too large");
        assertIae(() -> Rms.builder().frameLength(512).center(false).build().extract(y), "too large");
        assertIae(() -> Stft.builder().nFft(512).center(false).build().power(y), "too large");
        // ... and pads a centred one (covered numerically by the goldens short_301 / tiny_7)
        assertEquals(2, Mfcc.builder().sr(16000).nFft(512).hopLength(160).build().extract(y).columns());
        assertEquals(1, Stft.builder().nFft(2048).padMode(PadMode.REFLECT).build().power(new float[] {0.5f})[0]
                .length);
    }

    @Test
    void emptyMelFiltersAndFmaxAboveNyquistWorkAsInLibrosa() {
        MelFilterBank empty = MelFilterBank.builder().sr(8000).nFft(256).nMels(256).build();
        assertTrue(empty.hasEmptyFilters());
        assertTrue(!MelFilterBank.builder().sr(8000).nFft(256).nMels(128).build().hasEmptyFilters());
        MelFilterBank wide = MelFilterBank.builder().sr(16000).nFft(512).nMels(64).fmax(10000).build();
        assertEquals(10000, wide.fmax());
        FeatureMatrix m = MelSpectrogram.builder().sr(8000).nFft(256).nMels(256).build().extract(noise(800, 2));
        assertEquals(256, m.rows());
    }

    @Test
    void concurrentExtractionsShareImmutableTablesSafely() throws Exception {
        // shared: the extractor, the cached window and the FFT/DCT plans; per call: the scratch buffers
        Mfcc mfcc = Mfcc.builder().sr(16000).nFft(400).hopLength(160).nMels(64).nMfcc(40).build();
        MelSpectrogram mel = MelSpectrogram.builder().sr(16000).nFft(512).hopLength(128).nMels(40).build();
        float[][] inputs = new float[8][];
        FeatureMatrix[] expectedMfcc = new FeatureMatrix[inputs.length];
        FeatureMatrix[] expectedMel = new FeatureMatrix[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = noise(8000 + 1234 * i, 100 + i);
            expectedMfcc[i] = mfcc.extract(inputs[i]);
            expectedMel[i] = mel.extract(inputs[i]);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int task = 0; task < 16; task++) {
                int offset = task;
                results.add(pool.submit(() -> {
                    for (int r = 0; r < 10; r++) {
                        int i = (offset + r) % inputs.length;
                        if (!mfcc.extract(inputs[i]).equals(expectedMfcc[i])
                                || !mel.extract(inputs[i]).equals(expectedMel[i])) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertIae(Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(fragment),
                "message '" + e.getMessage() + "' should mention '" + fragment + "'");
    }
}
