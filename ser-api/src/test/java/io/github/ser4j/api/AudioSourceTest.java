package io.github.ser4j.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AudioSourceTest {

    @Test
    void deliversInterleavedFramesInChunksThenEnds() throws IOException {
        float[] stereo = {1, -1, 2, -2, 3, -3};
        try (AudioSource s = AudioSource.of(stereo, new PcmFormat(8000, 2))) {
            assertEquals(3, s.frameLength());
            float[] buf = new float[10];
            assertEquals(2, s.read(buf, 1, 2));
            assertArrayEquals(new float[] {0, 1, -1, 2, -2}, java.util.Arrays.copyOf(buf, 5));
            assertEquals(1, s.read(buf, 0, 5));
            assertEquals(3f, buf[0]);
            assertEquals(-3f, buf[1]);
            assertEquals(-1, s.read(buf, 0, 5));
        }
    }

    @Test
    void theCallersArrayIsCopied() throws IOException {
        float[] mono = {0.5f, 0.25f};
        AudioSource s = AudioSource.of(mono, 16000);
        mono[0] = 9f;
        float[] buf = new float[2];
        s.read(buf, 0, 2);
        assertEquals(0.5f, buf[0]);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> AudioSource.of(new float[3], new PcmFormat(8000, 2)));
        AudioSource s = AudioSource.of(new float[4], 8000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.read(new float[2], 1, 2));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.read(new float[2], 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PcmFormat(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PcmFormat(10_000_000, 1));
        assertThrows(IllegalArgumentException.class, () -> new PcmFormat(16000, 0));
    }

    @Test
    void optionsBuildersValidate() {
        assertThrows(IllegalArgumentException.class, () -> StreamOptions.builder().hopSeconds(0));
        assertThrows(IllegalArgumentException.class,
                () -> StreamOptions.builder().windowSeconds(1).hopSeconds(2).build());
        assertThrows(IllegalArgumentException.class, () -> StreamOptions.builder().smoothing(0));
        assertThrows(IllegalArgumentException.class, () -> RecognizerOptions.builder().intraOpThreads(0));
        StreamOptions o = StreamOptions.builder().windowSeconds(2).hopSeconds(0.5).build();
        assertEquals(2.0, o.windowSeconds().getAsDouble());
        assertTrue(StreamOptions.defaults().windowSeconds().isEmpty());
        assertEquals(Double.POSITIVE_INFINITY, StreamOptions.defaults().silenceStopSeconds());
        assertEquals(1, RecognizerOptions.defaults().intraOpThreads());
    }

    @Test
    void missingBackendsSayWhichArtifactToAdd() {
        // ser-api alone has no providers on its test class path.
        BackendNotFoundException audio = assertThrows(BackendNotFoundException.class,
                () -> AudioSource.open(Path.of("x.wav")));
        assertTrue(audio.getMessage().contains("ser-audio-javasound"), audio.getMessage());
        BackendNotFoundException model = assertThrows(BackendNotFoundException.class, EmotionRecognizer::create);
        assertTrue(model.getMessage().contains("ser-onnx"), model.getMessage());
    }

    @Test
    void featureMatrixIsRowMajorAndImmutable() {
        float[] data = {1, 2, 3, 4, 5, 6};
        FeatureMatrix m = FeatureMatrix.of(2, 3, data);
        data[0] = 100;
        assertEquals(1f, m.get(0, 0));
        assertEquals(6f, m.get(1, 2));
        assertArrayEquals(new float[] {4, 5, 6}, m.row(1));
        assertEquals(m, FeatureMatrix.of(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        assertThrows(IllegalArgumentException.class, () -> FeatureMatrix.of(2, 2, data));
        assertThrows(IndexOutOfBoundsException.class, () -> m.get(2, 0));
    }
}
