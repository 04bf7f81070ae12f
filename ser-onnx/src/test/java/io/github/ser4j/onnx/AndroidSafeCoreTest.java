package io.github.ser4j.onnx;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.dsp.feature.MelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ser-api, ser-dsp and ser-onnx must run on Android, which has no javax.sound, java.awt, javax.swing or com.sun
 * classes: the JDK's own dependency analyser (jdeps) lists every class their bytecode refers to, and none may be in
 * those packages. A class compiled here that uses javax.sound shows that the scan finds such a reference.
 */
class AndroidSafeCoreTest {
    private static final Pattern FORBIDDEN = Pattern.compile("^(javax\\.sound|java\\.awt|javax\\.swing|com\\.sun)\\.");
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s");

    @Test
    void coreModulesReferToNoDesktopOrJdkInternalClass(@TempDir Path dir) throws Exception {
        for (Class<?> module : new Class<?>[] {EmotionRecognizer.class, MelBuilder.class,
                OnnxEmotionRecognizer.class}) {
            Path classes = classesWithoutDescriptor(location(module), dir.resolve(module.getSimpleName()));
            List<String> edges = dependencies(classes);
            assertTrue(edges.size() > 100, classes + ": jdeps listed only " + edges.size() + " references");
            List<String> bad = edges.stream().filter(e -> FORBIDDEN.matcher(e.split(" -> ")[1]).find()).toList();
            assertEquals(List.of(), bad, classes + " refers to classes Android lacks");
        }
    }

    @Test
    void theScanFindsAJavaxSoundReference(@TempDir Path dir) throws Exception {
        Path src = Files.writeString(dir.resolve("UsesSound.java"), "public class UsesSound { Object f() { return "
                + "new javax.sound.sampled.AudioFormat(8000f, 16, 1, true, false); } }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createDirectories(dir.resolve("classes"));
        assertEquals(0, javac.run(null, null, null, "-d", out.toString(), src.toString()));
        List<String> bad = dependencies(out).stream()
                .filter(e -> FORBIDDEN.matcher(e.split(" -> ")[1]).find()).toList();
        assertEquals(List.of("UsesSound -> javax.sound.sampled.AudioFormat"), bad);
    }

    /** @return "from -> to" for every class reference jdeps finds in a folder or jar of classes */
    private static List<String> dependencies(Path classes) {
        var tool = java.util.spi.ToolProvider.findFirst("jdeps").orElseThrow(
                () -> new AssertionError("this JDK has no jdeps"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = tool.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "-verbose:class", "--multi-release", "17",
                classes.toString());
        assertEquals(0, rc, "jdeps failed: " + err.toString(StandardCharsets.UTF_8));
        List<String> edges = new ArrayList<>(new TreeSet<>(out.toString(StandardCharsets.UTF_8).lines()
                .map(EDGE::matcher).filter(Matcher::find).map(m -> m.group(1) + " -> " + m.group(2)).toList()));
        return edges;
    }

    /**
     * The .class files of a folder or jar, without module-info.class: jdeps would otherwise analyse a module and
     * need every module it requires. The descriptor names modules, not classes.
     */
    private static Path classesWithoutDescriptor(Path location, Path into) throws IOException {
        Files.createDirectories(into);
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    copy(location.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f), into);
                }
            }
        } else {
            try (ZipFile jar = new ZipFile(location.toFile())) {
                for (ZipEntry e : java.util.Collections.list(jar.entries())) {
                    if (e.getName().endsWith(".class")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            copy(e.getName(), in.readAllBytes(), into);
                        }
                    }
                }
            }
        }
        return into;
    }

    private static void copy(String name, byte[] bytes, Path into) throws IOException {
        if (name.equals("module-info.class") || name.startsWith("META-INF/")) {
            return;
        }
        Path target = into.resolve(name);
        Files.createDirectories(target.getParent());
        Files.write(target, bytes);
    }

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
