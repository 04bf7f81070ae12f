package io.github.ser4j.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes 16-bit PCM WAV files made of sine stretches, so the tests know the RMS of every second. */
final class TestAudio {
    private TestAudio() {
    }

    /**
     * @param file       where to write
     * @param rate       sample rate
     * @param channels   channel count (each channel gets the same signal)
     * @param amplitudes one sine amplitude per stretch of {@code seconds[i]} seconds (0 = silence)
     * @param seconds    stretch lengths
     */
    static void wav(Path file, int rate, int channels, double[] amplitudes, double[] seconds) throws IOException {
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        long n = 0;
        for (int s = 0; s < amplitudes.length; s++) {
            long frames = Math.round(seconds[s] * rate);
            for (long i = 0; i < frames; i++, n++) {
                short v = (short) Math.round(amplitudes[s] * 32767 * Math.sin(2 * Math.PI * 440 * n / rate));
                for (int c = 0; c < channels; c++) {
                    pcm.write(v & 0xff);
                    pcm.write((v >> 8) & 0xff);
                }
            }
        }
        byte[] data = pcm.toByteArray();
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt(36 + data.length).put("WAVE".getBytes());
        h.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
        h.put("data".getBytes()).putInt(data.length);
        Files.createDirectories(file.getParent());
        Files.write(file, concat(h.array(), data));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
