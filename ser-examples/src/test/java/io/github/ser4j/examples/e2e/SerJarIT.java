package io.github.ser4j.examples.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.testing.FlacSilence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the shaded {@code target/ser.jar} in a fresh JVM, as users do (failsafe, after the package phase). */
class SerJarIT {
    private static final Path JAR = Path.of("target/ser.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int code, String out, String err) {
    }

    private static Run run(String... args) throws IOException, InterruptedException {
        return run(List.of(), null, args);
    }

    /** Runs the jar with extra JVM options, standard output going to {@code stdout} (a temporary file if null). */
    private static Run run(List<String> jvm, Path stdout, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Path out = stdout != null ? stdout : Files.createTempFile("ser-out", ".txt");
        Path err = Files.createTempFile("ser-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ser " + String.join(" ", args) + " finished");
            return new Run(p.exitValue(), stdout != null ? "" : Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            if (stdout == null) {
                Files.deleteIfExists(out);
            }
            Files.deleteIfExists(err);
        }
    }

    /**
     * A shell glob over a folder gives the JVM a long command line; ONNX Runtime 1.29.0 crashed the JVM (SIGSEGV, exit
     * 139, no hs_err file) while loading once it exceeded about 4 KB, so the build stays on a version that does not.
     */
    @Test
    void aCommandLineOfManyFilesIsAnalysedNotCrashed() throws Exception {
        Run models = run("models", "--format", "json");
        Assumptions.assumeTrue(models.code == 0, "skipped: ser.jar has no embedded default model yet: " + models.err);
        List<String> args = new ArrayList<>(List.of("analyze", "--format", "csv"));
        for (int i = 0; i < 300; i++) {
            args.add("samples/./../samples/hello.wav");   // 31 characters each: 9.3 KB of arguments
        }
        assertTrue(String.join(" ", args).length() > 8000);
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.code, "exit " + r.code + ", stderr: " + r.err);
        assertEquals(301, r.out.lines().count(), "a header and one row per file");
    }

    @Test
    void bothBombsAreAnsweredWithin60sUnder256MbAndTheNextFileIsAnalysed(@TempDir Path dir) throws Exception {
        Run models = run("models", "--format", "json");
        Assumptions.assumeTrue(models.code == 0, "skipped: ser.jar has no embedded default model yet: " + models.err);
        Path eight = FlacSilence.write(dir.resolve("8ch-192k-10min.flac"), 192_000, 8, 600L * 192_000);
        Path day = FlacSilence.write(dir.resolve("36h.flac"), 16_000, 1, 36L * 3600 * 16_000);
        long t0 = System.nanoTime();
        Run r = run(List.of("-Xmx256m"), null, "analyze", "--format", "json", eight.toString(), day.toString(),
                "samples/hello.wav");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, r.code, r.err);
        assertTrue(seconds < 60, "answered in " + seconds + " s");
        List<JsonNode> rows = new ArrayList<>();
        for (String line : r.out.lines().toList()) {
            rows.add(JSON.readTree(line));
        }
        assertEquals(3, rows.size(), r.out);
        assertEquals("AudioLimitException", rows.get(0).get("error_type").asText(), rows.get(0).toString());
        assertEquals("AudioLimitException", rows.get(1).get("error_type").asText(), rows.get(1).toString());
        assertTrue(rows.get(2).get("ok").asBoolean(), rows.get(2).toString());
    }

    @Test
    void aFileCutShortIsAnalysedAndReportedOnStderr(@TempDir Path dir) throws Exception {
        Run models = run("models", "--format", "json");
        Assumptions.assumeTrue(models.code == 0, "skipped: ser.jar has no embedded default model yet: " + models.err);
        byte[] wav = io.github.ser4j.api.testing.Wav.bytes(
                io.github.ser4j.api.testing.Wav.sine(0.5, 440, 2, 16000), 16000, 1);
        Path cut = Files.write(dir.resolve("cut.wav"), java.util.Arrays.copyOf(wav, wav.length / 2));
        Run r = run("analyze", "--format", "json", cut.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("cut.wav") && r.err.contains("truncated"), "reported: " + r.err);
        assertEquals(1.0, JSON.readTree(r.out).get("duration_s").asDouble(), 0.01, r.out);
    }

    @Test
    void writingToAFullDiskFailsWithOneLine() throws Exception {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(full), "no /dev/full on this system");
        Run models = run("models", "--format", "json");
        Assumptions.assumeTrue(models.code == 0, "skipped: ser.jar has no embedded default model yet: " + models.err);
        Path manifest = Files.createTempFile("manifest", ".csv");
        try {
            Files.writeString(manifest, "path,label\n" + Path.of("samples/hello.wav").toAbsolutePath() + ",neutral\n");
            for (String[] args : List.of(new String[] {"analyze", "samples/hello.wav"},
                    new String[] {"analyze", "--format", "csv", "samples/hello.wav"},
                    new String[] {"models"}, new String[] {"evaluate", "--manifest", manifest.toString()})) {
                Run r = run(List.of(), full, args);
                assertEquals(4, r.code, String.join(" ", args) + ": " + r.err);
                assertEquals(1, r.err.lines().count(), String.join(" ", args) + ": " + r.err);
                assertTrue(r.err.contains("cannot write the results"), r.err);
            }
        } finally {
            Files.deleteIfExists(manifest);
        }
    }

    @Test
    void helpAndUsageExitCodes() throws Exception {
        Run help = run("--help");
        assertEquals(0, help.code, help.err);
        assertTrue(help.out.contains("analyze") && help.out.contains("serve"), help.out);
        Run bad = run("analyze", "--format", "yaml", "x.wav");
        assertEquals(2, bad.code);
        assertTrue(bad.err.contains("yaml"), bad.err);
    }

    @Test
    void serviceFilesOfAllBackendsAreMerged() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertEquals("io.github.ser4j.examples.cli.Main",
                    jar.getManifest().getMainAttributes().getValue("Main-Class"));
            for (String spi : List.of("RecognizerProvider", "AudioInputProvider", "VadProvider")) {
                var entry = jar.getEntry("META-INF/services/io.github.ser4j.api.spi." + spi);
                Assumptions.assumeTrue(entry != null, "backend for " + spi + " not built yet");
                String text = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(text.lines().anyMatch(l -> l.strip().startsWith("io.github.ser4j.")), spi + ": " + text);
                assertTrue(text.lines().noneMatch(l -> l.contains("testing.Fake")), "no test doubles in the jar");
            }
        }
    }

    /** At most 64 MiB: ONNX Runtime's debug symbols are filtered out, every platform's runtime library stays. */
    @Test
    void leanJarWithEveryPlatformsRuntimeAndTheDefaultModel() throws Exception {
        long size = Files.size(JAR);
        assertTrue(size <= 64L * 1024 * 1024, "ser.jar is " + size + " bytes");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = jar.stream().map(java.util.zip.ZipEntry::getName).toList();
            assertEquals(List.of(), names.stream().filter(n -> n.endsWith(".pdb") || n.contains(".dSYM/")).toList());
            for (String lib : List.of("linux-x64/libonnxruntime.so", "linux-aarch64/libonnxruntime.so",
                    "osx-aarch64/libonnxruntime.dylib", "win-x64/onnxruntime.dll")) {
                assertTrue(names.contains("ai/onnxruntime/native/" + lib), lib);
            }
            for (String f : List.of("card.json", "cnn.onnx", "cnn2.onnx", "functionals-adapted.onnx")) {
                assertTrue(names.contains("io/github/ser4j/defaultmodel/" + f), "the default model's " + f
                        + " is in ser.jar");
            }
            assertTrue(names.contains("META-INF/LICENSE") && names.contains("META-INF/NOTICE"), "LICENSE and NOTICE");
        }
    }

    @Test
    void analyzeASampleWithTheEmbeddedModel() throws Exception {
        Run models = run("models", "--format", "json");
        assertEquals(0, models.code, "ser.jar includes ser-model-default: " + models.err);
        Run r = run("analyze", "--format", "json", "samples/hello.wav", "samples/missing.wav");
        assertEquals(1, r.code, r.err);
        List<JsonNode> rows = new ArrayList<>();
        for (String line : r.out.lines().toList()) {
            rows.add(JSON.readTree(line));
        }
        assertEquals(2, rows.size(), r.out);
        JsonNode hello = rows.stream().filter(n -> n.get("file").asText().endsWith("hello.wav")).findFirst()
                .orElseThrow();
        assertTrue(hello.get("ok").asBoolean(), hello.toString());
        JsonNode missing = rows.stream().filter(n -> n.get("file").asText().endsWith("missing.wav")).findFirst()
                .orElseThrow();
        assertTrue(!missing.get("ok").asBoolean() && !missing.get("error").asText().isBlank(), missing.toString());
    }

    @Test
    void libraryPrintsNeverReachTheResults() throws Exception {
        // jFLAC prints "readResidual elsecase" to System.out while decoding this damaged FLAC (a fuzzing input)
        Path flac = Path.of("../ser-audio-javasound/src/test/resources/io/github/ser4j/audio/javasound/"
                + "AudioDecoderFuzzTestInputs/decode/timeout-ef8805cd9bc4538ca00c341cca438273d8907c1c");
        Assumptions.assumeTrue(Files.isRegularFile(flac), "fuzz input not found: " + flac);
        Run models = run("models", "--format", "json");
        Assumptions.assumeTrue(models.code == 0, "skipped: ser.jar has no embedded default model yet: " + models.err);
        Run r = run("analyze", "--format", "json", flac.toString());
        assertEquals(1, r.code, r.err);
        List<String> lines = r.out.lines().toList();
        assertEquals(1, lines.size(), "one result line and nothing else on stdout: " + r.out);
        JsonNode row = JSON.readTree(lines.get(0));
        assertEquals("CorruptAudioException", row.get("error_type").asText(), row.toString());
        assertTrue(!r.err.contains("readResidual"), "the library's print is kept off stderr too: " + r.err);
    }

    /**
     * {@code ser serve} from the shaded jar (Jetty and its service files bundled): health answers, a request the HTTP
     * parser refuses gets the JSON error with the security headers, and nothing but the one "Serving" line is printed
     * (no server-library log lines; standard output stays empty).
     */
    @Test
    void serveAnswersAndRefusesUnparseableRequestsWithJsonQuietly() throws Exception {
        Path out = Files.createTempFile("ser-serve-out", ".txt");
        Path err = Files.createTempFile("ser-serve-err", ".txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "serve", "--port", "0").redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        try {
            java.util.regex.Matcher m = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && p.isAlive()) {
                m = java.util.regex.Pattern.compile("on (http://127\\.0\\.0\\.1:(\\d+)/)")
                        .matcher(Files.readString(err, StandardCharsets.UTF_8));
                if (m.find()) {
                    break;
                }
                m = null;
                Thread.sleep(100);
            }
            assertTrue(m != null, "serve started: " + Files.readString(err, StandardCharsets.UTF_8));
            java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1) + "api/v1/health"))
                            .timeout(java.time.Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            String garbage;
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", Integer.parseInt(m.group(2)))) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                garbage = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(garbage.startsWith("HTTP/1.1 400 "), garbage);
            assertTrue(garbage.toLowerCase(java.util.Locale.ROOT).contains("x-content-type-options: nosniff"), garbage);
            JsonNode error = JSON.readTree(garbage.substring(garbage.indexOf("\r\n\r\n") + 4));
            assertEquals(400, error.get("status").asInt(), garbage);
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook closes the server
            boolean stopped = p.waitFor(60, TimeUnit.SECONDS);
            if (!stopped) {
                p.destroyForcibly();
            }
            assertTrue(stopped, "serve stopped");
        }
        assertEquals("", Files.readString(out, StandardCharsets.UTF_8), "nothing on stdout");
        List<String> errLines = Files.readAllLines(err, StandardCharsets.UTF_8);
        assertEquals(1, errLines.size(), "only the Serving line on stderr: " + errLines);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
    }
}
