package io.github.ser4j.dsp.golden;

import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.dsp.feature.ChromaStft;
import io.github.ser4j.dsp.feature.MelSpectrogram;
import io.github.ser4j.dsp.feature.Mfcc;
import io.github.ser4j.dsp.feature.Npy;
import io.github.ser4j.dsp.feature.Rms;
import io.github.ser4j.dsp.feature.SpectralBandwidth;
import io.github.ser4j.dsp.feature.SpectralCentroid;
import io.github.ser4j.dsp.feature.SpectralRolloff;
import io.github.ser4j.dsp.feature.ZeroCrossingRate;
import io.github.ser4j.dsp.spectral.ChromaFilterBank;
import io.github.ser4j.dsp.spectral.DctNorm;
import io.github.ser4j.dsp.spectral.Delta;
import io.github.ser4j.dsp.spectral.MelFilterBank;
import io.github.ser4j.dsp.spectral.MelNorm;
import io.github.ser4j.dsp.spectral.PadMode;
import io.github.ser4j.dsp.spectral.PowerToDb;
import io.github.ser4j.dsp.spectral.Stft;
import io.github.ser4j.dsp.spectral.Tuning;
import io.github.ser4j.dsp.spectral.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every golden case of make_goldens.py (librosa 0.11.0 outputs) recomputed with ser-dsp and compared element by
 * element. Tolerances and their reasons are in {@link #tolerance(String)}; the largest error seen per function is
 * printed after the run and written to {@code target/parity-report.md}.
 */
class LibrosaParityTest {

    /** How an error is measured. */
    enum Metric {
        /** |java - librosa| / max |librosa| of the same column (frame) or filter (row): spectra, filters. */
        RELATIVE_TO_MAX,
        /** |java - librosa| / max(|librosa|, 1e-12): per-element relative (RMS, centroid, bandwidth). */
        RELATIVE,
        /** |java - librosa| in the unit of the feature (dB for power_to_db; MFCC and delta units). */
        ABSOLUTE,
        /** must be identical (counts, bin frequencies, tuning on a 0.01 grid). */
        EXACT
    }

    record Tolerance(Metric metric, double limit, boolean byRow) {
    }

    private static final Map<String, double[]> MAX_ERROR = new ConcurrentHashMap<>();
    private static final Map<String, String> WORST_CASE = new ConcurrentHashMap<>();
    /** Per function: {elements identical to librosa's (same float/double value), elements compared}. */
    private static final Map<String, long[]> IDENTICAL = new ConcurrentHashMap<>();

    static List<Golden.Case> cases() {
        return Golden.cases();
    }

    /**
     * Why these limits: librosa computes float32 features (float64 FFT, rounded to complex64, float32 magnitudes, a
     * float32 BLAS product for the mel/chroma projection, float32 log10 and a float32 DCT); ser-dsp reproduces the
     * same roundings but accumulates sums in double. Differences are therefore a few float32 ulps of the largest
     * terms: spectra are compared relative to the frame maximum (a quiet bin's absolute error is set by the loud bins
     * it was summed with), with limit 1e-5 = ~80 float32 ulps. dB values (|x| up to ~100 dB) have float32 ulps of
     * ~8e-6 dB, so 1e-3 dB leaves room for log10 and accumulation differences while still catching any real
     * deviation. MFCC coefficients (and their deltas) are combinations of up to 128 dB values computed by scipy with
     * a float32 DCT: c0 reaches ~-8000 with {@code norm=None} (one float32 ulp = 4.9e-4), so the same 1e-3 absolute
     * limit allows about two ulps there and is far tighter (relatively) for the other coefficients.
     */
    static Tolerance tolerance(String function) {
        switch (function) {
            case "stft_power":
            case "stft_magnitude":
            case "melspectrogram":
                return new Tolerance(Metric.RELATIVE_TO_MAX, 1e-5, false);
            case "chroma_stft":
                return new Tolerance(Metric.RELATIVE_TO_MAX, 1e-5, false);
            case "mel_filters":
            case "chroma_filters":
                return new Tolerance(Metric.RELATIVE_TO_MAX, 1e-6, true);
            case "power_to_db":
            case "mfcc":
            case "delta":
                return new Tolerance(Metric.ABSOLUTE, 1e-3, false);
            case "rms":
                return new Tolerance(Metric.RELATIVE, 1e-6, false);
            case "spectral_centroid":
            case "spectral_bandwidth":
                return new Tolerance(Metric.RELATIVE, 1e-5, false);
            case "zero_crossing_rate":
            case "spectral_rolloff":
            case "estimate_tuning":
                return new Tolerance(Metric.EXACT, 0, false);
            default:
                throw new IllegalArgumentException(function);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesLibrosa(Golden.Case c) {
        Npy expected = Golden.output(c.output());
        int[] shape = expected.shape();
        double[] data = expected.values();
        double[] actual = compute(c);
        int rows = shape.length == 2 ? shape[0] : 1;
        assertArrayEquals(new int[] {data.length}, new int[] {actual.length},
                () -> c + ": shape " + Arrays.toString(shape));
        Tolerance tol = tolerance(c.function());
        double err = error(data, actual, rows, tol);
        long same = 0;
        for (int i = 0; i < actual.length; i++) {
            // float32 goldens: compare as floats (actual holds float values widened to double)
            if (expected.isFloat32() ? (float) actual[i] == (float) data[i] : actual[i] == data[i]) {
                same++;
            }
        }
        long[] counts = {same, actual.length};
        IDENTICAL.merge(c.function(), counts, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        MAX_ERROR.merge(c.function(), new double[] {err, tol.limit()}, (a, b) -> a[0] >= b[0] ? a : b);
        WORST_CASE.merge(c.function(), c.id() + "=" + err,
                (a, b) -> Double.parseDouble(a.substring(a.indexOf('=') + 1))
                        >= Double.parseDouble(b.substring(b.indexOf('=') + 1)) ? a : b);
        assertTrue(err <= tol.limit(), () -> c + ": max error " + err + " > " + tol.limit() + " (" + tol.metric()
                + ")");
    }

    static double error(double[] expected, double[] actual, int rows, Tolerance tol) {
        int cols = expected.length / rows;
        double worst = 0;
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < cols; t++) {
                double e = expected[r * cols + t];
                double a = actual[r * cols + t];
                double d = Math.abs(a - e);
                double err;
                switch (tol.metric()) {
                    case RELATIVE_TO_MAX: {
                        double scale = 0;
                        if (tol.byRow()) {
                            for (int j = 0; j < cols; j++) {
                                scale = Math.max(scale, Math.abs(expected[r * cols + j]));
                            }
                        } else {
                            for (int i = 0; i < rows; i++) {
                                scale = Math.max(scale, Math.abs(expected[i * cols + t]));
                            }
                        }
                        err = d == 0 ? 0 : d / Math.max(scale, 1e-30);
                        break;
                    }
                    case RELATIVE:
                        err = d == 0 ? 0 : d / Math.max(Math.abs(e), 1e-12);
                        break;
                    case ABSOLUTE:
                        err = d;
                        break;
                    default:
                        err = d == 0 ? 0 : Double.POSITIVE_INFINITY;
                }
                if (Double.isNaN(a) != Double.isNaN(e)) {
                    err = Double.POSITIVE_INFINITY;
                }
                worst = Math.max(worst, err);
            }
        }
        return worst;
    }

    static Stft stft(Golden.Case c) {
        return Stft.builder().nFft(c.i("n_fft", 2048)).hopLength(c.i("hop_length", 0)).winLength(c.i("win_length", 0))
                .window(Window.named(c.s("window", "hann"))).center(c.b("center", true))
                .padMode(PadMode.of(c.s("pad_mode", "constant"))).build();
    }

    static <B extends io.github.ser4j.dsp.feature.SpectralBuilder<B>> B spectral(B b, Golden.Case c) {
        return b.sr(c.i("sr", 22050)).nFft(c.i("n_fft", 2048)).hopLength(c.i("hop_length", 512))
                .winLength(c.i("win_length", 0)).window(Window.named(c.s("window", "hann")))
                .center(c.b("center", true)).padMode(PadMode.of(c.s("pad_mode", "constant")));
    }

    static MelNorm melNorm(String value) {
        return value.equals("None") ? MelNorm.NONE : MelNorm.SLANEY;
    }

    static double[] compute(Golden.Case c) {
        float[] y = c.signal().equals("-") ? null : Golden.signal(c.signal());
        switch (c.function()) {
            case "stft_power":
                return flat(stft(c).power(y));
            case "stft_magnitude":
                return flat(stft(c).magnitude(y));
            case "mel_filters":
                return flat(MelFilterBank.builder().sr(c.d("sr", 22050)).nFft(c.i("n_fft", 2048))
                        .nMels(c.i("n_mels", 128)).fmin(c.d("fmin", 0)).fmax(c.d("fmax", Double.NaN))
                        .htk(c.b("htk", false)).norm(melNorm(c.s("norm", "slaney"))).build().weights());
            case "melspectrogram":
                return flat(spectral(MelSpectrogram.builder(), c).power(c.d("power", 2.0)).nMels(c.i("n_mels", 128))
                        .fmin(c.d("fmin", 0)).fmax(c.d("fmax", Double.NaN)).htk(c.b("htk", false))
                        .norm(melNorm(c.s("norm", "slaney"))).build().extract(y));
            case "power_to_db": {
                PowerToDb.Builder b = PowerToDb.builder().amin(c.d("amin", 1e-10)).topDb(c.dn("top_db", 80.0));
                if (c.s("ref", "1.0").equals("max")) {
                    b.refMax();
                } else {
                    b.ref(c.d("ref", 1.0));
                }
                return flat(b.build().apply(Golden.output(c.input() + ".npy.gz").rows()));
            }
            case "mfcc":
                return flat(spectral(Mfcc.builder(), c).nMels(c.i("n_mels", 128)).nMfcc(c.i("n_mfcc", 20))
                        .fmin(c.d("fmin", 0)).fmax(c.d("fmax", Double.NaN)).htk(c.b("htk", false))
                        .lifter(c.d("lifter", 0)).melNorm(melNorm(c.s("mel_norm", "slaney")))
                        .dctNorm(c.s("norm", "ortho").equals("None") ? DctNorm.NONE : DctNorm.ORTHO).build()
                        .extract(y));
            case "delta":
                return flat(Delta.delta(Golden.output(c.input() + ".npy.gz").rows(), c.i("width", 9),
                        c.i("order", 1)));
            case "rms":
                return flat(Rms.builder().frameLength(c.i("frame_length", 2048)).hopLength(c.i("hop_length", 512))
                        .center(c.b("center", true)).padMode(PadMode.of(c.s("pad_mode", "constant"))).build()
                        .extract(y));
            case "zero_crossing_rate":
                return ZeroCrossingRate.zeroCrossingRate(y, c.i("frame_length", 2048), c.i("hop_length", 512),
                        c.b("center", true), c.d("threshold", 1e-10), c.b("zero_pos", true));
            case "spectral_centroid":
                return SpectralCentroid.centroid(stftFor(c).magnitude(y), c.i("sr", 22050), c.i("n_fft", 2048));
            case "spectral_bandwidth":
                return SpectralBandwidth.bandwidth(stftFor(c).magnitude(y), c.i("sr", 22050), c.i("n_fft", 2048),
                        c.d("p", 2.0), c.b("norm", true));
            case "spectral_rolloff":
                return SpectralRolloff.rolloff(stftFor(c).magnitude(y), c.i("sr", 22050), c.i("n_fft", 2048),
                        c.d("roll_percent", 0.85));
            case "chroma_stft":
                return flat(spectral(ChromaStft.builder(), c).nChroma(c.i("n_chroma", 12))
                        .tuning(c.dn("tuning", null)).norm(c.dn("norm", Double.POSITIVE_INFINITY)).build()
                        .extract(y));
            case "estimate_tuning":
                return new double[] {Tuning.estimate(stftFor(c).power(y), c.i("sr", 22050),
                        c.i("bins_per_octave", 12))};
            case "chroma_filters":
                return flat(ChromaFilterBank.weights(c.d("sr", 22050), c.i("n_fft", 2048), c.i("n_chroma", 12),
                        c.d("tuning", 0.0)));
            default:
                throw new IllegalArgumentException(c.function());
        }
    }

    /** STFT with the feature defaults (hop 512). */
    static Stft stftFor(Golden.Case c) {
        return Stft.builder().nFft(c.i("n_fft", 2048)).hopLength(c.i("hop_length", 512))
                .winLength(c.i("win_length", 0)).window(Window.named(c.s("window", "hann")))
                .center(c.b("center", true)).padMode(PadMode.of(c.s("pad_mode", "constant"))).build();
    }

    static double[] flat(float[][] m) {
        int cols = m.length == 0 ? 0 : m[0].length;
        double[] out = new double[m.length * cols];
        for (int r = 0; r < m.length; r++) {
            for (int t = 0; t < cols; t++) {
                out[r * cols + t] = m[r][t];
            }
        }
        return out;
    }

    static double[] flat(FeatureMatrix m) {
        float[] f = m.toArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    @AfterAll
    static void report() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("| function | metric | max error seen | tolerance | worst case | identical elements |\n"
                + "|---|---|---|---|---|---|\n");
        for (Map.Entry<String, double[]> e : new TreeMap<>(MAX_ERROR).entrySet()) {
            String worst = WORST_CASE.get(e.getKey());
            long[] same = IDENTICAL.get(e.getKey());
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.3g | %.3g | %s | %d / %d (%.2f%%) |%n", e.getKey(),
                    tolerance(e.getKey()).metric(), e.getValue()[0], e.getValue()[1],
                    worst.substring(0, worst.indexOf('=')), same[0], same[1], 100.0 * same[0] / same[1]));
        }
        System.out.println("librosa parity, max error per function:\n" + sb);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("parity-report.md"), sb.toString());
        }
    }
}
