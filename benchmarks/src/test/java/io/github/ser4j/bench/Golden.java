package io.github.ser4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads the committed reference files under {@code src/test/resources/golden}. */
public final class Golden {
    private Golden() {
    }

    /**
     * @param name file name under {@code golden/}
     * @return its little-endian float32 values
     */
    public static float[] floats(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource golden/" + name);
            }
            byte[] bytes = in.readAllBytes();
            float[] out = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 0.3 s input of the peer tests. */
    public static final String SIGNAL = "speech_16000_0.3s.f32";
    /** librosa.feature.mfcc(y=SIGNAL, sr=16000, n_fft=512, hop_length=160, n_mels=64, n_mfcc=40), 40 x 31. */
    public static final String LIBROSA_MFCC = "librosa_mfcc_16000_0.3s_512_160_64_40.f32";
}
