package io.github.ser4j.spark;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.ModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broadcast bundle of an ensemble card: every file it names travels, byte for byte, and nothing outside it. */
class ModelBundleTest {
    private static final String PACKAGE = "/io/github/ser4j/defaultmodel/";
    private static final List<String> FILES = List.of("card.json", "cnn.card.json", "cnn.onnx",
            "cnn2.card.json", "cnn2.onnx", "functionals-adapted.card.json", "functionals-adapted.onnx");

    @TempDir
    Path tmp;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ModelBundleTest.class.getResourceAsStream(PACKAGE + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theDefaultEnsembleMaterialisesItsCardMembersAndModels() throws IOException {
        ModelBundle bundle = ModelBundle.defaultModel();
        Path dir = Files.createDirectory(tmp.resolve("exec"));
        Path card = bundle.materialise(dir);
        assertEquals(dir.resolve("card.json"), card);
        try (var listing = Files.list(dir)) {
            assertEquals(FILES.size(), listing.count(), "the card and the four files it names, nothing else");
        }
        long total = 0;
        for (String f : FILES) {
            byte[] expected = resource(f);
            assertArrayEquals(expected, Files.readAllBytes(dir.resolve(f)), f);
            total += expected.length;
        }
        assertEquals(total, bundle.modelBytes());
        assertEquals(ModelBundle.sha256(resource("card.json")), bundle.modelSha256(), "an ensemble's hash is its card's");
        try (EmotionRecognizer ser = EmotionRecognizer.create(card)) {
            assertEquals("ser4j-default", ser.model().name());
        }
    }

    @Test
    void anEnsembleCardFromAFolderBundlesTheSameFiles() throws IOException {
        for (String f : FILES) {
            Files.write(tmp.resolve(f), resource(f));
        }
        ModelBundle bundle = ModelBundle.fromCard(tmp.resolve("card.json"));
        Path card = bundle.materialise(Files.createDirectory(tmp.resolve("exec")));
        for (String f : FILES) {
            assertArrayEquals(resource(f), Files.readAllBytes(card.resolveSibling(f)), f);
        }
    }

    @Test
    void aMemberOutsideTheFolderOrMissingIsAModelException() throws IOException {
        Path sub = Files.createDirectory(tmp.resolve("sub"));
        Files.writeString(sub.resolve("card.json"), "{\"format\": \"ser4j-model-card\", \"schema_version\": 1, "
                + "\"name\": \"e\", \"version\": \"1\", \"ensemble\": {\"members\": [{\"card\": \"../x.card.json\"}]}}");
        String m = assertThrows(ModelException.class, () -> ModelBundle.fromCard(sub.resolve("card.json")))
                .getMessage();
        assertTrue(m.contains("outside its folder") && m.contains("../x.card.json"), m);
        Files.writeString(sub.resolve("card.json"), "{\"format\": \"ser4j-model-card\", \"schema_version\": 1, "
                + "\"name\": \"e\", \"version\": \"1\", \"ensemble\": {\"members\": [{\"card\": \"gone.card.json\"}]}}");
        m = assertThrows(ModelException.class, () -> ModelBundle.fromCard(sub.resolve("card.json"))).getMessage();
        assertTrue(m.contains("gone.card.json"), m);
    }
}
