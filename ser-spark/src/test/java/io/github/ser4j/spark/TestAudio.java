package io.github.ser4j.spark;

import io.github.ser4j.api.testing.Wav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes 16-bit PCM WAV files made of 440 Hz sine stretches, so the tests know the RMS of every second; the bytes come
 * from ser-api's test {@link Wav} writer.
 */
final class TestAudio {
    private TestAudio() {
    }

    /**
     * @param file       where to write (its folders are created)
     * @param rate       sample rate
     * @param channels   channel count (each channel gets the same signal)
     * @param amplitudes one sine amplitude per stretch of {@code seconds[i]} seconds (0 = silence)
     * @param seconds    stretch lengths
     */
    static void wav(Path file, int rate, int channels, double[] amplitudes, double[] seconds) throws IOException {
        long frames = 0;
        for (double s : seconds) {
            frames += Math.round(s * rate);
        }
        float[] interleaved = new float[Math.toIntExact(frames * channels)];
        int n = 0;
        for (int s = 0; s < amplitudes.length; s++) {
            long stretch = Math.round(seconds[s] * rate);
            for (long i = 0; i < stretch; i++, n++) {
                float v = (float) (amplitudes[s] * Math.sin(2 * Math.PI * 440 * n / rate));
                for (int c = 0; c < channels; c++) {
                    interleaved[n * channels + c] = v;
                }
            }
        }
        Files.createDirectories(file.getParent());
        Wav.write(file, interleaved, rate, channels);
    }
}
