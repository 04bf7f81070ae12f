package io.github.ser4j.examples.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every {@code java -jar ser-examples/target/ser.jar …} command of the root README and of this module's README
 * from the repository root, as a reader would paste it, so the documentation cannot rot. Commands that need a
 * capture device or never end ({@code live}, {@code serve}) are covered by their own tests; commands that read
 * {@code ../shared} are skipped when it is absent.
 */
class ReadmeCommandsIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String PREFIX = "java -jar ser-examples/target/ser.jar";

    @TestFactory
    List<DynamicTest> everyDocumentedCommandSucceeds() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path readme : List.of(ROOT.resolve("README.md"), ROOT.resolve("ser-examples/README.md"))) {
            List<String> commands = commands(readme);
            assertFalse(commands.isEmpty(), "no ser commands found in " + readme);
            for (String command : commands) {
                tests.add(DynamicTest.dynamicTest(ROOT.relativize(readme) + ": " + command, () -> run(command)));
            }
        }
        return tests;
    }

    /** The {@code ser} commands of the shell blocks of a Markdown file, continuation lines joined. */
    static List<String> commands(Path markdown) throws IOException {
        List<String> out = new ArrayList<>();
        boolean inShell = false;
        StringBuilder pending = null;
        for (String raw : Files.readAllLines(markdown, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.startsWith("```")) {
                inShell = !inShell && (line.equals("```sh") || line.equals("```bash"));
                continue;
            }
            if (!inShell) {
                continue;
            }
            String code = stripComment(line);
            if (pending != null) {
                pending.append(' ').append(code.replaceAll("\\\\$", "").strip());
                if (!code.endsWith("\\")) {
                    out.add(pending.toString());
                    pending = null;
                }
                continue;
            }
            int at = code.indexOf(PREFIX);
            if (at < 0) {
                continue;
            }
            String cmd = code.substring(at);
            if (cmd.endsWith("\\")) {
                pending = new StringBuilder(cmd.substring(0, cmd.length() - 1).strip());
            } else {
                out.add(cmd);
            }
        }
        return out;
    }

    private static String stripComment(String line) {
        int hash = line.indexOf(" #");
        return (hash >= 0 ? line.substring(0, hash) : line).strip();
    }

    private static void run(String command) throws IOException, InterruptedException {
        List<String> words = new ArrayList<>(Arrays.asList(command.split("\\s+")));
        String sub = words.size() > 3 ? words.get(3) : "";
        Assumptions.assumeFalse(sub.equals("live") || sub.equals("serve") || words.contains("&"),
                "skipped: '" + sub + "' needs a capture device or runs until stopped; see its own test");
        Assumptions.assumeTrue(!command.contains("../shared") || Files.isDirectory(ROOT.resolve("../shared/datasets")),
                "skipped: ../shared/datasets is absent");
        words.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path tmp = Files.createTempDirectory("readme-cmd");
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        // Run in the real root, as a reader would; the outputs a command names are checked, then removed.
        Process p = new ProcessBuilder(words).directory(ROOT.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String stderr = Files.readString(err);
        String stdout = Files.readString(out);
        Files.delete(out);
        Files.delete(err);
        Files.delete(tmp);
        assertTrue(done, "finished within 300 s: " + command);
        assertEquals(0, p.exitValue(), command + "\nstderr:\n" + stderr);
        assertTrue(!stdout.isBlank() || !stderr.isBlank(), "printed something: " + command);
        for (int i = 0; i < words.size() - 1; i++) {
            if (words.get(i).equals("--out") || words.get(i).equals("--json") || words.get(i).equals("--report")
                    || words.get(i).equals("--output")) {
                Path written = ROOT.resolve(words.get(i + 1));
                assertTrue(Files.size(written) > 0, "wrote " + written);
                Files.deleteIfExists(written);
            }
        }
    }
}
