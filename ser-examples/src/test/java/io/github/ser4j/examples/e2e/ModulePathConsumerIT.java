package io.github.ser4j.examples.e2e;

import io.github.ser4j.examples.e2e.Processes.Run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fresh consumer project, as a user writes one: its POM imports {@code ser4j-bom} and names {@code ser-onnx},
 * {@code ser-model-default} and {@code ser-audio-javasound} without versions, its {@code module-info.java} requires
 * only {@code io.github.ser4j.api}, Maven compiles it, and it runs on the module path alone (no class path), where
 * service binding must pull in the backend, the default model and the audio reader. It recognises a sample clip, and
 * the probabilities must be Python's (librosa features + Python onnxruntime, {@code default-model/expected.json}).
 *
 * <p>This build's artifacts are copied into a local repository under {@code target/} (never the user's), and the
 * consumer build reads third-party artifacts from the user's local repository as a file repository, so it needs no
 * network when the main build has run.
 */
class ModulePathConsumerIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target", "consumer-it").toAbsolutePath();
    private static final String GROUP = "io.github.ser4j";
    private static final double TOLERANCE = 1e-4;

    @Test
    void bomConsumerRecognisesAClipOnTheModulePath() throws Exception {
        String version = System.getProperty("ser4j.version");
        assertNotNull(version, "failsafe passes ser4j.version");
        assertTrue(Files.readString(ROOT.resolve("ser4j-bom/pom.xml")).contains("<version>" + version + "</version>"),
                "ser4j-bom (which has no parent) states the project's version " + version);
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
        Files.writeString(project.resolve("pom.xml"), consumerPom(version), StandardCharsets.UTF_8);
        Path src = Files.createDirectories(project.resolve("src/main/java/app"));
        Files.writeString(project.resolve("src/main/java/module-info.java"),
                "module consumer {\n    requires io.github.ser4j.api;\n}\n", StandardCharsets.UTF_8);
        Files.writeString(src.resolve("Main.java"), """
                package app;

                import io.github.ser4j.api.EmotionPrediction;
                import io.github.ser4j.api.EmotionRecognizer;
                import java.nio.file.Path;

                public final class Main {
                    public static void main(String[] args) {
                        try (EmotionRecognizer ser = EmotionRecognizer.create()) {
                            EmotionPrediction p = ser.recognize(Path.of(args[0]));
                            System.out.println("module " + ser.getClass().getModule().getName());
                            System.out.println("model " + ser.model().name());
                            System.out.println("labels " + String.join(",", ser.labels()));
                            StringBuilder probs = new StringBuilder("probabilities");
                            for (float v : p.probabilities()) {
                                probs.append(' ').append(v);
                            }
                            System.out.println(probs);
                            System.out.println("modules " + ModuleLayer.boot().modules().stream()
                                    .map(Module::getName).filter(n -> n.startsWith("io.github.ser4j")).sorted()
                                    .toList());
                            System.out.println("classpath [" + System.getProperty("java.class.path") + "]");
                            System.out.println("automatic " + ModuleLayer.boot().modules().stream()
                                    .filter(m -> m.getName().startsWith("io.github.ser4j"))
                                    .filter(m -> m.getDescriptor().isAutomatic()).map(Module::getName).sorted()
                                    .toList());
                            System.out.println("dsp-internal-exported " + ModuleLayer.boot()
                                    .findModule("io.github.ser4j.dsp").orElseThrow()
                                    .isExported("io.github.ser4j.dsp.internal"));
                        }
                    }
                }
                """, StandardCharsets.UTF_8);

        Path cpFile = WORK.resolve("module-path.txt");
        Run build = run(project, 600, "mvn", "-B", "-q", "-Dmaven.repo.local=" + repo,
                "compile", "org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath",
                "-Dmdep.outputFile=" + cpFile, "-Dmdep.includeScope=runtime");
        assertEquals(0, build.code(), "consumer build failed:\n" + build.out() + build.err());
        String modulePath = project.resolve("target/classes") + java.io.File.pathSeparator
                + Files.readString(cpFile, StandardCharsets.UTF_8).trim();
        for (String m : List.of("ser-onnx", "ser-model-default", "onnxruntime-1.28.0")) {
            assertTrue(modulePath.contains(m), "the BOM resolved " + m + ": " + modulePath);
        }

        Path clip = ROOT.resolve("ser-examples/samples/hello.wav");
        Run app = run(project, 120, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath, "--module", "consumer/app.Main", clip.toString());
        assertEquals(0, app.code(), app.out() + app.err());
        Map<String, String> out = new java.util.HashMap<>();
        app.out().lines().forEach(l -> out.put(l.substring(0, l.indexOf(' ')), l.substring(l.indexOf(' ') + 1)));
        assertEquals("io.github.ser4j.onnx", out.get("module"), "the recogniser is a named module's class");
        assertEquals("ser4j-default", out.get("model"));
        assertEquals("classpath []", "classpath " + out.get("classpath"));
        for (String m : List.of("io.github.ser4j.api", "io.github.ser4j.dsp", "io.github.ser4j.onnx",
                "io.github.ser4j.defaultmodel", "io.github.ser4j.audio.javasound")) {
            assertTrue(out.get("modules").contains(m), m + " resolved: " + out.get("modules"));
        }

        assertEquals("[io.github.ser4j.audio.javasound]", out.get("automatic"), "modules without a descriptor");
        assertEquals("false", out.get("dsp-internal-exported"));

        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/default-model/expected.json")) {
            expected = new ObjectMapper().readTree(in);
        }
        List<String> labels = new ArrayList<>();
        expected.get("labels").forEach(l -> labels.add(l.asText()));
        assertEquals(String.join(",", labels), out.get("labels"));
        String[] got = out.get("probabilities").split(" ");
        JsonNode want = expected.get("clips").get("hello.wav");
        assertEquals(want.size(), got.length);
        for (int k = 0; k < got.length; k++) {
            assertEquals(want.get(k).asDouble(), Double.parseDouble(got[k]), TOLERANCE, "p(" + labels.get(k) + ")");
        }
    }

    /** Places a POM (and jar) where a local repository keeps them, as {@code mvn install} would. */
    private static void install(Path repo, String artifact, String version, Path pom, Path jar) throws IOException {
        Path dir = Files.createDirectories(repo.resolve(GROUP.replace('.', '/')).resolve(artifact).resolve(version));
        Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String consumerPom(String version) {
        // the user's local repository as a read-only file repository: third-party artifacts without the network
        String cache = Path.of(System.getProperty("user.home"), ".m2", "repository").toUri().toString();
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>consumer</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <repositories>
                    <repository><id>build-cache</id><url>CACHE</url></repository>
                  </repositories>
                  <pluginRepositories>
                    <pluginRepository><id>build-cache</id><url>CACHE</url></pluginRepository>
                  </pluginRepositories>
                  <dependencyManagement>
                    <dependencies>
                      <dependency>
                        <groupId>io.github.ser4j</groupId>
                        <artifactId>ser4j-bom</artifactId>
                        <version>VERSION</version>
                        <type>pom</type>
                        <scope>import</scope>
                      </dependency>
                    </dependencies>
                  </dependencyManagement>
                  <dependencies>
                    <dependency>
                      <groupId>io.github.ser4j</groupId>
                      <artifactId>ser-onnx</artifactId>
                    </dependency>
                    <dependency>
                      <groupId>io.github.ser4j</groupId>
                      <artifactId>ser-model-default</artifactId>
                    </dependency>
                    <dependency>
                      <groupId>io.github.ser4j</groupId>
                      <artifactId>ser-audio-javasound</artifactId>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <artifactId>maven-resources-plugin</artifactId>
                        <version>3.5.0</version>
                      </plugin>
                      <plugin>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>3.16.0</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.replace("CACHE", cache).replace("VERSION", version);
    }

    private static Run run(Path dir, int seconds, String... cmd) throws IOException, InterruptedException {
        return Processes.run(WORK, dir, seconds, cmd);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        Processes.deleteRecursively(dir);
    }
}
