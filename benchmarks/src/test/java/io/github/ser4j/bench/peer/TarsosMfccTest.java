package io.github.ser4j.bench.peer;

import be.tarsos.dsp.AudioDispatcher;
import be.tarsos.dsp.AudioEvent;
import be.tarsos.dsp.AudioProcessor;
import be.tarsos.dsp.io.TarsosDSPAudioFloatConverter;
import be.tarsos.dsp.io.TarsosDSPAudioFormat;
import be.tarsos.dsp.io.jvm.AudioDispatcherFactory;
import be.tarsos.dsp.mfcc.MFCC;
import io.github.ser4j.bench.Golden;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TarsosMfccTest {

    /** The driver must compute what TarsosDSP's own AudioDispatcher pipeline computes on the centre-padded signal. */
    @Test
    void framesMatchTarsosDspsOwnDispatcher() throws Exception {
        TarsosMfcc driver = new TarsosMfcc(16_000, 512, 160, 64, 40);
        // the dispatcher converts its input to 16-bit PCM and back (truncating, so not idempotent): give the driver
        // what the dispatcher will see
        float[] y = quantise16(Golden.floats(Golden.SIGNAL));
        float[][] ours = driver.mfcc(quantise16(y));
        assertEquals(40, ours.length);
        assertEquals(31, ours[0].length);

        AudioDispatcher dispatcher = AudioDispatcherFactory.fromFloatArray(driver.centerPadded(y), 16_000, 512,
                512 - 160);
        MFCC mfcc = new MFCC(512, 16_000, 40, 64, 0f, 8000f);
        List<float[]> frames = new ArrayList<>();
        dispatcher.addAudioProcessor(mfcc);
        dispatcher.addAudioProcessor(new AudioProcessor() {
            @Override
            public boolean process(AudioEvent audioEvent) {
                frames.add(mfcc.getMFCC());
                return true;
            }

            @Override
            public void processingFinished() {
            }
        });
        dispatcher.run();
        assertTrue(frames.size() >= 31, "dispatcher gave " + frames.size() + " frames");
        for (int t = 0; t < 31; t++) {
            float[] column = new float[40];
            for (int k = 0; k < 40; k++) {
                column[k] = ours[k][t];
            }
            assertArrayEquals(frames.get(t), column, "frame " + t); // bit for bit
        }
    }

    private static float[] quantise16(float[] y) {
        TarsosDSPAudioFloatConverter c = TarsosDSPAudioFloatConverter.getConverter(
                new TarsosDSPAudioFormat(16_000, 16, 1, true, false));
        byte[] bytes = new byte[2 * y.length];
        c.toByteArray(y, bytes);
        float[] out = new float[y.length];
        c.toFloatArray(bytes, out);
        return out;
    }
}
