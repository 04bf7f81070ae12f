package io.github.ser4j.spark;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.RecordingPrediction;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real default model through Spark against the same model in this JVM through the public API: every file's row
 * is what {@code analyze(Path)} (and so {@code ser analyze}) gives it, its segments what {@code stream} gives. When
 * {@code ser-examples/target/ser.jar} is built (the full reactor), the file rows also equal
 * {@code ser analyze --format csv} run as a separate process.
 */
class SerSparkDefaultModelTest {
    private static final Path SAMPLES = Path.of("..", "ser-examples", "samples");
    private static final double TOL = 1e-6;

    @TempDir
    Path tmp;

    @Test
    void filesAndSegmentsEqualTheRecogniserInOneJvm() throws IOException {
        List<String> clips = List.of("hello.wav", "upset.wav", "calm.wav");
        for (String c : clips) {
            Files.copy(SAMPLES.resolve(c), tmp.resolve(c));
        }
        String cardSha;
        try (InputStream in = getClass().getResourceAsStream("/io/github/ser4j/defaultmodel/card.json")) {
            // an ensemble card: model_sha256 is its card file's SHA-256 (the card pins its members' cards by theirs)
            cardSha = ModelBundle.sha256(in.readAllBytes());
        }
        Map<String, Row> files = new TreeMap<>();
        Map<String, List<Row>> segments = new TreeMap<>();
        try (SerSparkResult r = SerSpark.analyze(TestSpark.session(), tmp.toString(), SerSparkOptions.defaults())) {
            for (Row row : r.files().collectAsList()) {
                files.put(Path.of(row.<String>getAs("path")).getFileName().toString(), row);
            }
            for (Row row : r.segments().collectAsList()) {
                segments.computeIfAbsent(Path.of(row.<String>getAs("path")).getFileName().toString(),
                        k -> new ArrayList<>()).add(row);
            }
        }
        assertEquals(clips.stream().sorted().toList(), new ArrayList<>(files.keySet()));
        try (EmotionRecognizer ser = EmotionRecognizer.create()) {
            List<String> labels = ser.labels();
            for (String c : clips) {
                Row f = files.get(c);
                assertTrue(f.<Boolean>getAs("ok"), () -> c + ": " + f.getAs("error"));
                assertEquals(ser.model().name(), f.getAs("model_name"));
                assertEquals(cardSha, f.getAs("model_sha256"));
                List<EmotionSegment> timeline = ser.timeline(AudioSource.open(tmp.resolve(c)));
                List<Row> rows = segments.getOrDefault(c, List.of());
                assertEquals(timeline.size(), rows.size(), c + " segments");
                RecordingPrediction whole = ser.analyze(tmp.resolve(c));
                assertEquals(whole.windows(), f.<Integer>getAs("windows"), c);
                assertEquals(whole.speechSeconds(), f.<Double>getAs("speech_s"), 1e-9, c);
                assertEquals(whole.durationSeconds(), f.<Double>getAs("duration_s"), 1e-9, c);
                for (int i = 0; i < rows.size(); i++) {
                    assertEquals(timeline.get(i).startSeconds(), rows.get(i).<Double>getAs("start_s"), 1e-9);
                    assertEquals(timeline.get(i).endSeconds(), rows.get(i).<Double>getAs("end_s"), 1e-9);
                    expect(c + " segment " + i, timeline.get(i).prediction(), rows.get(i), labels);
                }
                // the file level is `ser analyze`'s: recognize(Path) within the window, else the speech-weighted mean
                expect(c, whole.prediction(), f, labels);
                expect(c, ser.recognize(tmp.resolve(c)), f, labels);
            }
        }
        assertTrue(files.get("calm.wav").<Double>getAs("duration_s") > 3.0, "one file takes the windowed path");
    }

    @Test
    void fileRowsEqualSerAnalyzeCsv() throws Exception {
        Path jar = Path.of("..", "ser-examples", "target", "ser.jar");
        assumeTrue(Files.isRegularFile(jar), "ser-examples/target/ser.jar is built by the full reactor (mvn verify), "
                + "not by -pl ser-spark -am");
        List<String> clips = List.of("hello.wav", "upset.wav", "calm.wav"); // calm.wav is longer than the window
        for (String c : clips) {
            Files.copy(SAMPLES.resolve(c), tmp.resolve(c));
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString(), "analyze", "--format", "csv", "--no-progress"));
        clips.forEach(c -> command.add(tmp.resolve(c).toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "ser analyze exit code");
        List<String> header = List.of(lines.get(0).split(","));
        Map<String, Row> files = new TreeMap<>();
        try (SerSparkResult r = SerSpark.analyze(TestSpark.session(), tmp.toString(), SerSparkOptions.defaults())) {
            for (Row row : r.files().collectAsList()) {
                files.put(Path.of(row.<String>getAs("path")).getFileName().toString(), row);
            }
        }
        assertEquals(clips.size(), lines.size() - 1);
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",", -1);
            Row f = files.get(Path.of(v[header.indexOf("file")]).getFileName().toString());
            assertEquals("true", v[header.indexOf("ok")]);
            assertEquals(v[header.indexOf("label")], f.getAs("label"), line);
            assertEquals(Float.parseFloat(v[header.indexOf("confidence")]), f.<Float>getAs("confidence"), line);
            for (String column : header) {
                if (column.startsWith("p_")) {
                    assertEquals(Float.parseFloat(v[header.indexOf(column)]), f.<Float>getAs(column), column);
                }
            }
            assertEquals(Double.parseDouble(v[header.indexOf("duration_s")]), f.<Double>getAs("duration_s"), 5e-4);
            assertEquals(Double.parseDouble(v[header.indexOf("speech_s")]), f.<Double>getAs("speech_s"), 5e-4);
            assertEquals(Integer.parseInt(v[header.indexOf("windows")]), f.<Integer>getAs("windows"), line);
        }
    }

    private static void expect(String what, EmotionPrediction p, Row row, List<String> labels) {
        assertEquals(p.label(), row.getAs("label"), what);
        assertEquals(p.confidence(), row.<Float>getAs("confidence"), TOL, what);
        for (String l : labels) {
            assertEquals(p.probability(l), row.<Float>getAs("p_" + l), TOL, what + " " + l);
        }
    }
}
