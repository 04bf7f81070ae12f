package io.github.ser4j.api;

import org.junit.jupiter.api.Test;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The byte adapters against independent decoders: the JDK's G.711 codecs and {@link ByteBuffer}. */
class PcmEncodingTest {

    /** Every G.711 code against javax.sound's own conversion to 16-bit PCM (then / 32768, the documented scale). */
    @Test
    void g711MatchesTheJdksCodecForAll256Codes() throws Exception {
        byte[] codes = new byte[256];
        for (int i = 0; i < 256; i++) {
            codes[i] = (byte) i;
        }
        for (PcmEncoding enc : new PcmEncoding[]{PcmEncoding.ULAW, PcmEncoding.ALAW}) {
            AudioFormat g711 = new AudioFormat(enc == PcmEncoding.ULAW ? AudioFormat.Encoding.ULAW
                    : AudioFormat.Encoding.ALAW, 8000, 8, 1, 1, 8000, false);
            AudioFormat s16 = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, 8000, 16, 1, 2, 8000, false);
            byte[] pcm;
            try (AudioInputStream in = AudioSystem.getAudioInputStream(s16,
                    new AudioInputStream(new ByteArrayInputStream(codes), g711, 256))) {
                pcm = in.readAllBytes();
            }
            ByteBuffer jdk = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
            float[] ours = new float[256];
            enc.decode(codes, 0, ours, 0, 256);
            for (int i = 0; i < 256; i++) {
                assertEquals(jdk.getShort(2 * i) / 32768f, ours[i], 0f, enc + " code " + i);
            }
        }
    }

    @Test
    void s16AndF32MatchByteBuffer() {
        Random r = new Random(1);
        byte[] b = new byte[4003];
        r.nextBytes(b);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        float[] s16 = new float[1000];
        PcmEncoding.S16LE.decode(b, 3, s16, 0, 1000);
        float[] f32 = new float[1002];
        PcmEncoding.F32LE.decode(b, 3, f32, 2, 1000);
        for (int i = 0; i < 1000; i++) {
            assertEquals(le.getShort(3 + 2 * i) / 32768f, s16[i], 0f);
            assertEquals(Float.floatToIntBits(le.getFloat(3 + 4 * i)), Float.floatToIntBits(f32[2 + i]), "sample " + i);
        }
        assertEquals(-1f, decode(PcmEncoding.S16LE, 0x00, 0x80), 0f);
        assertEquals(32767 / 32768f, decode(PcmEncoding.S16LE, 0xFF, 0x7F), 0f);
    }

    private static float decode(PcmEncoding e, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        float[] out = new float[1];
        e.decode(b, 0, out, 0, 1);
        return out[0];
    }

    @Test
    void rangesOutsideTheArraysAreRefused() {
        float[] out = new float[4];
        assertThrows(IndexOutOfBoundsException.class, () -> PcmEncoding.S16LE.decode(new byte[7], 0, out, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> PcmEncoding.ULAW.decode(new byte[8], 0, out, 1, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> PcmEncoding.F32LE.decode(new byte[8], -1, out, 0, 1));
        assertEquals(2, PcmEncoding.S16LE.bytesPerSample());
        assertEquals(4, PcmEncoding.F32LE.bytesPerSample());
    }
}
