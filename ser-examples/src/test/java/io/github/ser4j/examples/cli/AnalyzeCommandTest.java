package io.github.ser4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.testing.Wav;
import io.github.ser4j.examples.io.Csv;
import io.github.ser4j.examples.testing.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analyze command's plumbing, on the transparent fake model (see FakeRecognizer: p(loud) = min(1, 2 rms)). */
class AnalyzeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path card;
    Path loud;
    Path quiet;

    @BeforeEach
    void setUp() throws Exception {
        card = Files.writeString(dir.resolve("m.fake.json"), "{\"labels\": [\"calm\", \"loud\"]}");
        Files.createDirectories(dir.resolve("clips/sub"));
        // A sine of amplitude A has rms A / sqrt(2): p(loud) = sqrt(2) A (to 16-bit quantisation).
        loud = Wav.write(dir.resolve("clips/loud.wav"), Wav.sine(0.5, 440, 1.5, 16000), 16000, 1);
        quiet = Wav.write(dir.resolve("clips/sub/quiet.wav"), Wav.sine(0.1, 440, 2.0, 16000), 16000, 1);
        Files.writeString(dir.resolve("clips/notes.txt"), "not audio, not picked up from a folder");
    }

    @Test
    void jsonLinesOnePerFileWithProbabilitiesAndDuration() throws Exception {
        Cli r = Cli.run("analyze", "--model", card.toString(), "--format", "json", dir.resolve("clips").toString());
        assertEquals(ExitCodes.OK, r.code, r.toString());
        Map<String, JsonNode> byFile = parseLines(r.out);
        assertEquals(2, byFile.size(), r.out);
        JsonNode l = byFile.get(loud.toString());
        assertTrue(l.get("ok").asBoolean());
        assertEquals("loud", l.get("label").asText());
        assertEquals(Math.sqrt(2) * 0.5, l.get("probabilities").get("loud").asDouble(), 1e-3);
        assertEquals(1 - Math.sqrt(2) * 0.5, l.get("probabilities").get("calm").asDouble(), 1e-3);
        assertEquals(1.5, l.get("duration_s").asDouble(), 1e-9);
        JsonNode q = byFile.get(quiet.toString());
        assertEquals("calm", q.get("label").asText());
        assertEquals(1 - Math.sqrt(2) * 0.1, q.get("confidence").asDouble(), 1e-3);
        assertEquals(2.0, q.get("duration_s").asDouble(), 1e-9);
    }

    @Test
    void failedFileIsReportedAndTheBatchGoesOnWithExitCode1() throws Exception {
        Path corrupt = Files.write(dir.resolve("corrupt.wav"), new byte[] {'R', 'I', 'F', 'F', 1, 2, 3});
        Path missing = dir.resolve("missing.wav");
        Cli r = Cli.run("analyze", "--model", card.toString(), "--format", "json", "--threads", "2",
                corrupt.toString(), loud.toString(), missing.toString(), quiet.toString());
        assertEquals(ExitCodes.SOME_FAILED, r.code, r.toString());
        Map<String, JsonNode> byFile = parseLines(r.out);
        assertEquals(4, byFile.size(), r.out);
        for (Path bad : List.of(corrupt, missing)) {
            JsonNode e = byFile.get(bad.toString());
            assertFalse(e.get("ok").asBoolean(), e.toString());
            assertFalse(e.get("error").asText().isBlank(), e.toString());
            assertTrue(e.get("error_type").asText().endsWith("Exception"), e.toString());
        }
        assertTrue(byFile.get(loud.toString()).get("ok").asBoolean());
        assertTrue(byFile.get(quiet.toString()).get("ok").asBoolean());
    }

    @Test
    void everyFailedFileIsAlsoOneLineOnStderr() throws Exception {
        Path corrupt = Files.write(dir.resolve("corrupt.wav"), new byte[] {'R', 'I', 'F', 'F', 1, 2, 3});
        Path missing = dir.resolve("missing.wav");
        for (String format : List.of("json", "csv", "text")) {
            Cli r = Cli.run("analyze", "--model", card.toString(), "--format", format, corrupt.toString(),
                    loud.toString(), missing.toString());
            assertEquals(ExitCodes.SOME_FAILED, r.code, r.toString());
            List<String> errors = r.err.lines().filter(l -> l.startsWith("ser analyze: error: ")).toList();
            assertEquals(2, errors.size(), format + ": " + r.err);
            for (Path bad : List.of(corrupt, missing)) {
                List<String> about = errors.stream().filter(l -> l.contains(bad.toString())).toList();
                assertEquals(1, about.size(), format + ": " + r.err);
                // the path once, then what went wrong
                assertEquals(about.get(0).indexOf(bad.toString()), about.get(0).lastIndexOf(bad.toString()),
                        about.get(0));
            }
            assertTrue(errors.stream().anyMatch(l -> l.contains("only 7 bytes")), r.err);
            assertTrue(errors.stream().anyMatch(l -> l.contains("no such file")), r.err);
            assertFalse(r.err.contains("\tat ") || r.err.contains("Exception:"), "no stack trace: " + r.err);
            assertTrue(r.out.contains(corrupt.toString()) && r.out.contains(missing.toString()),
                    "the structured output keeps its error rows: " + r.out);
        }
    }

    /** A 16 kHz mono 16-bit WAV whose header declares 2 s while 0.75 s of a loud sine is there. */
    private Path truncatedWav() throws Exception {
        byte[] full = Files.readAllBytes(Wav.write(dir.resolve("full.wav"), Wav.sine(0.5, 440, 2.0, 16000), 16000,
                1));
        int dataAt = 12;
        while (!new String(full, dataAt, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("data")) {
            dataAt += 8 + java.nio.ByteBuffer.wrap(full, dataAt + 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getInt();
        }
        return Files.write(dir.resolve("truncated.wav"), java.util.Arrays.copyOf(full, dataAt + 8 + 2 * 12000));
    }

    /** The same cut for AIFF: big-endian, COMM declares 32 000 frames, SSND holds 12 000. */
    private Path truncatedAiff() throws Exception {
        int frames = 32000;
        int present = 12000;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + 26 + 16 + 2 * present);
        b.put("FORM".getBytes()).putInt(4 + 26 + 16 + 2 * frames).put("AIFF".getBytes());
        b.put("COMM".getBytes()).putInt(18).putShort((short) 1).putInt(frames).putShort((short) 16);
        b.put(new byte[] {0x40, 0x0C, (byte) 0xFA, 0, 0, 0, 0, 0, 0, 0}); // 16000 as an 80-bit extended float
        b.put("SSND".getBytes()).putInt(8 + 2 * frames).putInt(0).putInt(0);
        for (int i = 0; i < present; i++) {
            b.putShort((short) Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * 440 * i / 16000.0)));
        }
        return Files.write(dir.resolve("truncated.aiff"), b.array());
    }

    @Test
    void aTruncatedWavOrAiffIsAnalysedAsFarAsItGoesWithAWarning() throws Exception {
        Path wav = truncatedWav();
        Path aiff = truncatedAiff();
        Cli r = Cli.run("analyze", "--model", card.toString(), "--format", "json", wav.toString(), aiff.toString(),
                loud.toString());
        assertEquals(ExitCodes.OK, r.code, r.toString());
        Map<String, JsonNode> byFile = parseLines(r.out);
        for (Path p : List.of(wav, aiff)) {
            JsonNode o = byFile.get(p.toString());
            assertTrue(o.get("ok").asBoolean(), o.toString());
            assertTrue(o.get("truncated").asBoolean(), o.toString());
            assertEquals(0.75, o.get("duration_s").asDouble(), 1e-9, o.toString());
            assertEquals(2.0, o.get("declared_duration_s").asDouble(), 1e-9, o.toString());
            assertEquals("loud", o.get("label").asText(), "the samples that are there were analysed: " + o);
            List<String> warnings = r.err.lines().filter(l -> l.contains(p.toString())).toList();
            assertEquals(List.of("ser analyze: warning: " + p + ": the header declares 2.000 s of audio but the file "
                    + "holds 0.750 s (truncated); analysed what is there"), warnings, r.err);
        }
        assertFalse(byFile.get(loud.toString()).has("truncated"), "complete files carry no flag");
        assertFalse(r.err.contains(loud.toString()), r.err);
    }

    @Test
    void inferenceFailureIsAnErrorRowToo() throws Exception {
        Path picky = Files.writeString(dir.resolve("picky.fake.json"),
                "{\"labels\": [\"calm\", \"loud\"], \"fail_above_seconds\": 1.8}");
        Cli r = Cli.run("analyze", "--model", picky.toString(), "--format", "json", loud.toString(),
                quiet.toString());
        assertEquals(ExitCodes.SOME_FAILED, r.code, r.toString());
        Map<String, JsonNode> byFile = parseLines(r.out);
        assertTrue(byFile.get(loud.toString()).get("ok").asBoolean());
        assertEquals("InferenceException", byFile.get(quiet.toString()).get("error_type").asText());
    }

    @Test
    void csvHasAHeaderAndOneRowPerFile() {
        Path corrupt = dir.resolve("missing.wav");
        Cli r = Cli.run("analyze", "--model", card.toString(), "--format", "csv", loud.toString(),
                corrupt.toString());
        assertEquals(ExitCodes.SOME_FAILED, r.code, r.toString());
        List<String> lines = r.out.lines().toList();
        assertEquals(3, lines.size(), r.out);
        List<String> header = Csv.parse(lines.get(0));
        assertEquals(List.of("file", "ok", "duration_s", "speech_s", "windows", "label", "confidence", "speech",
                "p_calm", "p_loud", "error_type", "error"), header);
        for (String line : lines.subList(1, 3)) {
            List<String> row = Csv.parse(line);
            assertEquals(header.size(), row.size(), line);
            if (row.get(0).equals(loud.toString())) {
                assertEquals("true", row.get(1));
                assertEquals("1.500", row.get(2));
                assertEquals("1.500", row.get(3)); // the fake model: all of a clip with speech is speech
                assertEquals("1", row.get(4));
                assertEquals("loud", row.get(5));
                assertEquals(Math.sqrt(2) * 0.5, Double.parseDouble(row.get(9)), 1e-3);
                assertEquals("", row.get(11));
            } else {
                assertEquals("false", row.get(1));
                assertFalse(row.get(11).isBlank());
            }
        }
    }

    @Test
    void timelineGivesSegmentsInJsonAndCsv() throws Exception {
        // 1 s loud, 1 s silence, 1 s quiet; windows of 1 s every 0.5 s: 5 windows, the silent one skipped by VAD.
        float[] x = new float[48000];
        System.arraycopy(Wav.sine(0.5, 300, 1, 16000), 0, x, 0, 16000);
        System.arraycopy(Wav.sine(0.1, 300, 1, 16000), 0, x, 32000, 16000);
        Path clip = Wav.write(dir.resolve("three.wav"), x, 16000, 1);
        Cli r = Cli.run("analyze", "--model", card.toString(), "--format", "json", "--timeline", "--window", "1",
                "--hop", "0.5", clip.toString());
        assertEquals(ExitCodes.OK, r.code, r.toString());
        JsonNode o = JSON.readTree(r.out.lines().findFirst().orElseThrow());
        JsonNode segs = o.get("segments");
        assertEquals(4, segs.size(), o.toString());
        assertEquals(0.0, segs.get(0).get("start_s").asDouble());
        assertEquals(1.0, segs.get(0).get("end_s").asDouble());
        assertEquals("loud", segs.get(0).get("label").asText());
        assertEquals(2.0, segs.get(3).get("start_s").asDouble());
        assertEquals("calm", segs.get(3).get("label").asText());
        assertEquals(3.0, o.get("duration_s").asDouble(), 1e-9);

        Cli all = Cli.run("analyze", "--model", card.toString(), "--format", "csv", "--timeline", "--window", "1",
                "--hop", "0.5", "--no-vad", clip.toString());
        assertEquals(ExitCodes.OK, all.code, all.toString());
        List<String> lines = all.out.lines().toList();
        assertEquals(List.of("file", "ok", "duration_s", "start_s", "end_s", "label", "confidence", "speech",
                "p_calm", "p_loud", "error_type", "error"), Csv.parse(lines.get(0)));
        assertEquals(1 + 5, lines.size(), all.out);
        assertEquals("no_speech", Csv.parse(lines.get(3)).get(5));
    }

    @Test
    void textFormatNamesEachFileAndErrors() {
        Cli r = Cli.run("analyze", "--model", card.toString(), loud.toString(), dir.resolve("nope.wav").toString());
        assertEquals(ExitCodes.SOME_FAILED, r.code, r.toString());
        assertTrue(r.out.lines().anyMatch(l -> l.startsWith(loud.toString()) && l.contains("loud")), r.out);
        assertTrue(r.out.lines().anyMatch(l -> l.startsWith(dir.resolve("nope.wav").toString())
                && l.contains("ERROR")), r.out);
    }

    @Test
    void usageAndModelErrorsHaveTheirExitCodes() {
        assertEquals(ExitCodes.USAGE, Cli.run("analyze").code);
        assertEquals(ExitCodes.USAGE, Cli.run("analyze", "--threads", "0", loud.toString()).code);
        assertEquals(ExitCodes.USAGE, Cli.run("analyze", "--format", "xml", loud.toString()).code);
        Cli hop = Cli.run("analyze", "--model", card.toString(), "--timeline", "--window", "1", "--hop", "2",
                loud.toString());
        assertEquals(ExitCodes.USAGE, hop.code, hop.toString());
        assertTrue(hop.err.contains("hopSeconds"), hop.err);
        Cli missingCard = Cli.run("analyze", "--model", dir.resolve("none.json").toString(), loud.toString());
        assertEquals(ExitCodes.MODEL, missingCard.code, missingCard.toString());
        assertTrue(missingCard.err.contains("none.json"), missingCard.err);
        Cli empty = Cli.run("analyze", "--model", card.toString(), dir.resolve("clips/sub/..").resolve("none")
                .toString());
        assertEquals(ExitCodes.SOME_FAILED, empty.code, empty.toString());
    }

    private static Map<String, JsonNode> parseLines(String out) throws Exception {
        Map<String, JsonNode> byFile = new HashMap<>();
        for (String line : out.lines().toList()) {
            JsonNode n = JSON.readTree(line);
            byFile.put(n.get("file").asText(), n);
        }
        return byFile;
    }
}
