package io.github.ser4j.examples.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
    }
}
