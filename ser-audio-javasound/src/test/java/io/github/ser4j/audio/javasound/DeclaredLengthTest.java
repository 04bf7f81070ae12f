package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link AudioSource#declaredFrameLength()}: what the header declares, so that a caller can tell a truncated file
 * (read as far as it goes) from a complete one; -1 where the header declares nothing.
 */
class DeclaredLengthTest {

    private static long[] declaredAndRead(AudioSource s) throws IOException {
        try (s) {
            float[] buf = new float[1024 * s.format().channels()];
            long frames = 0;
            int n;
            while ((n = s.read(buf, 0, 1024)) > 0) {
                frames += n;
            }
            return new long[]{s.declaredFrameLength(), frames};
        }
    }

    @Test
    void completeAndTruncatedWavFromAFileAByteArrayAndAStream() throws IOException {
        byte[] full = Bytes.goodWav(4000);
        byte[] cut = Arrays.copyOf(full, full.length - 2 * 2500); // 1 500 of the 4 000 frames left
        java.nio.file.Path file = java.nio.file.Files.createTempFile("ser4j-declared", ".wav");
        try {
            java.nio.file.Files.write(file, cut);
            assertEquals(4000, declaredAndRead(JavaSoundAudio.open(full))[0]);
            assertEquals(4000, declaredAndRead(JavaSoundAudio.open(full))[1]);
            for (AudioSource s : new AudioSource[]{JavaSoundAudio.open(cut), JavaSoundAudio.open(file),
                    JavaSoundAudio.open(new ByteArrayInputStream(cut))}) {
                long[] r = declaredAndRead(s);
                assertEquals(4000, r[0], "declared");
                assertEquals(1500, r[1], "read as far as it goes");
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void truncatedAiffDeclaresItsCommFrames() throws IOException {
        byte[] samples = new byte[2 * 3000];
        byte[] aiff = Bytes.aiff(1, 8000, 16, 16000, samples); // COMM says 8 000 frames, 3 000 are there
        long[] r = declaredAndRead(JavaSoundAudio.open(aiff));
        assertEquals(3000, r[1]);
        assertEquals(8000, r[0]);
    }

    @Test
    void placeholderSizesAndMemorySourcesDeclareNothing() throws IOException {
        byte[] data = Bytes.ramp16(1000);
        byte[] placeholder = Bytes.riff(Bytes.fmt(1, 1, 16000, 2, 16).build(), Bytes.chunk("data", 0xFFFFFFFFL, data));
        assertEquals(-1, declaredAndRead(JavaSoundAudio.open(placeholder))[0]);
        assertEquals(-1, AudioSource.of(new float[10], 16000).declaredFrameLength());
    }
}
