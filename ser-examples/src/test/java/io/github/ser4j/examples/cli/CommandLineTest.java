package io.github.ser4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Help, usage errors, models and live, on the fake model. */
class CommandLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyCommandHasHelp() {
        CommandLine root = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertTrue(root.getSubcommands().keySet().containsAll(
                List.of("analyze", "live", "devices", "evaluate", "features", "serve", "models")),
                root.getSubcommands().keySet().toString());
        Cli top = Cli.run("--help");
        assertEquals(ExitCodes.OK, top.code);
        assertTrue(top.out.contains("Exit codes"), top.out);
        for (String name : root.getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            Cli r = Cli.run(name, "--help");
            assertEquals(ExitCodes.OK, r.code, name + ": " + r);
            assertTrue(r.out.startsWith("Usage: ser " + name), name + ": " + r.out);
        }
        assertEquals(ExitCodes.OK, Cli.run("--version").code);
    }

    @Test
    void usageErrors() {
        Cli none = Cli.run();
        assertEquals(ExitCodes.USAGE, none.code);
        assertTrue(none.err.contains("missing command"), none.err);
        Cli unknown = Cli.run("analyse-this");
        assertEquals(ExitCodes.USAGE, unknown.code);
        assertEquals(ExitCodes.USAGE, Cli.run("analyze", "--bogus", "x.wav").code);
        assertEquals(ExitCodes.USAGE, Cli.run("live", "--silence-stop", "-1").code);
        assertEquals(ExitCodes.USAGE, Cli.run("serve", "--port", "70000").code);
    }

    @Test
    void extractRefusesAnEnsembleCardNamingItsMembers() throws Exception {
        Path card = Files.writeString(dir.resolve("ensemble.json"), "{\"format\": \"ser4j-model-card\", "
                + "\"schema_version\": 1, \"name\": \"e\", \"version\": \"1\", \"ensemble\": {\"members\": "
                + "[{\"card\": \"cnn.card.json\"}, {\"card\": \"f.card.json\", \"use\": \"adapted\"}]}}");
        Path list = Files.writeString(dir.resolve("list.txt"), "a.wav\n");
        Cli r = Cli.run("extract", "--card", card.toString(), "--list", list.toString(), "--out",
                dir.resolve("out.npy").toString());
        assertEquals(ExitCodes.MODEL, r.code, r.toString());
        assertTrue(r.err.contains("extraction needs a single-model card") && r.err.contains("ensemble.json")
                && r.err.contains("[cnn.card.json, f.card.json]"), r.err);
    }

    @Test
    void modelsDescribesGivenCardsAndFailsOnBadOnes() throws Exception {
        Path card = Files.writeString(dir.resolve("m.fake.json"), "{\"labels\": [\"calm\", \"loud\"]}");
        Cli r = Cli.run("models", "--format", "json", "--model", card.toString());
        // Whether an embedded default exists depends on ser-onnx; the given card is always listed.
        assertTrue(r.code == ExitCodes.OK, r.toString());
        JsonNode last = JSON.readTree(r.out.lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(card.toString(), last.get("source").asText());
        assertEquals("[\"calm\",\"loud\"]", last.get("labels").toString());
        assertEquals(List.of("source", "name", "version", "labels", "sample_rate", "window_s", "hop_s", "license",
                "description"), fieldNames(last), "the shape /api/v1/model shares (ModelJson)");
        Path bad = Files.writeString(dir.resolve("bad.fake.json"), "{\"labels\": []}");
        Cli b = Cli.run("models", "--model", bad.toString());
        assertEquals(ExitCodes.MODEL, b.code, b.toString());
        assertTrue(b.err.contains("bad.fake.json"), b.err);
    }

    @Test
    void liveStreamsSegmentsAsJsonLines() throws Exception {
        Path card = Files.writeString(dir.resolve("m.fake.json"), "{\"labels\": [\"calm\", \"loud\"]}");
        float[] x = new float[32000];
        System.arraycopy(Wav.sine(0.5, 300, 1, 16000), 0, x, 0, 16000);
        LiveCommand live = new LiveCommand();
        live.format = ModelsCommand.Format.json;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (EmotionRecognizer r = EmotionRecognizer.create(card)) {
            int code = live.listen(r, AudioSource.of(x, 16000),
                    StreamOptions.builder().windowSeconds(1).hopSeconds(0.5).build(), null, new PrintWriter(out),
                    new PrintWriter(err));
            assertEquals(ExitCodes.OK, code);
        }
        List<String> lines = out.toString().lines().toList();
        // Windows at 0, 0.5, 1.0 s: the last is silent and skipped by VAD.
        assertEquals(2, lines.size(), out.toString());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(0.0, first.get("start_s").asDouble());
        assertEquals("loud", first.get("label").asText());
        assertTrue(err.toString().contains("2 segments"), err.toString());
    }

    @Test
    void liveWithAMissingDeviceIsAnIoError() throws Exception {
        Path card = Files.writeString(dir.resolve("m.fake.json"), "{\"labels\": [\"calm\", \"loud\"]}");
        Cli r = Cli.run("live", "--model", card.toString(), "--device", "no such device 1234");
        assertEquals(ExitCodes.IO, r.code, r.toString());
        assertTrue(r.err.contains("error"), r.err);
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
