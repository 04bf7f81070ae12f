package io.github.ser4j.bench.signal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes mono float samples as a 16-bit PCM RIFF/WAVE file in memory, the input of the end-to-end benchmark.
 * Not ser-api's test {@code Wav}: benchmark main code (the shaded JMH jar) cannot depend on a test jar.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class WavBytes {
    private WavBytes() {
    }

    /**
     * @param y          mono samples in [-1, 1] (clipped outside)
     * @param sampleRate their rate in Hz
     * @return the bytes of a canonical 44-byte-header PCM WAV file
     */
    public static byte[] pcm16(float[] y, int sampleRate) {
        int dataBytes = 2 * y.length;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
        b.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
        b.putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(2 * sampleRate);
        b.putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (float v : y) {
            float c = Math.max(-1f, Math.min(1f, v));
            b.putShort((short) Math.round(c * 32767f));
        }
        return b.array();
    }
}
