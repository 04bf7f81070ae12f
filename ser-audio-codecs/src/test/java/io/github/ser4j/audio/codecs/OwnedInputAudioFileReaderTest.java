package io.github.ser4j.audio.codecs;

import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The header sniff shared by the readers: {@link OwnedInputAudioFileReader#peek}. */
class OwnedInputAudioFileReaderTest {

    private static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void peekReturnsTheFirstBytesAndLeavesTheStreamWhereItWas() throws IOException {
        byte[] data = counting(100);
        InputStream in = new BufferedInputStream(new ByteArrayInputStream(data), 8);
        assertEquals(0, in.read());
        assertArrayEquals(Arrays.copyOfRange(data, 1, 17), OwnedInputAudioFileReader.peek(in, 16));
        assertArrayEquals(Arrays.copyOfRange(data, 1, 100), in.readAllBytes());
    }

    @Test
    void peekOfAShortStreamReturnsWhatThereIs() throws IOException {
        byte[] data = counting(5);
        InputStream in = new BufferedInputStream(new ByteArrayInputStream(data));
        assertArrayEquals(data, OwnedInputAudioFileReader.peek(in, 16));
        assertArrayEquals(data, in.readAllBytes());
        assertEquals(0, OwnedInputAudioFileReader.peek(in, 16).length);
    }

    @Test
    void peekRefusesAStreamWithoutMarkReset() {
        InputStream in = new FilterInputStream(new ByteArrayInputStream(counting(5))) {
            @Override
            public boolean markSupported() {
                return false;
            }
        };
        IOException e = assertThrows(IOException.class, () -> OwnedInputAudioFileReader.peek(in, 16));
        assertEquals("the stream must support mark/reset", e.getMessage());
    }
}
