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

    /** Rows without a label are skipped and counted, also when --filter excludes them; never an abort. */
    @Test
    void rowsWithoutALabelAreSkippedAndCounted() throws Exception {
        Path m = Files.writeString(dir.resolve("data/unlabelled.csv"), """
                path,corpus,label
                a/loud.wav,x,loud
                a/quiet.wav,y,
                a/quiet.wav,x,calm
                a/loud.wav,x,
                """);
        Cli all = Cli.run("evaluate", "--manifest", m.toString(), "--model", card.toString());
        assertEquals(ExitCodes.OK, all.code, all.toString());
        JsonNode o = JSON.readTree(all.out);
        assertEquals(2, o.get("n").asInt());
        assertEquals(2, o.get("unlabelled").asInt());
        assertTrue(all.err.contains("2 rows without a label skipped (unlabelled.csv lines 3, 5)"), all.err);
        Cli filtered = Cli.run("evaluate", "--manifest", m.toString(), "--model", card.toString(),
                "--filter", "corpus=x");
        assertEquals(ExitCodes.OK, filtered.code, filtered.toString());
        assertEquals(1, JSON.readTree(filtered.out).get("unlabelled").asInt());
        assertEquals(1.0, JSON.readTree(filtered.out).get("accuracy").asDouble());
    }

    /** Missing files are named on stderr with a count; all missing says nothing was evaluated. */
    @Test
    void failedFilesAreReportedOnStderr() throws Exception {
        Path m = Files.writeString(dir.resolve("data/missing.csv"), "path,label\nnope/1.wav,loud\nnope/2.wav,calm\n");
        Cli r = Cli.run("evaluate", "--manifest", m.toString(), "--model", card.toString());
        assertEquals(ExitCodes.SOME_FAILED, r.code, r.toString());
        assertTrue(r.err.contains("1.wav") && r.err.contains("2.wav"), r.err);
        assertEquals(3, r.err.lines().count(), "one line per file, then the count: " + r.err);
        assertTrue(r.err.lines().allMatch(l -> l.indexOf("nope") == l.lastIndexOf("nope")),
                "each path named once: " + r.err);
        assertTrue(r.err.contains("2 of 2 files failed: nothing was evaluated"), r.err);
        assertEquals(2, JSON.readTree(r.out).get("failed").asInt());
    }

    /** A manifest of the corpora the card lists as training data gets a warning; other corpora do not. */
    @Test
    void scoringOnTheTrainingCorporaIsFlagged() throws Exception {
        Path trained = Files.writeString(dir.resolve("t.fake.json"), "{\"labels\": [\"calm\", \"loud\"], "
                + "\"provenance\": {\"training_data\": [{\"name\": \"X (speech)\"}, "
                + "{\"name\": \"Zed\", \"speakers\": [\"zed_01\"]}]}}");
        Path m = Files.writeString(dir.resolve("data/corpora.csv"), """
                path,corpus,speaker,label
                a/loud.wav,x,x_1,loud
                a/quiet.wav,x,x_2,calm
                a/quiet.wav,y,y_1,calm
                a/loud.wav,zed,zed_01,loud
                a/loud.wav,zed,zed_02,loud
                """);
        Path report = dir.resolve("r.html");
        Cli r = Cli.run("evaluate", "--manifest", m.toString(), "--model", trained.toString(), "--report",
                report.toString());
        assertEquals(ExitCodes.OK, r.code, r.toString());
        assertTrue(r.err.contains("warning: 3 of 5 rows are from corpora the model was trained on (x 2, zed 1)"),
                r.err);
        JsonNode o = JSON.readTree(r.out).get("training_overlap");
        assertEquals(3, o.get("rows").asInt());
        assertEquals(1, o.get("corpora").get("zed").asInt(), "only the listed speaker of zed");
        assertTrue(Files.readString(report).contains("trained on"));
        Cli other = Cli.run("evaluate", "--manifest", m.toString(), "--model", trained.toString(), "--filter",
                "corpus=y");
        assertFalse(other.err.contains("warning"), other.err);
        assertTrue(JSON.readTree(other.out).get("training_overlap") == null);
    }

    /** The report: chance level, command and date, misclassified files, only classes with support. */
    @Test
    void reportShowsChanceCommandMisclassifiedAndSupportedClassesOnly() throws Exception {
        Path threeLabels = Files.writeString(dir.resolve("three.fake.json"),
                "{\"labels\": [\"calm\", \"surprised\", \"loud\"]}");
        Path report = dir.resolve("report.html");
        Cli r = Cli.run("evaluate", "--manifest", dir.resolve("data/manifest.csv").toString(), "--model",
                threeLabels.toString(), "--report", report.toString());
        String html = Files.readString(report);
        // supported classes: calm (4) and loud (2); surprised has no row and is never predicted by the fake model
        assertTrue(html.contains("chance level</th><td>UAR 50.0 % (1 of 2 classes); accuracy 66.7 %"), html);
        assertTrue(html.contains("left out below: surprised"), html);
        String confusion = html.substring(html.indexOf("<svg id=\"confusion\""), html.indexOf("</svg>",
                html.indexOf("<svg id=\"confusion\"")));
        assertFalse(confusion.contains(">surprised<"), confusion);
        assertTrue(confusion.contains("viewBox=") && !confusion.contains(" width=\"1"), "sized to the page");
        assertTrue(html.contains("<th>command</th><td>ser evaluate --manifest "), html);
        assertTrue(html.matches("(?s).*<th>date</th><td>20\\d\\d-\\d\\d-\\d\\dT.*"), "an ISO date");
        // misclassified (truth -> predicted): quiet.wav LOUD -> calm, loud.wav calm -> loud twice
        String wrong = html.substring(html.indexOf("<table id=\"misclassified\""));
        assertEquals(3, wrong.split("<tr><td>").length - 1, wrong);
        assertTrue(wrong.contains("<tr><td>a/quiet.wav</td><td>loud</td><td>calm</td>"), wrong);
        assertTrue(html.contains("Misclassified files (3)"), html);
    }

    /** --adapt-by: an unknown column names it and the manifest's columns; a model without contexts is an error. */
    @Test
    void adaptByUnknownColumnAndModelWithoutSpeakerContexts() throws Exception {
        Path m = dir.resolve("data/manifest.csv");
        Cli unknown = Cli.run("evaluate", "--manifest", m.toString(), "--model", card.toString(), "--adapt-by",
                "speaker");
        assertEquals(ExitCodes.USAGE, unknown.code, unknown.toString());
        assertTrue(unknown.err.contains("--adapt-by: the manifest has no column 'speaker'; it has [path, corpus, "
                + "label]"), unknown.err);
        // the fake model has no speaker contexts (the API's default methods throw UnsupportedOperationException)
        Cli noContexts = Cli.run("evaluate", "--manifest", m.toString(), "--model", card.toString(), "--adapt-by",
                "corpus");
        assertEquals(ExitCodes.MODEL, noContexts.code, noContexts.toString());
        assertTrue(noContexts.err.contains("--adapt-by needs a model with speaker contexts; fake 1 has none"),
                noContexts.err);
        assertEquals("", noContexts.out);
        // without the option: nothing adapted, every evaluated row recognised alone
        Cli plain = Cli.run("evaluate", "--manifest", m.toString(), "--model", card.toString());
        JsonNode o = JSON.readTree(plain.out);
        assertTrue(o.get("adapt_by").isNull(), plain.out);
        assertEquals(0, o.get("adapted_groups").asInt());
        assertEquals(7, o.get("unadapted_rows").asInt(), "6 evaluated + 1 missing file");
        assertTrue(o.get("predictions") == null, "per-row predictions only with --predictions");
    }
}
