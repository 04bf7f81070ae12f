package io.github.ser4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInput;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Card options the five models do not use (feature-axis aggregation, pad_value "min", height "time", STFT, log-mel
 * with ref "max", chroma, scalar and element-wise global normalisation, pad/crop positions, offset, RMS
 * pre-normalisation): the Java pipeline against make_fixtures.py's numpy/librosa implementation, element by element.
 */
class PipelineGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"stft_feature_axis_mean_std", "logmel_refmax_height_time", "chroma_centroid_bandwidth_nct",
            "mfcc_elementwise_global_nc", "waveform_offset_crop"})
    void pipelineMatchesLibrosa(String name) throws IOException {
        Path dir = Fixtures.root().resolve("pipeline").resolve(name);
        ModelInputPipeline pipeline = ModelInputPipeline.of(ModelCard.read(dir.resolve("card.json")));
        JsonNode expected = Fixtures.JSON.readTree(dir.resolve("expected.json").toFile()).get("clips");
        double worst = 0;
        for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
            String clip = it.next();
            JsonNode e = expected.get(clip);
            float[] samples = Fixtures.clip(clip);
            int rate = e.get("sample_rate").intValue();
            ModelInput in = pipeline.apply(samples, rate);
            // the (buffer, length) form must see only the clip: a tail of NaN would fail the finite check
            float[] padded = java.util.Arrays.copyOf(samples, samples.length + 777);
            java.util.Arrays.fill(padded, samples.length, padded.length, Float.NaN);
            java.util.Optional<ModelInput> fromBuffer = pipeline.applyIfSpeech(padded, samples.length, rate);
            assertEquals(e.get("speech").asBoolean(), fromBuffer.isPresent(), name + "/" + clip + " speech gate");
            long[] shape = new long[e.get("input_shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.get("input_shape").get(i).longValue();
            }
            assertArrayEquals(shape, in.shape(), name + "/" + clip + " shape");
            assertArrayEquals(shape, pipeline.inputShape().length == shape.length
                    && java.util.Arrays.stream(pipeline.inputShape()).allMatch(d -> d >= 0)
                    ? pipeline.inputShape() : shape, name + " static shape");
            float[] py = Fixtures.readNpy(dir.resolve("inputs").resolve(clip + ".npy"));
            float[] java = in.data();
            assertEquals(py.length, java.length);
            fromBuffer.ifPresent(b -> assertArrayEquals(py, b.data(), 2e-4f * (float) maxAbs(py),
                    name + "/" + clip + " from a longer buffer"));
            double scale = 1;
            for (float v : py) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < py.length; i++) {
                double d = Math.abs(py[i] - java[i]) / scale;
                worst = Math.max(worst, d);
                assertTrue(d <= 2e-4, name + "/" + clip + " element " + i + ": java " + java[i] + " python " + py[i]);
            }
        }
        System.out.printf(Locale.ROOT, "PIPELINE %-32s max relative diff %.3g%n", name, worst);
    }

    /**
     * A clip at another rate is cropped in its own rate (with the resampler's margin) before resampling; the truth is
     * the whole clip resampled by ser-dsp's {@code Resampler} and then cropped by the card (the same pipeline fed the
     * resampled clip at the card's rate). Bound: 4 float32 ulps of 1.0 after peak normalisation (the windowed
     * resampling is within 2 ulps of the signal's peak; measured identical).
     */
    @ParameterizedTest
    @ValueSource(ints = {44100, 48000, 22050, 8000})
    void cropBeforeResamplingEqualsResampleThenCrop(int rate) throws IOException {
        ModelInputPipeline pipeline = ModelInputPipeline.of(ModelCard.read(
                Fixtures.root().resolve("pipeline").resolve("waveform_offset_crop").resolve("card.json")));
        java.util.Random rnd = new java.util.Random(rate);
        float[] clip = new float[2 * rate + 333]; // 2 s; the card keeps 0.3 s around the middle after a 0.1 s offset
        for (int i = 0; i < clip.length; i++) {
            clip[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / rate) + 0.1 * rnd.nextGaussian());
        }
        float[] cropped = pipeline.apply(clip, rate).data();
        float[] truth = pipeline.apply(io.github.ser4j.dsp.signal.Resampler.resample(clip, rate, 16000), 16000).data();
        assertEquals(truth.length, cropped.length);
        assertArrayEquals(truth, cropped, 4 * Math.ulp(1f), rate + " Hz");
    }

    @org.junit.jupiter.api.Test
    void bufferLengthOutOfRangeIsRejectedWithTheRange() throws IOException {
        ModelInputPipeline pipeline = ModelInputPipeline.of(ModelCard.read(
                Fixtures.root().resolve("pipeline").resolve("waveform_offset_crop").resolve("card.json")));
        float[] buffer = new float[100];
        for (int bad : new int[] {-1, 101}) {
            IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> pipeline.applyIfSpeech(buffer, bad, 16000));
            assertTrue(ex.getMessage().contains("0..100") && ex.getMessage().contains(String.valueOf(bad)),
                    ex.getMessage());
        }
        IllegalArgumentException empty = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> pipeline.applyIfSpeech(buffer, 0, 16000));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    }

    @org.junit.jupiter.api.Test
    void inputShapeIsACopyTheCallerMayChange() throws IOException {
        ModelInputPipeline pipeline = ModelInputPipeline.of(ModelCard.read(
                Fixtures.root().resolve("pipeline").resolve("logmel_refmax_height_time").resolve("card.json")));
        long[] first = pipeline.inputShape();
        long[] kept = first.clone();
        java.util.Arrays.fill(first, 99);
        assertArrayEquals(kept, pipeline.inputShape());
        long[] clipShape = pipeline.apply(Fixtures.clip("vowel"), 16000).shape();
        java.util.Arrays.fill(clipShape, 77);
        assertArrayEquals(kept, pipeline.inputShape());
    }

    private static double maxAbs(float[] v) {
        double m = 1;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
