package io.github.ser4j.examples.io;

import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.dsp.signal.Resampler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Loads a whole audio file the way {@code librosa.load} does. Stateless and thread-safe. */
public final class AudioFiles {
    /** Longest signal loaded into memory (samples per channel): one hour at 48 kHz. */
    public static final long MAX_FRAMES = 3600L * 48_000;

    private AudioFiles() {
    }

    /**
     * A mono signal.
     *
     * @param samples    the samples, nominally in [-1, 1]
     * @param sampleRate their rate in Hz
     */
    public record Mono(float[] samples, int sampleRate) {
    }

    /**
     * {@code librosa.load(path, sr=targetRate, mono=True)}: the channels averaged, then resampled (librosa's default
     * {@code res_type='soxr_hq'}; here ser-dsp's band-limited resampler).
     *
     * @param path       the file
     * @param targetRate rate to resample to, or 0 for the file's own rate ({@code sr=None})
     * @return the mono signal
     * @throws AudioException if the file cannot be read or is longer than {@link #MAX_FRAMES}
     */
    public static Mono load(Path path, int targetRate) {
        try (AudioSource source = AudioSource.open(path)) {
            int rate = source.format().sampleRate();
            float[] mono = readMono(source, path);
            if (targetRate == 0 || targetRate == rate) {
                return new Mono(mono, rate);
            }
            return new Mono(Resampler.resample(mono, rate, targetRate), targetRate);
        } catch (IOException e) {
            throw new AudioException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param source an open source, read to its end (not closed)
     * @param name   the source's name for error messages
     * @return the mean of its channels, frame by frame
     * @throws IOException    if reading fails
     * @throws AudioException if it is longer than {@link #MAX_FRAMES}
     */
    public static float[] readMono(AudioSource source, Object name) throws IOException {
        int ch = source.format().channels();
        int block = 8192;
        float[] buf = new float[block * ch];
        long known = source.frameLength();
        float[] out = new float[(int) Math.min(Math.max(known, block), MAX_FRAMES) + 1];
        int n = 0;
        int got;
        while ((got = source.read(buf, 0, block)) > 0) {
            if ((long) n + got > MAX_FRAMES) {
                throw new AudioException(name + " is longer than " + MAX_FRAMES + " frames ("
                        + MAX_FRAMES / 48_000 / 60 + " min at 48 kHz); split it first");
            }
            if (n + got > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(Math.max(2L * out.length, n + got), MAX_FRAMES));
            }
            if (ch == 1) {
                System.arraycopy(buf, 0, out, n, got);
            } else {
                for (int f = 0; f < got; f++) {
                    float s = 0;
                    for (int c = 0; c < ch; c++) {
                        s += buf[f * ch + c];
                    }
                    out[n + f] = s / ch;
                }
            }
            n += got;
        }
        return Arrays.copyOf(out, n);
    }
}
