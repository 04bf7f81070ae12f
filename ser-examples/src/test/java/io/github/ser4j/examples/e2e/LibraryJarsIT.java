package io.github.ser4j.examples.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every jar that a library module publishes (main, {@code -sources}, {@code -javadoc}) carries the project's
 * {@code LICENSE} and {@code NOTICE} as {@code META-INF/LICENSE} and {@code META-INF/NOTICE}, byte for byte, as Maven
 * Central and licence scanners expect. Checks the libraries this reactor builds before ser-examples (ser-spark, built
 * after it, takes the same root configuration); {@link SerJarIT} checks {@code ser.jar}.
 */
class LibraryJarsIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> LIBRARIES = List.of("ser-api", "ser-dsp", "ser-audio-javasound",
            "ser-audio-codecs", "ser-onnx", "ser-model-default");

    @Test
    void mainSourcesAndJavadocJarsCarryLicenseAndNotice() throws Exception {
        String version = System.getProperty("ser4j.version");
        assertNotNull(version, "failsafe passes ser4j.version");
        byte[] license = Files.readAllBytes(ROOT.resolve("LICENSE"));
        byte[] notice = Files.readAllBytes(ROOT.resolve("NOTICE"));
        for (String module : LIBRARIES) {
            for (String classifier : List.of("", "-sources", "-javadoc")) {
                Path jar = ROOT.resolve(module).resolve("target").resolve(module + "-" + version + classifier + ".jar");
                assertTrue(Files.isRegularFile(jar), jar + " (built by this reactor before ser-examples' integration "
                        + "tests; the library-artifacts profile makes the sources and javadoc jars)");
                try (JarFile j = new JarFile(jar.toFile())) {
                    assertArrayEquals(license, read(j, "META-INF/LICENSE", jar), jar + ": META-INF/LICENSE");
                    assertArrayEquals(notice, read(j, "META-INF/NOTICE", jar), jar + ": META-INF/NOTICE");
                }
            }
        }
    }

    private static byte[] read(JarFile jar, String name, Path path) throws Exception {
        ZipEntry e = jar.getEntry(name);
        assertNotNull(e, path + " has no " + name);
        try (var in = jar.getInputStream(e)) {
            return in.readAllBytes();
        }
    }
}
