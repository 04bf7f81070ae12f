package io.github.ser4j.examples.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What SECURITY.md promises about {@code ser serve} without options: it listens on the loopback interface only,
 * accepts uploads of at most 20 MiB and 600 s of decoded audio, and (no {@code --max-concurrent}) limits concurrent
 * recognitions to the number of processors.
 */
class ServeDefaultsTest {
    @Test
    void defaultsAreLoopbackWithLimits() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs();
        assertEquals("127.0.0.1", serve.host);
        assertEquals(8080, serve.port);
        assertEquals(20.0, serve.maxUploadMb);
        assertEquals(600.0, serve.maxAudioSeconds);
        assertNull(serve.maxConcurrent, "defaults to the number of processors in call()");
        assertFalse(serve.recognizerOptions().denoise(), "no noise reduction unless asked");
    }

    @Test
    void denoiseIsServerWide() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--denoise");
        assertTrue(serve.recognizerOptions().denoise());
        AnalyzeCommand analyze = new AnalyzeCommand();
        new CommandLine(analyze).parseArgs("--denoise", "a.wav");
        assertTrue(analyze.recognizerOptions().denoise());
    }

    /** A busy port fails at once with exit code 4 and says what to do: another port, or --port 0. */
    @Test
    void aBusyPortSuggestsAnotherOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path card = java.nio.file.Files.writeString(dir.resolve("m.fake.json"),
                "{\"labels\": [\"calm\", \"loud\"]}");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            io.github.ser4j.examples.testing.Cli r = io.github.ser4j.examples.testing.Cli.run("serve", "--port",
                    Integer.toString(port), "--model", card.toString());
            assertEquals(ExitCodes.IO, r.code, r.toString());
            org.junit.jupiter.api.Assertions.assertTrue(r.err.contains("cannot listen on 127.0.0.1:" + port)
                    && r.err.contains("--port " + (port + 1)) && r.err.contains("--port 0"), r.err);
            org.junit.jupiter.api.Assertions.assertTrue(r.out.isEmpty(), r.out);
        }
    }
}
