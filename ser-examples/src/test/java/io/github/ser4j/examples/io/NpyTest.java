package io.github.ser4j.examples.io;

import io.github.ser4j.examples.testing.NpyReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void bytesMatchWhatNumpySaveWrites() throws Exception {
        // numpy.save(f, np.array([[1, -2.5, 3e-8], [0, 65504, -0.0]], dtype=np.float32)) with numpy 1.x/2.x:
        // 128-byte header (v1.0), then 6 little-endian floats.
        Path p = dir.resolve("a.npy");
        float[] values = {1f, -2.5f, 3e-8f, 0f, 65504f, -0f};
        Npy.writeFloat32(p, 2, 3, values);
        byte[] bytes = Files.readAllBytes(p);
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        assertEquals(128 + 24, bytes.length);
        assertEquals(0x93, bytes[0] & 0xff);
        assertEquals("NUMPY", new String(bytes, 1, 5, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(118, (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8);
        assertEquals(header, new String(bytes, 10, header.length(), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals('\n', bytes[127]);
        // 1.0f little-endian is 00 00 80 3f.
        assertEquals(0x3f, bytes[131] & 0xff);
        assertEquals(0x80, bytes[130] & 0xff);
        NpyReader r = NpyReader.read(p);
        assertEquals(2, r.rows);
        assertEquals(3, r.cols);
        assertArrayEquals(values, r.data);
        assertThrows(IllegalArgumentException.class, () -> Npy.writeFloat32(p, 2, 2, values));
    }

    @Test
    void readsNumpysOwnFiles() throws Exception {
        // A file written by numpy itself (features_golden.py): shape and header parse.
        NpyReader r = NpyReader.read(Path.of("src/test/resources/golden/features/mfcc_default.npy"));
        assertEquals(20, r.rows);
        assertEquals(r.rows * r.cols, r.data.length);
    }
}
