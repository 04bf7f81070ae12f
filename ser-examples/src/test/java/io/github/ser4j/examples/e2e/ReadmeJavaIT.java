package io.github.ser4j.examples.e2e;

import io.github.ser4j.examples.e2e.Processes.Run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.PcmEncoding;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import org.junit.jupiter.api.Test;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The root README's Java, as a reader copies it: its {@code pom.xml} block becomes a fresh project (unchanged but for
 * a file repository so that the build needs no network), its complete programs (the {@code java} blocks with a
 * {@code main} method) go to {@code src/main/java/}, Maven compiles them and runs each with {@code exec:java} as the
 * README says. The quick start must print the label and every probability readably, matching Python's figures for
 * the clip ({@code default-model/expected.json}); the timeline must print the segments the library streams, and so
 * must the push program fed a mu-law file in packets.
 *
 * <p>This build's artifacts are copied into a local repository under {@code target/} (never the user's), as in
 * {@link ModulePathConsumerIT}; the user's local repository serves third-party artifacts as a file repository.
 */
class ReadmeJavaIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target", "readme-java-it").toAbsolutePath();
    private static final String GROUP = "io.github.ser4j";

    @Test
    void readmeProjectCompilesAndItsProgramsPrintReadableResults() throws Exception {
        String version = System.getProperty("ser4j.version");
        assertNotNull(version, "failsafe passes ser4j.version");
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        List<String> poms = blocks(readme, "xml").stream().filter(b -> b.contains("<project")).toList();
        assertEquals(1, poms.size(), "one complete pom.xml in the README");
        String pom = poms.get(0);
        assertTrue(pom.contains("<version>" + version + "</version>"), "the README names this version, " + version);
        List<String> programs = blocks(readme, "java").stream().filter(b -> b.contains("static void main"))
                .toList();
        assertEquals(3, programs.size(), "Quickstart, Timeline and Push");

        deleteRecursively(WORK);
        Path repo = WORK.resolve("repo");
        install(repo, "ser4j-parent", version, ROOT.resolve("pom.xml"), null);
        install(repo, "ser4j-bom", version, ROOT.resolve("ser4j-bom/pom.xml"), null);
        for (String m : List.of("ser-api", "ser-dsp", "ser-onnx", "ser-model-default", "ser-audio-javasound")) {
            Path jar = ROOT.resolve(m).resolve("target").resolve(m + "-" + version + ".jar");
            assertTrue(Files.isRegularFile(jar), jar + " (built by this reactor before ser-examples' integration tests)");
            install(repo, m, version, ROOT.resolve(m).resolve("pom.xml"), jar);
        }
        Path project = Files.createDirectories(WORK.resolve("project"));
        String cache = Path.of(System.getProperty("user.home"), ".m2", "repository").toUri().toString();
        Files.writeString(project.resolve("pom.xml"), pom.replace("</project>", """
                  <repositories><repository><id>build-cache</id><url>CACHE</url></repository></repositories>
                  <pluginRepositories>
                    <pluginRepository><id>build-cache</id><url>CACHE</url></pluginRepository>
                  </pluginRepositories>
                </project>
                """.replace("CACHE", cache)), StandardCharsets.UTF_8);
        Path src = Files.createDirectories(project.resolve("src/main/java"));
        for (String program : programs) {
            Matcher m = Pattern.compile("public class (\\w+)").matcher(program);
            assertTrue(m.find(), program);
            Files.writeString(src.resolve(m.group(1) + ".java"), program, StandardCharsets.UTF_8);
        }

        // the quick start, as the README runs it
        Path hello = ROOT.resolve("ser-examples/samples/hello.wav");
        Run quick = run(project, 600, "mvn", "-B", "-q", "-Dstyle.color=never", "-Dmaven.repo.local=" + repo, "compile", "exec:java",
                "-Dexec.args=" + hello);
        assertEquals(0, quick.code(), "README project failed:\n" + quick.out() + quick.err());
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/default-model/expected.json")) {
            expected = new ObjectMapper().readTree(in);
        }
        List<String> labels = new ArrayList<>();
        expected.get("labels").forEach(l -> labels.add(l.asText()));
        JsonNode want = expected.get("clips").get("hello.wav");
        int best = 0;
        for (int k = 1; k < want.size(); k++) {
            best = want.get(k).asDouble() > want.get(best).asDouble() ? k : best;
        }
        List<String> lines = printed(quick.out());
        assertEquals(1 + labels.size(), lines.size(), quick.out());
        Matcher head = Pattern.compile("(\\w+) \\((\\d+) %\\)").matcher(lines.get(0));
        assertTrue(head.matches(), "readable headline: " + lines.get(0));
        assertEquals(labels.get(best), head.group(1));
        assertEquals(Math.round(100 * want.get(best).asDouble()), Long.parseLong(head.group(2)));
        for (int k = 0; k < labels.size(); k++) {
            Matcher row = Pattern.compile(" {2}(\\w+) +(\\d+[.,]\\d) %").matcher(lines.get(k + 1));
            assertTrue(row.matches(), "readable probability line: '" + lines.get(k + 1) + "'");
            assertEquals(labels.get(k), row.group(1));
            assertEquals(100 * want.get(k).asDouble(), Double.parseDouble(row.group(2).replace(',', '.')), 0.05 + 0.01,
                    "p(" + labels.get(k) + ") in percent, to the printed 0.1");
        }

        // the timeline program prints the segments the library streams for the same clip
        Path conversation = ROOT.resolve("ser-examples/samples/conversation.wav");
        Run timeline = run(project, 600, "mvn", "-B", "-q", "-o", "-Dstyle.color=never", "-Dmaven.repo.local=" + repo, "exec:java",
                "-Dexec.mainClass=Timeline", "-Dexec.args=" + conversation);
        assertEquals(0, timeline.code(), "Timeline failed:\n" + timeline.out() + timeline.err());
        List<String> want2 = timeline(AudioSource.open(conversation));
        assertTrue(want2.size() >= 3, "the conversation has several segments: " + want2);
        assertEquals(want2, printed(timeline.out()));

        // the push program, fed a headerless mu-law file in 20 ms packets, prints the segments that a pull stream
        // gives for the same audio (the mu-law bytes decoded); the file is the conversation encoded by Java Sound
        byte[] ulaw;
        try (AudioInputStream pcm = AudioSystem.getAudioInputStream(conversation.toFile());
             AudioInputStream mu = AudioSystem.getAudioInputStream(AudioFormat.Encoding.ULAW, pcm)) {
            assertEquals(16000f, mu.getFormat().getSampleRate());
            assertEquals(1, mu.getFormat().getChannels());
            ulaw = mu.readAllBytes();
        }
        Path call = Files.write(WORK.resolve("conversation.ulaw"), ulaw);
        Run push = run(project, 600, "mvn", "-B", "-q", "-o", "-Dstyle.color=never", "-Dmaven.repo.local=" + repo,
                "exec:java", "-Dexec.mainClass=Push", "-Dexec.args=" + call + " 16000");
        assertEquals(0, push.code(), "Push failed:\n" + push.out() + push.err());
        float[] decoded = new float[ulaw.length];
        PcmEncoding.ULAW.decode(ulaw, 0, decoded, 0, ulaw.length);
        List<String> want3 = timeline(AudioSource.of(decoded, 16000));
        assertTrue(want3.size() >= 3, "the mu-law conversation has several segments: " + want3);
        assertEquals(want3, printed(push.out()));
    }

    /** The lines the README's Timeline and Push print, from the library's pull stream over {@code source}. */
    private static List<String> timeline(AudioSource source) {
        List<String> out = new ArrayList<>();
        try (EmotionRecognizer ser = EmotionRecognizer.create();
             SegmentStream segments = ser.stream(source, StreamOptions.defaults())) {
            while (segments.hasNext()) {
                EmotionSegment s = segments.next();
                out.add(String.format("%5.2f - %5.2f s  %-10s %3.0f %%", s.startSeconds(), s.endSeconds(),
                        s.prediction().label(), 100 * s.prediction().confidence()));
            }
        }
        return out;
    }

    /** The program's lines: without Maven's colour resets (ANSI escapes, whatever -B says) and blank lines. */
    private static List<String> printed(String out) {
        return out.replaceAll("\u001B\\[[0-9;]*m", "").lines().filter(l -> !l.isBlank()).toList();
    }

    /** The bodies of the fenced blocks of one language. */
    static List<String> blocks(String markdown, String language) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : markdown.split("\n", -1)) {
            if (current == null && line.strip().equals("```" + language)) {
                current = new StringBuilder();
            } else if (current != null && line.strip().equals("```")) {
                out.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return out;
    }

    private static void install(Path repo, String artifact, String version, Path pom, Path jar) throws IOException {
        Path dir = Files.createDirectories(repo.resolve(GROUP.replace('.', '/')).resolve(artifact).resolve(version));
        Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Run run(Path dir, int seconds, String... cmd) throws IOException, InterruptedException {
        return Processes.run(WORK, dir, seconds, cmd);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        Processes.deleteRecursively(dir);
    }
}
