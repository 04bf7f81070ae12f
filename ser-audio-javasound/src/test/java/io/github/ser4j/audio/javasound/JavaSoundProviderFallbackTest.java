package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.UnsupportedAudioException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Formats ser4j does not parse go to the javax.sound service providers ({@link FakeAudioFileReader} here). */
class JavaSoundProviderFallbackTest {

    private static byte[] fakeFile(int rate, int channels, short... samples) {
        Bytes b = Bytes.of().bytes(FakeAudioFileReader.MAGIC).le32(rate).le16(channels);
        for (short s : samples) {
            b.be16(s);
        }
        return b.build();
    }

    @Test
    void aProviderOnTheClassPathAddsItsFormat() throws Exception {
        byte[] file = fakeFile(22050, 2, (short) 16384, (short) -32768, (short) 1, (short) 32767);
        AudioSource src = JavaSoundAudio.open(file);
        assertEquals(new PcmFormat(22050, 2), src.format());
        assertEquals(-1, src.frameLength());
        assertArrayEquals(new float[] {0.5f, -1f, 1 / 32768f, 32767 / 32768f}, TestAudio.readAll(src, 1));
        assertArrayEquals(new float[] {0.5f, -1f, 1 / 32768f, 32767 / 32768f},
                TestAudio.readAll(JavaSoundAudio.open(new ByteArrayInputStream(file)), 3));
        AudioFileInfo info = JavaSoundAudio.probe(file);
        assertEquals(AudioContainer.OTHER, info.container());
        assertEquals(22050, info.sampleRate());
        assertEquals(-1, info.frameCount());
        assertTrue(Double.isNaN(info.durationSeconds()));
    }

    @Test
    void aStreamIsClosedWhenOpeningFails() {
        boolean[] closed = new boolean[1];
        ByteArrayInputStream in = new ByteArrayInputStream("plain text, not audio".getBytes()) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };
        assertThrows(UnsupportedAudioException.class, () -> JavaSoundAudio.open(in));
        assertTrue(closed[0], "the source owns the stream and must close it on failure too");
    }
}
