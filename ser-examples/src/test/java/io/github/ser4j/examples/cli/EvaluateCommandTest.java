package io.github.ser4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.testing.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** evaluate on the fake model: a loud sine is predicted "loud", a quiet one "calm" (see FakeRecognizer). */
class EvaluateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path card;

    @BeforeEach
    void setUp() throws Exception {
        card = Files.writeString(dir.resolve("m.fake.json"), "{\"labels\": [\"calm\", \"loud\"]}");
        Files.createDirectories(dir.resolve("data/a"));
        Wav.write(dir.resolve("data/a/loud.wav"), Wav.sine(0.5, 440, 0.5, 16000), 16000, 1);
        Wav.write(dir.resolve("data/a/quiet.wav"), Wav.sine(0.1, 440, 0.5, 16000), 16000, 1);
        Files.writeString(dir.resolve("data/manifest.csv"), """
                path,corpus,label
                a/loud.wav,x,loud
                a/quiet.wav,x,calm
                a/quiet.wav,y,LOUD
                a/loud.wav,y,calm
                a/loud.wav,x,calm
                a/quiet.wav,x,bored
                a/missing.wav,x,loud
                "a/quiet.wav",y,calm

                """);
    }

    @Test
    void metricsSkippedAndFailedRowsJsonAndReport() throws Exception {
        Path json = dir.resolve("out.json");
        Path report = dir.resolve("report.html");
        Cli r = Cli.run("evaluate", "--manifest", dir.resolve("data/manifest.csv").toString(), "--model",
                card.toString(), "--json", json.toString(), "--report", report.toString(), "--threads", "3");
        assertEquals(ExitCodes.SOME_FAILED, r.code, r.toString());
        JsonNode o = JSON.readTree(r.out);
        assertEquals(o, JSON.readTree(Files.readString(json)));
        // Evaluated rows (truth -> predicted): loud->loud, calm->calm, loud->calm, calm->loud, calm->loud,
        // calm->calm. Confusion [[2,2],[1,1]]; accuracy 3/6; recall calm 2/4, loud 1/2; precision calm 2/3,
        // loud 1/3; F1 calm 2*(2/3)(1/2)/(7/6)=4/7, loud 2*(1/3)(1/2)/(5/6)=2/5.
        assertEquals(6, o.get("n").asInt());
        assertEquals(1, o.get("skipped").asInt());
        assertEquals(1, o.get("skipped_labels").get("bored").asInt());
        assertEquals(1, o.get("failed").asInt());
        assertTrue(o.get("errors").get(0).get("path").asText().endsWith("missing.wav"));
        assertEquals(8, o.get("errors").get(0).get("line").asInt());
        assertEquals(0.5, o.get("accuracy").asDouble(), 1e-12);
        assertEquals(0.5, o.get("uar").asDouble(), 1e-12);
        assertEquals((4.0 / 7 + 2.0 / 5) / 2, o.get("macro_f1").asDouble(), 1e-12);
        assertEquals(2.0 / 3, o.get("per_class").get("calm").get("precision").asDouble(), 1e-12);
        assertEquals(2, o.get("per_class").get("loud").get("support").asInt());
        assertEquals("[[2,2],[1,1]]", o.get("confusion").get("matrix").toString());
        assertEquals("[\"calm\",\"loud\"]", o.get("confusion").get("labels").toString());

        String html = Files.readString(report);
        assertTrue(html.contains("<svg id=\"confusion\""), "confusion matrix SVG");
        assertTrue(html.contains("<svg id=\"per-class\""), "per-class bars SVG");
        assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"),
                "no network references");
        assertFalse(html.contains("https://"), "no network references");
        assertFalse(html.contains("<script"), "no scripts");
    }

    @Test
    void filtersLimitAndRoot() throws Exception {
        Path elsewhere = Files.copy(dir.resolve("data/manifest.csv"), dir.resolve("m.csv"));
        Cli r = Cli.run("evaluate", "--manifest", elsewhere.toString(), "--root", dir.resolve("data").toString(),
                "--model", card.toString(), "--filter", "corpus=y");
        assertEquals(ExitCodes.OK, r.code, r.toString());
        JsonNode o = JSON.readTree(r.out);
        assertEquals(3, o.get("n").asInt());
        assertEquals(0, o.get("failed").asInt());
        Cli limited = Cli.run("evaluate", "--manifest", elsewhere.toString(), "--root",
                dir.resolve("data").toString(), "--model", card.toString(), "--limit", "2");
        assertEquals(2, JSON.readTree(limited.out).get("n").asInt(), limited.toString());
        Cli badFilter = Cli.run("evaluate", "--manifest", elsewhere.toString(), "--model", card.toString(),
                "--filter", "nope=1");
        assertEquals(ExitCodes.USAGE, badFilter.code, badFilter.toString());
    }

    @Test
    void malformedManifestIsAnInputError() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "file,emotion\na.wav,x\n");
        Cli r = Cli.run("evaluate", "--manifest", bad.toString(), "--model", card.toString());
        assertEquals(ExitCodes.IO, r.code, r.toString());
        assertTrue(r.err.contains("'path' and 'label'"), r.err);
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "path,label\na.wav,x,extra\n");
        Cli r2 = Cli.run("evaluate", "--manifest", ragged.toString(), "--model", card.toString());
        assertEquals(ExitCodes.IO, r2.code, r2.toString());
        assertTrue(r2.err.contains("ragged.csv:2"), r2.err);
        Cli missing = Cli.run("evaluate", "--manifest", dir.resolve("none.csv").toString());
        assertEquals(ExitCodes.IO, missing.code, missing.toString());
    }
}
