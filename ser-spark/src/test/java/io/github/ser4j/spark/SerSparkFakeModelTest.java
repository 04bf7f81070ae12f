package io.github.ser4j.spark;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark plumbing in {@code local[2]} with {@link FakeRecognizer}, whose answers the tests compute from the
 * amplitudes they wrote: schemas, one row per input, bad files as rows, segment order, one recogniser per JVM shared
 * by both task threads, Parquet output read back with parquet-hadoop's own reader (not Spark's), idempotent reruns and
 * resume after a lost batch.
 */
class SerSparkFakeModelTest {
    private static final double TOL = 2e-3;
    private static final double R2 = Math.sqrt(0.5); // RMS of a unit sine

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path input;
    static SerSparkOptions options;
    static String modelSha;

    @BeforeAll
    static void setUp() throws IOException {
        spark = TestSpark.session();
        input = tmp.resolve("in");
        writeInputs(input);
        Path model = tmp.resolve("model");
        Files.createDirectories(model);
        byte[] weights = "not really a model".getBytes(StandardCharsets.UTF_8);
        Files.write(model.resolve("fake.onnx"), weights);
        modelSha = ModelBundle.sha256(weights);
        String card;
        try (InputStream in = SerSparkFakeModelTest.class.getResourceAsStream(
                "/io/github/ser4j/defaultmodel/cnn.card.json")) { // an ordinary card (the default's CNN member)
            card = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        card = card.replaceFirst("\"file\": \"cnn.onnx\"", "\"file\": \"fake.onnx\"")
                .replaceFirst("\"sha256\": \"[0-9a-f]{64}\"", "\"sha256\": \"" + modelSha + "\"");
        Files.writeString(model.resolve(FakeRecognizerProvider.CARD), card);
        options = SerSparkOptions.builder().modelCard(model.resolve(FakeRecognizerProvider.CARD)).build();
    }

    static void writeInputs(Path dir) throws IOException {
        TestAudio.wav(dir.resolve("a.wav"), 16000, 1, new double[] {0.5}, new double[] {0.8});
        TestAudio.wav(dir.resolve("b.wav"), 16000, 1, new double[] {0.5, 0, 0.1}, new double[] {1, 1, 1});
        TestAudio.wav(dir.resolve("c.wav"), 16000, 1, new double[] {0}, new double[] {2});
        TestAudio.wav(dir.resolve("sub/d.wav"), 8000, 2, new double[] {0.2}, new double[] {1.5});
        byte[] corrupt = Arrays.copyOf("RIFF\u0010\0\0\0WAVEfmt \u0002\0\0\0".getBytes(StandardCharsets.ISO_8859_1),
                300);
        Files.write(dir.resolve("corrupt.wav"), corrupt);
        Files.writeString(dir.resolve("notes.txt"), "not audio at all\n");
    }

    private static Map<String, Row> byName(List<Row> rows) {
        Map<String, Row> m = new TreeMap<>();
        for (Row r : rows) {
            String p = r.getString(r.fieldIndex("path"));
            m.put(p.substring(p.indexOf("/in/") + 4), r);
        }
        return m;
    }

    @Test
    void filesAndSegmentsHaveTheDocumentedColumnsAndTheFakeModelsValues() throws IOException {
        try (SerSparkResult r = SerSpark.analyze(spark, input.toString(), options)) {
            assertEquals(List.of("path", "size", "modification_time", "ok", "error_type", "error", "duration_s",
                    "speech_s", "windows", "label", "confidence", "p_calm", "p_angry", "arousal", "valence",
                    "model_name", "model_version", "model_sha256"), List.of(r.files().columns()));
            assertEquals(List.of("path", "start_s", "end_s", "label", "confidence", "p_calm", "p_angry", "arousal",
                    "valence"), List.of(r.segments().columns()));
            Map<String, Row> files = byName(r.files().collectAsList());
            assertEquals(List.of("a.wav", "b.wav", "c.wav", "corrupt.wav", "notes.txt", "sub/d.wav"),
                    new ArrayList<>(files.keySet()), "one row per input file, recursively");

            // a: 0.8 s, within the 1 s window: whole-clip recognition, rms 0.5/sqrt 2
            expect(files.get("a.wav"), 0.8, 0.8, 1, "angry", 2 * 0.5 * R2);
            // b: windows of rms 0.354 and 0.071 (1 s each), silence between: weighted mean of p(angry)
            expect(files.get("b.wav"), 3.0, 2.0, 2, "calm", (2 * 0.5 * R2 + 2 * 0.1 * R2) / 2);
            // d: stereo 8 kHz, windows of 1 s and 0.5 s, both rms 0.141
            expect(files.get("sub/d.wav"), 1.5, 1.5, 2, "calm", 2 * 0.2 * R2);
            Row c = files.get("c.wav");
            assertAll("silence",
                    () -> assertTrue(c.<Boolean>getAs("ok")),
                    () -> assertEquals("no_speech", c.getAs("label")),
                    () -> assertEquals(0, c.<Integer>getAs("windows")),
                    () -> assertEquals(0.0, c.<Double>getAs("speech_s")),
                    () -> assertEquals(0f, c.<Float>getAs("p_angry")));
            for (String bad : List.of("corrupt.wav", "notes.txt")) {
                Row b = files.get(bad);
                assertAll(bad,
                        () -> assertFalse(b.<Boolean>getAs("ok")),
                        () -> assertTrue(Stream.of("CorruptAudioException", "UnsupportedAudioException")
                                .anyMatch(b.<String>getAs("error_type")::equals), b.<String>getAs("error_type")),
                        () -> assertFalse(b.<String>getAs("error").isBlank()),
                        () -> assertNull(b.getAs("label")),
                        () -> assertNull(b.getAs("duration_s")));
            }
            for (Row f : files.values()) {
                assertEquals("fake", f.getAs("model_name"));
                assertEquals(modelSha, f.getAs("model_sha256"));
            }
            assertEquals(Files.size(input.resolve("b.wav")), files.get("b.wav").<Long>getAs("size"));

            List<Row> segments = r.segments().collectAsList();
            assertEquals(1 + 2 + 2, segments.size());
            Map<String, List<Row>> perFile = segments.stream().collect(Collectors.groupingBy(
                    s -> s.getString(0), TreeMap::new, Collectors.toList()));
            for (List<Row> list : perFile.values()) {
                for (int i = 0; i < list.size(); i++) {
                    double start = list.get(i).getAs("start_s");
                    double end = list.get(i).getAs("end_s");
                    assertTrue(start < end, "segment " + list.get(i));
                    if (i > 0) {
                        assertTrue(start > list.get(i - 1).<Double>getAs("start_s"), "start times rise: " + list);
                    }
                }
            }
            List<Row> bSegments = perFile.get(files.get("b.wav").<String>getAs("path"));
            assertEquals(2.0, bSegments.get(1).<Double>getAs("start_s"), 1e-9);
            assertEquals(2 * 0.1 * R2, bSegments.get(1).<Float>getAs("p_angry"), TOL);
        }
        // one recogniser in this JVM (the driver's check loaded it; the tasks reused it), called from 2 task threads
        assertEquals(1, FakeRecognizer.INSTANCES.get());
        assertEquals(1, FakeRecognizer.lastOptions.intraOpThreads());
        assertTrue(FakeRecognizer.THREADS.stream().filter(t -> t.contains("Executor task launch")).count() >= 2,
                "both task threads used the shared recogniser: " + FakeRecognizer.THREADS);
    }

    private static void expect(Row row, double duration, double speech, int windows, String label, double angry) {
        assertAll(row.getString(0),
                () -> assertTrue(row.<Boolean>getAs("ok"), () -> row.getAs("error")),
                () -> assertEquals(duration, row.<Double>getAs("duration_s"), 1e-9),
                () -> assertEquals(speech, row.<Double>getAs("speech_s"), 1e-9),
                () -> assertEquals(windows, row.<Integer>getAs("windows")),
                () -> assertEquals(label, row.getAs("label")),
                () -> assertEquals(angry, row.<Float>getAs("p_angry"), TOL),
                () -> assertEquals(1 - angry, row.<Float>getAs("p_calm"), TOL),
                () -> assertEquals(Math.max(angry, 1 - angry), row.<Float>getAs("confidence"), TOL),
                () -> assertNull(row.getAs("error_type")));
    }

    @Test
    void theFileLevelIsTheRecognisersWholeRecordingAnalysisWhateverTheTimelinesWindows() {
        // segments of 0.5 s every 0.5 s; the file level stays analyze()'s: the card's 1 s windows, as `ser analyze`
        SerSparkOptions half = options.toBuilder().windowSeconds(0.5).hopSeconds(0.5).pathGlobFilter("b.wav").build();
        int before = FakeRecognizer.ANALYSES.get();
        try (SerSparkResult r = SerSpark.analyze(spark, input.toString(), half)) {
            Map<String, Row> files = byName(r.files().collectAsList());
            expect(files.get("b.wav"), 3.0, 2.0, 2, "calm", (2 * 0.5 * R2 + 2 * 0.1 * R2) / 2);
            assertEquals(4, r.segments().count(), "the timeline has the options' windows");
        }
        assertTrue(FakeRecognizer.ANALYSES.get() > before, "analyze(AudioSource) gave the file level");
    }

    @Test
    void aFileOverTheSizeLimitIsAnErrorRowWithoutBeingRead() {
        SerSparkOptions small = options.toBuilder().maxFileBytes(50_000).pathGlobFilter("*.wav").build();
        try (SerSparkResult r = SerSpark.analyze(spark, input.toString(), small)) {
            Map<String, Row> files = byName(r.files().collectAsList());
            assertEquals(5, files.size(), "the glob keeps *.wav only: " + files.keySet());
            for (String big : List.of("b.wav", "c.wav")) {
                assertEquals("AudioLimitException", files.get(big).getAs("error_type"));
                assertTrue(files.get(big).<String>getAs("error").contains("50000"));
            }
            assertTrue(files.get("a.wav").<Boolean>getAs("ok"));
        }
    }

    @Test
    void runWritesParquetThatAnotherReaderReadsAndARerunGivesTheSameRows() throws IOException {
        Path out = tmp.resolve("out-rerun");
        RunSummary first = SerSpark.run(spark, input.toString(), out.toString(), options);
        assertEquals(6, first.listed());
        assertEquals(4, first.ok());
        assertEquals(2, first.failed());
        assertEquals(3.0 + 0.8 + 2 + 1.5, first.audioSeconds(), 1e-9);
        assertEquals(Map.of("angry", 1L, "calm", 2L, "no_speech", 1L), first.labels());
        List<Map<String, Object>> files = readParquet(out.resolve(SerSpark.FILES));
        List<Map<String, Object>> segments = readParquet(out.resolve(SerSpark.SEGMENTS));
        assertEquals(6, files.size());
        assertEquals(5, segments.size());
        Map<String, Object> a = files.stream().filter(m -> ((String) m.get("path")).endsWith("/in/a.wav"))
                .findFirst().orElseThrow();
        assertEquals(true, a.get("ok"));
        assertEquals("angry", a.get("label"));
        assertEquals(2 * 0.5 * R2, (Float) a.get("p_angry"), TOL);
        assertEquals(modelSha, a.get("model_sha256"));

        RunSummary second = SerSpark.run(spark, input.toString(), out.toString(), options);
        assertEquals(0, second.skipped());
        assertEquals(sorted(files), sorted(readParquet(out.resolve(SerSpark.FILES))), "files after a rerun");
        assertEquals(sorted(segments), sorted(readParquet(out.resolve(SerSpark.SEGMENTS))), "segments");
    }

    @Test
    void resumeRedoesOnlyTheLostBatchAndThenOnlyNewFiles() throws IOException {
        Path in = tmp.resolve("in-resume").resolve("in");
        writeInputs(in);
        Path out = tmp.resolve("out-resume");
        SerSparkOptions batched = options.toBuilder().batchFiles(3).build();
        RunSummary full = SerSpark.run(spark, in.toString(), out.toString(), batched);
        assertEquals(2, full.batches());
        List<String> fullFiles = sorted(readParquet(out.resolve(SerSpark.FILES)));
        List<String> fullSegments = sorted(readParquet(out.resolve(SerSpark.SEGMENTS)));

        // killed after the segments of batch 2, before its files: the batch is lost, its segments orphaned
        deleteTree(out.resolve(SerSpark.FILES).resolve("batch=000002"));
        RunSummary resumed = SerSpark.run(spark, in.toString(), out.toString(), batched.toBuilder().resume(true)
                .build());
        assertEquals(6, resumed.listed());
        assertEquals(3, resumed.skipped());
        assertEquals(3, resumed.processed());
        assertEquals(fullFiles, sorted(readParquet(out.resolve(SerSpark.FILES))));
        assertEquals(fullSegments, sorted(readParquet(out.resolve(SerSpark.SEGMENTS))), "no duplicate segments");

        // glob characters and a space: the batch loads this exact file, not a pattern
        TestAudio.wav(in.resolve("e [take 1].wav"), 16000, 1, new double[] {0.3}, new double[] {0.5});
        RunSummary again = SerSpark.run(spark, in.toString(), out.toString(), batched.toBuilder().resume(true)
                .build());
        assertEquals(6, again.skipped());
        assertEquals(1, again.ok());
        assertEquals(7, readParquet(out.resolve(SerSpark.FILES)).size());
        assertTrue(readParquet(out.resolve(SerSpark.FILES)).stream()
                .anyMatch(m -> ((String) m.get("path")).endsWith("/e [take 1].wav") && m.get("ok").equals(true)));
        assertTrue(Files.isDirectory(out.resolve(SerSpark.FILES).resolve("batch=000003")));
    }

    @Test
    void launcherRejectsABadCommandLineWithUsage() {
        var err = new java.io.ByteArrayOutputStream();
        int code = LocalLauncher.run(new String[] {"--input", "x", "--threads", "0"}, System.out,
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--threads needs a positive whole number"));
        assertEquals(2, LocalLauncher.run(new String[] {"--input", "x"}, System.out,
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    private static List<String> sorted(List<Map<String, Object>> rows) {
        return rows.stream().map(m -> new TreeMap<>(m).toString()).sorted().toList();
    }

    /** Reads every Parquet file under a folder with parquet-hadoop's example reader, independent of Spark's. */
    static List<Map<String, Object>> readParquet(Path dir) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Path> parts;
        try (Stream<Path> s = Files.walk(dir)) {
            parts = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
        for (Path part : parts) {
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
                    new org.apache.hadoop.fs.Path(part.toUri())).build()) {
                Group g;
                while ((g = reader.read()) != null) {
                    Map<String, Object> row = new HashMap<>();
                    var type = g.getType();
                    for (int i = 0; i < type.getFieldCount(); i++) {
                        if (g.getFieldRepetitionCount(i) == 0) {
                            row.put(type.getFieldName(i), null);
                            continue;
                        }
                        var prim = type.getType(i).asPrimitiveType().getPrimitiveTypeName();
                        row.put(type.getFieldName(i), switch (prim) {
                            case BOOLEAN -> g.getBoolean(i, 0);
                            case INT32 -> g.getInteger(i, 0);
                            case INT64 -> g.getLong(i, 0);
                            case FLOAT -> g.getFloat(i, 0);
                            case DOUBLE -> g.getDouble(i, 0);
                            case BINARY -> g.getString(i, 0);
                            default -> g.getValueToString(i, 0);
                        });
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
