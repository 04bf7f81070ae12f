package io.github.ser4j.defaultmodel;

import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.spi.PackagedModel;
import io.github.ser4j.onnx.OnnxEmotionRecognizer;
import io.github.ser4j.onnx.card.EnsembleCard;
import io.github.ser4j.onnx.card.ModelCard;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default model as its own artifact: found through ServiceLoader, loaded by ser-onnx, and its files intact. */
class DefaultModelTest {

    @Test
    void registeredAsTheDefaultPackagedModel() {
        List<PackagedModel> found = ServiceLoader.load(PackagedModel.class).stream().map(ServiceLoader.Provider::get)
                .toList();
        assertEquals(1, found.size(), found.toString());
        assertInstanceOf(DefaultModel.class, found.get(0));
        assertEquals(PackagedModel.DEFAULT_ID, found.get(0).id());
    }

    @Test
    void everyFileMatchesTheSha256ItsCardPins() throws Exception {
        DefaultModel m = new DefaultModel();
        EnsembleCard ensemble = EnsembleCard.parse(bytes(m, "card.json"), "card.json");
        assertEquals(3, ensemble.members().size(), ensemble.toString());
        for (EnsembleCard.Member member : ensemble.members()) {
            byte[] memberCard = bytes(m, member.card());
            assertEquals(sha256(memberCard), member.sha256().orElseThrow(), "card.json pins " + member.card());
            ModelCard card = ModelCard.parse(memberCard, member.card());
            assertEquals(sha256(bytes(m, card.model().file())), card.model().sha256().orElseThrow(),
                    member.card() + " pins " + card.model().file());
        }
        try (InputStream md = m.open("MODEL_CARD.md")) {
            assertNotNull(md, "MODEL_CARD.md ships with the weights");
        }
    }

    private static byte[] bytes(DefaultModel m, String name) throws Exception {
        try (InputStream in = m.open(name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void pathsOutsideTheFolderAreNotOpened() {
        DefaultModel m = new DefaultModel();
        assertNull(m.open("../onnx/model-card.schema.json"));
        assertNull(m.open("/io/github/ser4j/defaultmodel/card.json"));
        assertNull(m.open(""));
        assertNull(m.open("missing.onnx"));
    }

    @Test
    void createLoadsItAndAnswers() {
        assertTrue(OnnxEmotionRecognizer.hasDefaultModel());
        try (EmotionRecognizer ser = EmotionRecognizer.create()) {
            assertInstanceOf(OnnxEmotionRecognizer.class, ser);
            OnnxEmotionRecognizer onnx = (OnnxEmotionRecognizer) ser;
            assertTrue(onnx.isEnsemble(), "2.x is an ensemble card");
            assertEquals("package:default/card.json", onnx.ensembleCard().orElseThrow().source());
            assertEquals("ser4j-default", ser.model().name());
            assertEquals(3, onnx.memberCards().size());
            assertEquals(List.of("neutral", "happy", "sad", "angry", "fearful", "disgust", "surprised"), ser.labels());
            assertTrue(ser.model().license().contains("NC"), "the card states the non-commercial licence: "
                    + ser.model().license());
            assertFalse(ser.recognize(new float[16000], 16000).isSpeech(), "silence is not speech");
            float[] tone = new float[48000];
            for (int i = 0; i < tone.length; i++) {
                tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / 16000.0) * (1 + Math.sin(i / 800.0)) / 2);
            }
            EmotionPrediction p = ser.recognize(tone, 16000);
            assertTrue(p.isSpeech());
            double sum = 0;
            for (float v : p.probabilities()) {
                sum += v;
            }
            assertEquals(1.0, sum, 1e-3);
            assertTrue(p.arousal().isPresent() && p.valence().isPresent(), "arousal and valence are learnt");
        }
    }
}
