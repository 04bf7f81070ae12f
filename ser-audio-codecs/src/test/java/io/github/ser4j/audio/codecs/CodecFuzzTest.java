package io.github.ser4j.audio.codecs;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.SerException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Coverage-guided fuzzing of the MP3, Ogg Vorbis and Ogg Opus decoders through {@link AudioSource#open} (a stream
 * and a file), each read to its end. The first input byte picks a mode: odd, every Ogg page's CRC is recomputed
 * before decoding, so that the fuzzer reaches the codecs behind the demuxer's CRC check; even, the bytes go in as they
 * are. ffmpeg is switched off (one process per input would be slow, and it is not our code).
 *
 * <p>Allowed outcomes: a {@link SerException} with a message, or audio; stream and file agree; decoding allocates at
 * most 48 MB + 64 bytes per input byte + 16 bytes per decoded sample. Anything else, a hang (10 s) or an
 * {@link OutOfMemoryError} is a finding. Committed inputs: {@code CodecFuzzTestInputs/decode/} (seeds: the
 * fixtures with a mode byte); see docs/FUZZING.md.
 */
class CodecFuzzTest {
    static final int MAX_SAMPLES = 1 << 21;
    static final long ALLOCATION_SLACK = 48L << 20;
    private static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("ser4j-fuzz-codecs");
        System.setProperty("ser4j.ffmpeg", dir.resolve("no-ffmpeg-while-fuzzing").toString());
    }

    @AfterAll
    static void tearDown() throws IOException {
        System.clearProperty("ser4j.ffmpeg");
        Files.deleteIfExists(dir.resolve("input.bin"));
        Files.deleteIfExists(dir);
    }

    @FuzzTest
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void decode(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        byte[] data = Arrays.copyOfRange(input, 1, input.length);
        if ((input[0] & 1) != 0) {
            fixOggCrcs(data);
        }
        Path file = dir.resolve("input.bin");
        Files.write(file, data);
        float[] fromStream = decode(() -> AudioSource.open(new ByteArrayInputStream(data)), data.length);
        float[] fromFile = decode(() -> AudioSource.open(file), data.length);
        if (fromStream != null && fromFile != null) {
            assertArrayEquals(fromStream, fromFile, "a stream and a file holding the same bytes decode differently");
        }
    }

    interface Open {
        AudioSource run() throws IOException;
    }

    /** @return the samples, or null after a typed failure */
    static float[] decode(Open open, int inputBytes) throws IOException {
        long[] allocated = new long[1];
        float[] y = decodeOnce(open, allocated);
        long budget = ALLOCATION_SLACK + 64L * inputBytes + 16L * (y == null ? 0 : y.length);
        if (allocated[0] >= budget) {
            // the first decoding of a kind also loads (and, while fuzzing, instruments) classes: measure again
            y = decodeOnce(open, allocated);
            assertTrue(allocated[0] < budget, allocated[0] + " bytes allocated to decode " + inputBytes
                    + " bytes into " + (y == null ? 0 : y.length) + " samples: something is sized by a declaration");
        }
        return y;
    }

    static float[] decodeOnce(Open open, long[] allocatedOut) throws IOException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        float[] out = new float[4096];
        int n = 0;
        try (AudioSource src = open.run()) {
            int ch = src.format().channels();
            float[] buf = new float[512 * ch];
            int got;
            while ((got = src.read(buf, 0, 512)) >= 0) {
                if (got == 0 || got > 512) {
                    fail("read returned " + got + " frames for a request of 512");
                }
                if (n + got * ch > MAX_SAMPLES) {
                    break;
                }
                if (n + got * ch > out.length) {
                    out = Arrays.copyOf(out, Math.max(2 * out.length, n + got * ch));
                }
                System.arraycopy(buf, 0, out, n, got * ch);
                n += got * ch;
            }
        } catch (SerException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError(e.getClass().getSimpleName() + " without a message", e);
            }
            allocatedOut[0] = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            return null;
        }
        allocatedOut[0] = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        return Arrays.copyOf(out, n);
    }

    /** Recomputes the CRC of every complete Ogg page found by walking page headers from the start. */
    static void fixOggCrcs(byte[] b) {
        int at = 0;
        while (at + 27 <= b.length && b[at] == 'O' && b[at + 1] == 'g' && b[at + 2] == 'g' && b[at + 3] == 'S') {
            int segments = b[at + 26] & 0xFF;
            if (at + 27 + segments > b.length) {
                return;
            }
            int body = 0;
            for (int i = 0; i < segments; i++) {
                body += b[at + 27 + i] & 0xFF;
            }
            int end = at + 27 + segments + body;
            if (end > b.length) {
                return;
            }
            b[at + 22] = b[at + 23] = b[at + 24] = b[at + 25] = 0;
            int crc = 0;
            for (int i = at; i < end; i++) {
                crc = (crc << 8) ^ CRC[((crc >>> 24) ^ b[i]) & 0xFF];
            }
            b[at + 22] = (byte) crc;
            b[at + 23] = (byte) (crc >>> 8);
            b[at + 24] = (byte) (crc >>> 16);
            b[at + 25] = (byte) (crc >>> 24);
            at = end;
        }
    }

    private static final int[] CRC = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int k = 0; k < 8; k++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }
            CRC[i] = r;
        }
    }
}
