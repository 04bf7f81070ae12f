package io.github.ser4j.dsp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ser4j.dsp.feature.Npy;
import io.github.ser4j.dsp.spectral.MelFilterBank;
import io.github.ser4j.dsp.spectral.MelNorm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Java against the numpy reference (src/test/python/make_prosody_goldens.py, a copy of training/functionals.py checked
 * equal to it): thirteen signals, golden/prosody.
 *
 * <p>Tolerances. Both sides compute the same formulas in double precision; they differ by the FFTs' rounding
 * (JTransforms vs numpy's pocketfft, ~1e-16 of a frame's energy), the summation order (numpy sums pairwise) and 1-ulp
 * differences of log/cos. Measured (numpy 2.4.6): F0 within 4.3e-12 cents and aperiodicity within 1.2e-15 on every
 * frame (1044 frames); functionals within 8.2e-12 of {@code 1 + |value|} (the worst a Hammarberg index in dB, where
 * the strongest 2-5 kHz bin of a pure tone is a leakage value ~1e-10 of the peak, so its FFT rounding is relatively
 * large). The limits,
 * 1e-4 cents, 1e-9 and {@code 1e-9 (1 + |value|)}, leave 10x or more headroom and are still far below anything a model
 * could notice (float32, what the models see, resolves 6e-8 relative). Threshold decisions (speech within 35 dB,
 * voicing below 0.25) could flip on rounding only within ~1e-12 of the threshold; the script asserts every golden
 * signal stays at least 1e-6 away (index.tsv lists the margins), and every F0 change between voiced frames at least
 * 1e-9 from the 1e-6 semitone dead zone of f0_slope_rise/fall, so all 139 values are compared on every signal.
 */
class ProsodyGoldenTest {
    private static final double F0_CENTS = 1e-4;
    private static final double APERIODICITY = 1e-9;
    private static final double FUNCTIONAL = 1e-9;

    @Test
    void namesAreTheReferenceNames() throws IOException {
        List<String> want = new ArrayList<>();
        for (String line : text("names.txt").split("\n")) {
            if (!line.isBlank()) {
                want.add(line.strip());
            }
        }
        assertEquals(want, Functionals.names());
        assertEquals(Functionals.SIZE, Functionals.names().size());
        assertEquals(Functionals.SIZE, Functionals.names().stream().distinct().count());
    }

    /** The 40 slaney mel bands are librosa's (the same golden as LibrosaParityTest's mel_filters_01), bit for bit. */
    @Test
    void melBandsAreLibrosas() throws IOException {
        Npy want;
        try (InputStream in = resource("/golden/out/mel_filters_01.npy.gz")) {
            want = Npy.read(new GZIPInputStream(in));
        }
        float[][] w = MelFilterBank.builder().sr(Functionals.SR).nFft(Functionals.N_FFT).nMels(Functionals.N_MELS)
                .fmin(0).fmax(Functionals.SR / 2.0).htk(false).norm(MelNorm.SLANEY).build().weights();
        assertEquals(Functionals.N_MELS, want.shape()[0]);
        float[][] rows = want.rows();
        for (int m = 0; m < rows.length; m++) {
            for (int k = 0; k < rows[m].length; k++) {
                // == on purpose: librosa writes -0.0 where this writes 0.0, the same weight
                assertTrue(rows[m][k] == w[m][k], "mel band " + m + ", bin " + k + ": " + w[m][k] + " vs "
                        + rows[m][k]);
            }
        }
    }

    @Test
    void yinMatchesTheReferenceOnEveryFrame() throws IOException {
        double worstCents = 0;
        double worstAp = 0;
        for (String[] c : index()) {
            String name = c[0];
            float[] y = npy(name + "_in.npy.gz").floats();
            Npy ref = npy(name + "_yin.npy.gz");
            double[] refData = ref.values();
            int frames = ref.shape()[1];
            assertEquals(Integer.parseInt(c[2]), frames, name);
            // the reference runs YIN on the peak-normalised signal
            Yin.Track t = Yin.defaults().analyze(y, peak(y));
            assertEquals(frames, t.frameCount(), name);
            assertEquals(frames, Yin.defaults().frameCount(y.length), name);
            for (int i = 0; i < frames; i++) {
                double cents = Math.abs(1200 * Math.log(t.f0()[i] / refData[i]) / Math.log(2));
                double ap = Math.abs(t.aperiodicity()[i] - refData[frames + i]);
                assertTrue(cents <= F0_CENTS, name + " frame " + i + ": F0 " + t.f0()[i] + " vs " + refData[i]);
                assertTrue(ap <= APERIODICITY, name + " frame " + i + ": aperiodicity " + t.aperiodicity()[i]
                        + " vs " + refData[frames + i]);
                worstCents = Math.max(worstCents, cents);
                worstAp = Math.max(worstAp, ap);
            }
        }
        System.out.printf("prosody parity: YIN max |F0 diff| %.3g cents, max |aperiodicity diff| %.3g%n", worstCents,
                worstAp);
    }

    @Test
    void functionalsMatchTheReference() throws IOException {
        List<String[]> cases = index();
        Npy table = npy("functionals.npy.gz");
        assertEquals(cases.size(), table.shape()[0]);
        assertEquals(Functionals.SIZE, table.shape()[1]);
        double[] tableData = table.values();
        List<String> names = Functionals.names();
        double worst = 0;
        String worstAt = "";
        int compared = 0;
        for (int c = 0; c < cases.size(); c++) {
            String name = cases.get(c)[0];
            float[] y = npy(name + "_in.npy.gz").floats();
            double[] got = Functionals.create().computeDouble(y);
            float[] gotFloat = Functionals.create().compute(y);
            for (int k = 0; k < Functionals.SIZE; k++) {
                double want = tableData[c * Functionals.SIZE + k];
                double err = Math.abs(got[k] - want);
                String at = name + " " + names.get(k) + ": java " + got[k] + ", numpy " + want;
                assertTrue(err <= FUNCTIONAL * (1 + Math.abs(want)), at);
                // the float32 vector is the rounded double one, as training.functionals' cast
                assertEquals((float) got[k], gotFloat[k], at);
                if (err / (1 + Math.abs(want)) > worst) {
                    worst = err / (1 + Math.abs(want));
                    worstAt = at;
                }
                compared++;
            }
        }
        System.out.printf("prosody parity: %d functionals, max |diff| / (1 + |value|) %.3g (%s)%n", compared, worst,
                worstAt);
    }

    static double peak(float[] y) {
        double p = 0;
        for (float v : y) {
            p = Math.max(p, Math.abs((double) v));
        }
        return p > 0 ? p : 1.0;
    }

    static List<String[]> index() throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : text("index.tsv").split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.split("\t"));
            }
        }
        assertEquals(13, out.size());
        return out;
    }

    static Npy npy(String name) throws IOException {
        try (InputStream in = resource("/golden/prosody/" + name)) {
            return Npy.read(new GZIPInputStream(in));
        }
    }

    private static String text(String name) throws IOException {
        try (InputStream in = resource("/golden/prosody/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = ProsodyGoldenTest.class.getResourceAsStream(path);
        if (in == null) {
            throw new IOException("missing test resource " + path);
        }
        return in;
    }
}
