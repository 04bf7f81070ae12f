package io.github.ser4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.io.Csv;
import io.github.ser4j.examples.testing.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ser analyze --output FILE [--resume]} on the fake model: rows in input order with size and mtime, an existing
 * file never overwritten, and resume after a run that stopped part-way, after a kill that left a partial last line,
 * after a file changed, with its error rows kept.
 */
class AnalyzeOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path card;
    Path clips;
    List<Path> files;

    @BeforeEach
    void setUp() throws Exception {
        card = Files.writeString(dir.resolve("m.fake.json"), "{\"labels\": [\"calm\", \"loud\"]}");
        clips = Files.createDirectories(dir.resolve("clips"));
        files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            files.add(Wav.write(clips.resolve("c" + i + ".wav"), Wav.sine(0.1 + 0.1 * i, 440, 0.5 + 0.25 * i,
                    16000), 16000, 1));
        }
    }

    private Cli analyze(String format, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("analyze", "--model", card.toString(), "--format", format,
                "--output", out.toString(), "--threads", "3"));
        args.addAll(Arrays.asList(more));
        return Cli.run(args.toArray(String[]::new));
    }

    /** One row per line: file, ok, size and mtime, from JSON Lines or CSV (header skipped). */
    private record Row(String file, boolean ok, String size, String mtime, String label) {
    }

    private static List<Row> rows(Path out, String format) throws Exception {
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        List<Row> rows = new ArrayList<>();
        if (format.equals("json")) {
            for (String l : lines) {
                JsonNode o = JSON.readTree(l);
                rows.add(new Row(o.get("file").asText(), o.get("ok").asBoolean(), o.path("size").asText(""),
                        o.path("mtime").asText(""), o.path("label").asText("")));
            }
            return rows;
        }
        List<String> header = Csv.parse(lines.get(0));
        assertEquals(List.of("size", "mtime"), header.subList(header.size() - 2, header.size()), lines.get(0));
        for (String l : lines.subList(1, lines.size())) {
            List<String> c = Csv.parse(l);
            assertEquals(header.size(), c.size(), l);
            rows.add(new Row(c.get(0), c.get(1).equals("true"), c.get(header.indexOf("size")),
                    c.get(header.indexOf("mtime")), c.get(header.indexOf("label"))));
        }
        return rows;
    }

    private List<String> names(List<Path> paths) {
        return paths.stream().map(Path::toString).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "csv"})
    void rowsGoToTheFileInInputOrderWithSizeAndMtime(String format) throws Exception {
        Path out = dir.resolve("r." + format);
        Cli r = analyze(format, out, clips.toString());
        assertEquals(ExitCodes.OK, r.code, r.toString());
        assertEquals("", r.out, "nothing on stdout");
        List<Row> rows = rows(out, format);
        assertEquals(names(files), rows.stream().map(Row::file).toList(), "input order with --threads 3");
        for (int i = 0; i < files.size(); i++) {
            assertEquals(Long.toString(Files.size(files.get(i))), rows.get(i).size());
            assertEquals(Files.getLastModifiedTime(files.get(i)).toInstant(), Instant.parse(rows.get(i).mtime()));
        }
        assertTrue(Files.readString(out).endsWith("\n"));
    }

    @Test
    void anExistingFileIsAnErrorNamingResumeAndIsLeftAlone() throws Exception {
        Path out = Files.writeString(dir.resolve("r.json"), "precious\n");
        Cli r = analyze("json", out, clips.toString());
        assertEquals(ExitCodes.USAGE, r.code, r.toString());
        assertTrue(r.err.contains(out + " exists") && r.err.contains("--resume"), r.err);
        assertEquals("precious\n", Files.readString(out));
    }

    @Test
    void badCombinationsAreUsageErrors() {
        Cli noOutput = Cli.run("analyze", "--model", card.toString(), "--resume", clips.toString());
        assertEquals(ExitCodes.USAGE, noOutput.code, noOutput.toString());
        assertTrue(noOutput.err.contains("--output"), noOutput.err);
        Cli text = Cli.run("analyze", "--model", card.toString(), "--output", dir.resolve("r.txt").toString(),
                clips.toString());
        assertEquals(ExitCodes.USAGE, text.code, text.toString());
        assertTrue(text.err.contains("--format json"), text.err);
        assertFalse(Files.exists(dir.resolve("r.txt")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "csv"})
    void resumeSkipsTheFilesAlreadyThereAndAppendsTheRest(String format) throws Exception {
        Path out = dir.resolve("r." + format);
        Cli first = analyze(format, out, files.get(0).toString(), files.get(1).toString());
        assertEquals(ExitCodes.OK, first.code, first.toString());
        String before = Files.readString(out);
        Cli resumed = analyze(format, out, "--resume", clips.toString());
        assertEquals(ExitCodes.OK, resumed.code, resumed.toString());
        assertTrue(resumed.err.contains("2 of 5 files skipped") && resumed.err.contains("3 to analyse"),
                resumed.err);
        assertTrue(Files.readString(out).startsWith(before), "earlier rows untouched");
        assertEquals(names(files), rows(out, format).stream().map(Row::file).toList());

        Cli again = analyze(format, out, "--resume", clips.toString());
        assertEquals(ExitCodes.OK, again.code, again.toString());
        assertTrue(again.err.contains("5 of 5 files skipped"), again.err);
        assertEquals(5, rows(out, format).size(), "nothing appended when everything is there");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "csv"})
    void aKilledRunsPartialLastLineIsDroppedAndThatFileAnalysedAgain(String format) throws Exception {
        Path out = dir.resolve("r." + format);
        assertEquals(ExitCodes.OK, analyze(format, out, clips.toString()).code);
        byte[] whole = Files.readAllBytes(out);
        String expected = Files.readString(out);
        // killed while writing the 4th file's row: three complete rows (plus the header) and half a line
        int lastStart = expected.lastIndexOf('\n', expected.length() - 2) + 1;
        int fourthStart = expected.lastIndexOf('\n', lastStart - 2) + 1;
        int cut = fourthStart + (lastStart - fourthStart) / 2;
        Files.write(out, Arrays.copyOf(whole, cut));

        Cli resumed = analyze(format, out, "--resume", clips.toString());
        assertEquals(ExitCodes.OK, resumed.code, resumed.toString());
        assertTrue(resumed.err.contains("ser analyze: note: " + out + " ended in a partial row"), resumed.err);
        assertTrue(resumed.err.contains("3 of 5 files skipped"), resumed.err);
        assertEquals(names(files), rows(out, format).stream().map(Row::file).toList(), "each file once, in order");
        assertEquals(expected, Files.readString(out), "the same file as an uninterrupted run");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "csv"})
    void aChangedFileIsAnalysedAgainAndItsNewRowComesLast(String format) throws Exception {
        Path out = dir.resolve("r." + format);
        assertEquals(ExitCodes.OK, analyze(format, out, clips.toString()).code);
        Path changed = files.get(2);
        Instant later = Files.getLastModifiedTime(changed).toInstant().plusSeconds(60);
        Files.setLastModifiedTime(changed, FileTime.from(later));

        Cli resumed = analyze(format, out, "--resume", clips.toString());
        assertEquals(ExitCodes.OK, resumed.code, resumed.toString());
        assertTrue(resumed.err.contains("4 of 5 files skipped"), resumed.err);
        List<Row> rows = rows(out, format);
        assertEquals(6, rows.size());
        assertEquals(changed.toString(), rows.get(5).file());
        assertEquals(later, Instant.parse(rows.get(5).mtime()));
        assertEquals(rows.get(2).label(), rows.get(5).label(), "same audio, same answer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "csv"})
    void errorRowsAreKeptAndCountForTheExitCode(String format) throws Exception {
        Path corrupt = Files.write(clips.resolve("corrupt.wav"), new byte[] {'R', 'I', 'F', 'F', 1, 2, 3});
        Path missing = clips.resolve("missing.wav");
        Path out = dir.resolve("r." + format);
        Cli first = analyze(format, out, corrupt.toString(), missing.toString(), files.get(0).toString());
        assertEquals(ExitCodes.SOME_FAILED, first.code, first.toString());
        List<Row> before = rows(out, format);
        assertFalse(before.get(0).ok());
        assertEquals("7", before.get(0).size(), "an unreadable file still has its stamp");
        assertEquals("", before.get(1).size(), "a missing file has none");

        Cli resumed = analyze(format, out, "--resume", corrupt.toString(), missing.toString(),
                files.get(0).toString());
        assertEquals(ExitCodes.SOME_FAILED, resumed.code, "the skipped error row still failed: " + resumed);
        assertTrue(resumed.err.contains("2 of 3 files skipped") && resumed.err.contains("1 of them failed"),
                resumed.err);
        assertTrue(resumed.err.contains("ser analyze: error: " + missing), "the missing file is tried again: "
                + resumed.err);
        List<Row> after = rows(out, format);
        assertEquals(before, after.subList(0, 3), "error rows kept");
        assertEquals(List.of(missing.toString()), after.subList(3, after.size()).stream().map(Row::file).toList());
    }

    @Test
    void aCsvOfAnotherShapeIsNotResumed() throws Exception {
        Path out = dir.resolve("r.csv");
        assertEquals(ExitCodes.OK, analyze("csv", out, files.get(0).toString()).code);
        String before = Files.readString(out);
        Cli timeline = analyze("csv", out, "--resume", "--timeline", clips.toString());
        assertEquals(ExitCodes.IO, timeline.code, timeline.toString());
        assertTrue(timeline.err.contains("other columns"), timeline.err);
        assertEquals(before, Files.readString(out));
        Path json = Files.writeString(dir.resolve("r.json"), "{\"file\": \"a.wav\", \"ok\": true}\nnot json\n");
        Cli bad = analyze("json", json, "--resume", clips.toString());
        assertEquals(ExitCodes.IO, bad.code, bad.toString());
        assertTrue(bad.err.contains(json + ":2 is not a result row"), bad.err);
    }

    @Test
    void aCutTimelineCsvDropsTheWholeLastFile() throws Exception {
        Path out = dir.resolve("t.csv");
        String[] timeline = {"--timeline", "--window", "0.5", "--hop", "0.25", "--no-vad"};
        List<String> args = new ArrayList<>(Arrays.asList(timeline));
        args.add(clips.toString());
        assertEquals(ExitCodes.OK, analyze("csv", out, args.toArray(String[]::new)).code);
        String expected = Files.readString(out);
        List<String> lines = expected.lines().toList();
        String last = files.get(4).toString();
        long lastRows = lines.stream().filter(l -> Csv.parse(l).get(0).equals(last)).count();
        assertTrue(lastRows > 2, "several rows for the last file: " + lastRows);
        // cut inside the last file's second row: its first row is complete, but the file is not
        int secondRow = expected.indexOf('\n', expected.indexOf(last)) + 1;
        Files.writeString(out, expected.substring(0, secondRow + 5));

        args.add(0, "--resume");
        Cli resumed = analyze("csv", out, args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, resumed.code, resumed.toString());
        assertTrue(resumed.err.contains("4 of 5 files skipped"), resumed.err);
        assertEquals(expected, Files.readString(out));
    }
}
