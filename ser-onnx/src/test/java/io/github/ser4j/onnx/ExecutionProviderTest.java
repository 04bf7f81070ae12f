package io.github.ser4j.onnx;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.RecognizerOptions.ExecutionProvider;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RecognizerOptions.executionProvider against the runtime on the test class path (the CPU jar of ONNX Runtime). */
class ExecutionProviderTest {
    private static final String MODEL = "keras_cnn_logmel_nhwc";

    @Test
    void cpuIsTheDefaultAndRuns() {
        assertEquals(ExecutionProvider.CPU, RecognizerOptions.defaults().executionProvider());
        assertEquals(0, RecognizerOptions.defaults().deviceId());
        try (EmotionRecognizer ser = EmotionRecognizer.create(Fixtures.card(MODEL),
                RecognizerOptions.builder().executionProvider(ExecutionProvider.CPU).build())) {
            assertTrue(ser.recognize(Fixtures.clip("chirp"), Fixtures.SR).isSpeech());
        }
    }

    /**
     * The truth is the runtime jar's contents: CUDA needs libonnxruntime_providers_cuda, which only the
     * onnxruntime_gpu artifact ships; the CPU artifact has none for any platform.
     */
    @Test
    void cudaIsNotInTheCpuRuntimeAndTheErrorSaysWhatToShip() {
        for (String platform : new String[] {"linux-x64/libonnxruntime_providers_cuda.so",
                "linux-aarch64/libonnxruntime_providers_cuda.so", "win-x64/onnxruntime_providers_cuda.dll"}) {
            assertNull(getClass().getResource("/ai/onnxruntime/native/" + platform), platform);
        }
        assertFalse(ExecutionProviders.available().contains(ExecutionProvider.CUDA));
        RecognizerOptions cuda = RecognizerOptions.builder().executionProvider(ExecutionProvider.CUDA).deviceId(1)
                .build();
        ModelException e = assertThrows(ModelException.class,
                () -> EmotionRecognizer.create(Fixtures.card(MODEL), cuda));
        String m = e.getMessage();
        assertTrue(m.contains("execution provider CUDA is not in the loaded ONNX Runtime 1.28.0"), m);
        assertTrue(m.contains("which has [CPU"), m);
        assertTrue(m.contains("com.microsoft.onnxruntime:onnxruntime_gpu"), m);
        assertTrue(m.contains("leave RecognizerOptions.executionProvider at CPU"), m);
    }

    /** Each provider either runs the model with the CPU's results or fails the load with a message naming it. */
    @Test
    void everyProviderRunsLikeTheCpuOrFailsNamingIt() {
        float[] clip = Fixtures.clip("vowel");
        float[] cpu;
        try (EmotionRecognizer ser = EmotionRecognizer.create(Fixtures.card(MODEL))) {
            cpu = ser.recognize(clip, Fixtures.SR).probabilities();
        }
        Set<ExecutionProvider> available = ExecutionProviders.available();
        assertTrue(available.contains(ExecutionProvider.CPU));
        for (ExecutionProvider p : ExecutionProvider.values()) {
            RecognizerOptions options = RecognizerOptions.builder().executionProvider(p).build();
            if (available.contains(p)) {
                try (EmotionRecognizer ser = EmotionRecognizer.create(Fixtures.card(MODEL), options)) {
                    assertArrayEquals(cpu, ser.recognize(clip, Fixtures.SR).probabilities(), 1e-5f, p.name());
                }
            } else {
                String m = assertThrows(ModelException.class, () -> EmotionRecognizer.create(Fixtures.card(MODEL),
                        options), p.name()).getMessage();
                assertTrue(m.startsWith("execution provider " + p + " is not in the loaded ONNX Runtime"), m);
                assertTrue(m.contains(ExecutionProviders.hint(p)), m);
            }
        }
    }

    @Test
    void badOptionsAreRejectedWhenBuilt() {
        RecognizerOptions.Builder b = RecognizerOptions.builder();
        assertEquals("deviceId must be 0..1023, got -1",
                assertThrows(IllegalArgumentException.class, () -> b.deviceId(-1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.deviceId(1024));
        assertThrows(NullPointerException.class, () -> b.executionProvider(null));
        RecognizerOptions o = b.executionProvider(ExecutionProvider.TENSOR_RT).deviceId(3).build();
        assertEquals(o.toString(), o.toBuilder().build().toString());
        assertTrue(o.toString().contains("executionProvider=TENSOR_RT, deviceId=3"), o.toString());
    }
}
