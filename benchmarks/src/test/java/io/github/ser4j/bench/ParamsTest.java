package io.github.ser4j.bench;

import io.github.ser4j.api.FeatureMatrix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmarked ser4j configuration computes the same job as the librosa call it is compared with. */
class ParamsTest {

    @Test
    void benchmarkedMfccIsLibrosasMfcc() {
        float[] expected = Golden.floats(Golden.LIBROSA_MFCC);
        FeatureMatrix m = Params.mfcc().build().extract(Golden.floats(Golden.SIGNAL));
        assertEquals(Params.N_MFCC, m.rows());
        assertEquals(31, m.columns());
        float[] got = m.toArray();
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - expected[i]));
        }
        assertTrue(worst < 0.01, "max |ser4j - librosa| = " + worst);
    }
}
