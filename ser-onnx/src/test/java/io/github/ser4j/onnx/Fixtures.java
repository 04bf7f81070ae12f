package io.github.ser4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.PcmEncoding;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.RecognitionSession;
import io.github.ser4j.api.StreamOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Access to the committed fixtures made by src/test/python/make_fixtures.py. */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int SR = 16000;
    static final List<String> MODELS = List.of("keras_cnn_logmel_nhwc", "torch_cnn_mfcc_nchw", "keras_mlp_mfcc_mean",
            "torch_conv1d_logits_ntc", "torch_waveform_nct");
    static final List<String> CLIPS = List.of("tone_440", "noise", "chirp", "am_bursts", "vowel", "quiet_tone",
            "silence");

    private Fixtures() {
    }

    static Path root() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/clips").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path card(String model) {
        return root().resolve(model).resolve("card.json");
    }

    static float[] clip(String name) {
        return readNpy(root().resolve("clips").resolve(name + ".npy"));
    }

    static float[] pythonInput(String model, String clip) {
        return readNpy(root().resolve(model).resolve("inputs").resolve(clip + ".npy"));
    }

    static JsonNode expected(String model) {
        try {
            return JSON.readTree(root().resolve(model).resolve("expected.json").toFile()).get("clips");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The segments a push session gives for {@code audio}, fed in chunks of 1000 samples at {@link #SR}. */
    static List<EmotionSegment> pushed(EmotionRecognizer ser, float[] audio, StreamOptions options) {
        List<EmotionSegment> pushed = new ArrayList<>();
        try (RecognitionSession s = ser.session(PcmFormat.mono(SR), PcmEncoding.F32LE, options, pushed::add)) {
            for (int at = 0; at < audio.length; at += 1000) {
                s.accept(audio, at, Math.min(1000, audio.length - at));
            }
            s.finish();
        }
        return pushed;
    }

    /** Copies a fixture to {@code dir} and lets the test edit its card. */
    static Path copy(String model, Path dir, Consumer<ObjectNode> edit) {
        try {
            Path src = root().resolve(model);
            Files.copy(src.resolve("model.onnx"), dir.resolve("model.onnx"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ObjectNode card = (ObjectNode) JSON.readTree(src.resolve("card.json").toFile());
            edit.accept(card);
            Path out = dir.resolve("card.json");
            Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(card),
                    StandardCharsets.UTF_8);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a little-endian float32 .npy (C order), as numpy.save writes it. */
    static float[] readNpy(Path path) {
        try {
            byte[] b = Files.readAllBytes(path);
            if (b[0] != (byte) 0x93 || b[1] != 'N') {
                throw new IllegalArgumentException(path + " is not a .npy file");
            }
            int major = b[6];
            int headerLen;
            int start;
            if (major == 1) {
                headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
                start = 10;
            } else {
                headerLen = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                start = 12;
            }
            String header = new String(b, start, headerLen, StandardCharsets.US_ASCII);
            if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
                throw new IllegalArgumentException(path + ": expected little-endian float32 C order, got " + header);
            }
            int offset = start + headerLen;
            float[] out = new float[(b.length - offset) / 4];
            ByteBuffer.wrap(b, offset, b.length - offset).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).doubleValue();
        }
        return out;
    }

    static Stream<String> models() {
        return MODELS.stream();
    }
}
