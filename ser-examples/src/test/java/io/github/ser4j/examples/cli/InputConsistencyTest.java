package io.github.ser4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.testing.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inputs that used to pass unnoticed or fail obscurely: dangling links, manifests in a wrong encoding. */
class InputConsistencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path card;

    @BeforeEach
    void setUp() throws Exception {
        card = Files.writeString(dir.resolve("m.fake.json"), "{\"labels\": [\"calm\", \"loud\"]}");
        Files.createDirectories(dir.resolve("clips"));
        Wav.write(dir.resolve("clips/a.wav"), Wav.sine(0.5, 440, 1, 16000), 16000, 1);
    }

    @Test
    void aDanglingLinkInAFolderIsAnErrorRowNotSkipped() throws Exception {
        Files.createSymbolicLink(dir.resolve("clips/b.wav"), dir.resolve("clips/deleted.wav"));
        Cli r = Cli.run("analyze", "--model", card.toString(), "--format", "json", dir.resolve("clips").toString());
        assertEquals(ExitCodes.SOME_FAILED, r.code, r.toString());
        List<String> lines = r.out.lines().toList();
        assertEquals(2, lines.size(), r.toString());
        JsonNode b = JSON.readTree(lines.stream().filter(l -> l.contains("b.wav")).findFirst().orElseThrow());
        assertEquals(false, b.get("ok").asBoolean());
        assertTrue(b.get("error").asText().contains("dangling symbolic link")
                && b.get("error").asText().contains("deleted.wav"), b.toString());
    }

    @Test
    void aLatin1ManifestIsNamedAsSuch() throws Exception {
        Path manifest = dir.resolve("manifest.csv");
        Files.write(manifest, "path,label\nclips/a.wav,loud\nclips/a.wav,fâché\n".getBytes(StandardCharsets.ISO_8859_1));
        Cli r = Cli.run("evaluate", "--manifest", manifest.toString(), "--model", card.toString());
        assertEquals(ExitCodes.IO, r.code, r.toString());
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.contains("manifest.csv:3") && r.err.contains("not UTF-8"), r.err);
    }
}
