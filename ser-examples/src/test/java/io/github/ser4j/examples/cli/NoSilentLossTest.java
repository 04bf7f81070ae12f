package io.github.ser4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.testing.FlacSilence;
import io.github.ser4j.api.testing.Wav;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decompression bombs are per-file errors and the batch goes on; output that cannot be written fails the command
 * (exit 4, one line on stderr) instead of exiting 0 with results missing. On the transparent fake model.
 */
class NoSilentLossTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path card;
    Path loud;

    @BeforeEach
    void setUp() throws IOException {
        card = Files.writeString(dir.resolve("m.fake.json"), "{\"labels\": [\"calm\", \"loud\"]}");
        loud = Wav.write(dir.resolve("loud.wav"), Wav.sine(0.5, 440, 1.5, 16000), 16000, 1);
    }

    record Run(int code, String out, String err) {
    }

    /** Runs the CLI with standard output going to a stream that fails after {@code okBytes} bytes. */
    static Run runWithFailingOutput(int okBytes, String... args) {
        OutputStream full = new OutputStream() {
            int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > okBytes) {
                    throw new IOException("No space left on device");
                }
            }
        };
        StringWriter err = new StringWriter();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(full, StandardCharsets.UTF_8), true);
        int code = Main.run(out, new PrintWriter(err, true), args);
        return new Run(code, "", err.toString());
    }

    @Test
    void bombsAreErrorRowsAndTheNextFileIsAnalysed() throws Exception {
        Path eight = FlacSilence.write(dir.resolve("8ch-192k-10min.flac"), 192_000, 8, 600L * 192_000);
        Path day = FlacSilence.write(dir.resolve("36h.flac"), 16_000, 1, 36L * 3600 * 16_000);
        assertTrue(Files.size(eight) < 1_000_000 && Files.size(day) < 8_000_000);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> Main.run(new PrintWriter(out, true),
                new PrintWriter(err, true), "analyze", "--model", card.toString(), "--format", "json",
                eight.toString(), day.toString(), loud.toString()));
        assertEquals(ExitCodes.SOME_FAILED, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size(), out.toString());
        for (int i = 0; i < 2; i++) {
            JsonNode row = JSON.readTree(lines.get(i));
            assertEquals(false, row.get("ok").asBoolean(), row.toString());
            assertEquals("AudioLimitException", row.get("error_type").asText(), row.toString());
            assertTrue(row.get("error").asText().contains("345600000 decoded samples"), row.toString());
        }
        JsonNode good = JSON.readTree(lines.get(2));
        assertEquals(loud.toString(), good.get("file").asText());
        assertTrue(good.get("ok").asBoolean(), good.toString());
        assertEquals("loud", good.get("label").asText());
    }

    @Test
    void aLowerCapRefusesWhatTheDefaultAccepts() throws Exception {
        // 1.5 s of 16 kHz mono is 24 000 samples
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "analyze",
                "--model", card.toString(), "--format", "json", "--max-decoded-samples", "23999", loud.toString());
        assertEquals(ExitCodes.SOME_FAILED, code);
        assertTrue(out.toString().contains("AudioLimitException"), out.toString());
        code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
                "analyze", "--model", card.toString(), "--max-decoded-samples", "24000", loud.toString());
        assertEquals(ExitCodes.OK, code);
    }

    @Test
    void aFullDiskFailsAnalyzeWithOneLineOnStderr() {
        for (String format : List.of("csv", "json", "text")) {
            // the CSV header fits, the first result does not
            Run r = runWithFailingOutput(20, "analyze", "--model", card.toString(), "--format", format,
                    loud.toString(), loud.toString());
            assertEquals(ExitCodes.IO, r.code, format + ": " + r.err);
            assertEquals(1, r.err.lines().count(), r.err);
            assertTrue(r.err.contains("cannot write the results"), r.err);
        }
    }

    @Test
    void liveStopsAtTheFirstSegmentItCannotWrite() throws Exception {
        float[] x = new float[48000];
        System.arraycopy(Wav.sine(0.5, 300, 2, 16000), 0, x, 0, 32000);
        LiveCommand live = new LiveCommand();
        live.format = ModelsCommand.Format.json;
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        try (io.github.ser4j.api.EmotionRecognizer r = io.github.ser4j.api.EmotionRecognizer.create(card)) {
            java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.io.UncheckedIOException.class, () -> live.listen(r, io.github.ser4j.api.AudioSource.of(x,
                            16000), io.github.ser4j.api.StreamOptions.builder().windowSeconds(1).hopSeconds(0.5)
                            .build(), null, new PrintWriter(new OutputStreamWriter(full, StandardCharsets.UTF_8)),
                            new PrintWriter(new StringWriter())));
            assertTrue(e.getMessage().contains("cannot write the results"), e.getMessage());
        }
    }

    @Test
    void aFullDiskFailsModelsAndEvaluate() throws IOException {
        Run models = runWithFailingOutput(0, "models", "--model", card.toString());
        assertEquals(ExitCodes.IO, models.code, models.err);
        assertEquals(1, models.err.lines().count(), models.err);
        assertTrue(models.err.contains("cannot write the results"), models.err);

        Files.writeString(dir.resolve("manifest.csv"), "path,label\nloud.wav,loud\n");
        Run eval = runWithFailingOutput(0, "evaluate", "--manifest", dir.resolve("manifest.csv").toString(),
                "--model", card.toString());
        assertEquals(ExitCodes.IO, eval.code, eval.err);
        assertEquals(1, eval.err.lines().count(), eval.err);
    }
}
