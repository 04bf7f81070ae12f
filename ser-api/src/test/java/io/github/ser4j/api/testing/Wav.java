package io.github.ser4j.api.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes 16-bit PCM WAV files byte by byte (independent of the code under test) and makes test signals; the one WAV
 * writer of the modules' tests, shared through ser-api's test jar.
 */
public final class Wav {
    private Wav() {
    }

    /**
     * @param path       destination
     * @param samples    interleaved samples in [-1, 1]
     * @param sampleRate rate in Hz
     * @param channels   channel count
     * @return path
     */
    public static Path write(Path path, float[] samples, int sampleRate, int channels) throws IOException {
        Files.write(path, bytes(samples, sampleRate, channels));
        return path;
    }

    /** @return the bytes of a 16-bit PCM WAV file */
    public static byte[] bytes(float[] samples, int sampleRate, int channels) {
        int dataBytes = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
        b.put("data".getBytes()).putInt(dataBytes);
        for (float s : samples) {
            b.putShort((short) Math.round(Math.max(-1, Math.min(1, s)) * 32767));
        }
        return b.array();
    }

    /**
     * @return {@code amplitude * sin(2 pi f t)} for {@code seconds} at {@code sampleRate}
     */
    public static float[] sine(double amplitude, double frequency, double seconds, int sampleRate) {
        float[] x = new float[(int) Math.round(seconds * sampleRate)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * frequency * i / sampleRate));
        }
        return x;
    }

    /**
     * Reads the duration from a PCM WAV file's own header (fmt and data chunks), independently of the decoders.
     *
     * @param path a PCM WAV file
     * @return its duration in seconds
     */
    public static double durationSeconds(Path path) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(12);
        int blockAlign = 0;
        int rate = 0;
        while (b.remaining() >= 8) {
            String id = new String(new byte[] {b.get(), b.get(), b.get(), b.get()}, java.nio.charset.StandardCharsets.US_ASCII);
            int size = b.getInt();
            if (id.equals("fmt ")) {
                int start = b.position();
                b.getShort();
                b.getShort();
                rate = b.getInt();
                b.getInt();
                blockAlign = b.getShort();
                b.position(start + size);
            } else if (id.equals("data")) {
                return size / (double) blockAlign / rate;
            } else {
                b.position(b.position() + size + (size & 1));
            }
        }
        throw new IOException(path + ": no data chunk");
    }
}
