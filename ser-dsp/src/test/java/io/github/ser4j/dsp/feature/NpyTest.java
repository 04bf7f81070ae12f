package io.github.ser4j.dsp.feature;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        Npy r = Npy.read(p);
        assertArrayEquals(new int[] {2, 3}, r.shape());
        assertTrue(r.isFloat32());
        assertArrayEquals(values, r.floats());
        assertThrows(IllegalArgumentException.class, () -> Npy.writeFloat32(p, 2, 2, values));
    }

    @Test
    void readsNumpysOwnFiles() throws Exception {
        // A 1-D float32 signal written by numpy itself (the librosa golden generator), gzip-compressed.
        Npy r = Npy.read(new GZIPInputStream(Files.newInputStream(
                Path.of("src/test/resources/golden/inputs/chord_22k.npy.gz"))));
        assertEquals(1, r.shape().length);
        assertEquals(r.shape()[0], r.floats().length);
        assertTrue(r.shape()[0] > 0);
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream("NUMPY".getBytes())));
        String header = "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }";
        byte[] bigEndian = new byte[10 + header.length()];
        bigEndian[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(), 0, bigEndian, 1, 5);
        bigEndian[6] = 1;
        bigEndian[8] = (byte) header.length();
        System.arraycopy(header.getBytes(), 0, bigEndian, 10, header.length());
        IOException e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(bigEndian)));
        assertTrue(e.getMessage().contains("little-endian"), e.getMessage());
    }
}
