package io.github.ser4j.audio.codecs;

import io.github.ser4j.api.AudioSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helpers: decoding to arrays, external tools, and measurements written independently of the decoders. */
final class Signals {
    private Signals() {
    }

    /** A decoded file: interleaved samples. */
    record Decoded(float[] samples, int rate, int channels) {
        int frames() {
            return samples.length / channels;
        }

        float[] channel(int c) {
            float[] y = new float[frames()];
            for (int i = 0; i < y.length; i++) {
                y[i] = samples[i * channels + c];
            }
            return y;
        }
    }

    static Decoded decode(AudioSource s) throws IOException {
        try (s) {
            int ch = s.format().channels();
            float[] buf = new float[4096 * ch];
            float[] all = new float[1 << 16];
            int n = 0;
            int got;
            while ((got = s.read(buf, 0, 4096)) > 0) {
                if (n + got * ch > all.length) {
                    all = java.util.Arrays.copyOf(all, Math.max(2 * all.length, n + got * ch));
                }
                System.arraycopy(buf, 0, all, n, got * ch);
                n += got * ch;
            }
            return new Decoded(java.util.Arrays.copyOf(all, n), s.format().sampleRate(), ch);
        }
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a tool (no shell) and returns its standard output; fails the test on a non-zero exit. */
    static byte[] run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(command + " failed");
        }
        return out.toByteArray();
    }

    /** ffmpeg's decoding of a file, as interleaved floats at the given rate and channel count. */
    static float[] ffmpegDecode(Path file, int rate, int channels) throws IOException, InterruptedException {
        byte[] raw = run(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "f32le",
                "-ac", Integer.toString(channels), "-ar", Integer.toString(rate), "-"));
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] y = new float[raw.length / 4];
        for (int i = 0; i < y.length; i++) {
            y[i] = b.getFloat();
        }
        return y;
    }

    /**
     * The reference decoder's output of a file as interleaved floats: libvorbis ({@code oggdec}) for Vorbis, libopus
     * ({@code opusdec}) for Opus, ffmpeg otherwise; null when that tool is not installed.
     */
    static float[] referenceDecode(Path file, int rate, int channels) throws IOException, InterruptedException {
        String name = file.getFileName().toString();
        if (name.endsWith(".ogg") || name.endsWith(".opus")) {
            String tool = name.endsWith(".ogg") ? "oggdec" : "opusdec";
            if (!onPath(tool)) {
                return null;
            }
            Path wav = Files.createTempFile("ser4j-ref", ".wav");
            try {
                run(name.endsWith(".ogg") ? List.of("oggdec", "-Q", "-o", wav.toString(), file.toString())
                        : List.of("opusdec", "--quiet", "--rate", "48000", "--float", file.toString(), wav.toString()));
                return wavSamples(Files.readAllBytes(wav));
            } finally {
                Files.deleteIfExists(wav);
            }
        }
        return onPath("ffmpeg") ? ffmpegDecode(file, rate, channels) : null;
    }

    /** @return the samples of a 16-bit PCM or 32-bit float WAV, walking its chunks */
    static float[] wavSamples(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int format = 0;
        int bits = 0;
        int at = 12;
        while (at + 8 <= wav.length) {
            String id = new String(wav, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int size = b.getInt(at + 4);
            if (id.equals("fmt ")) {
                format = b.getShort(at + 8) & 0xFFFF;
                bits = b.getShort(at + 22);
                if (format == 0xFFFE) {
                    format = b.getShort(at + 8 + 24) & 0xFFFF; // EXTENSIBLE: the sub-format's first two bytes
                }
            } else if (id.equals("data")) {
                int n = Math.min(size < 0 ? Integer.MAX_VALUE : size, wav.length - at - 8) / (bits / 8);
                float[] y = new float[n];
                for (int i = 0; i < n; i++) {
                    y[i] = format == 3 ? b.getFloat(at + 8 + 4 * i) : b.getShort(at + 8 + 2 * i) / 32768f;
                }
                return y;
            }
            at += 8 + size + (size & 1);
        }
        throw new AssertionError("no data chunk");
    }

    static float[] channel(float[] interleaved, int channels, int c) {
        float[] y = new float[interleaved.length / channels];
        for (int i = 0; i < y.length; i++) {
            y[i] = interleaved[i * channels + c];
        }
        return y;
    }

    static double rms(float[] y, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) y[i] * y[i];
        }
        return Math.sqrt(s / (to - from));
    }

    /** The frequency in [lo, hi] Hz, in steps of 0.5 Hz, with the most energy (a direct DFT). */
    static double peakFrequency(float[] y, int from, int to, int rate, double lo, double hi) {
        double best = 0;
        double bestF = lo;
        for (double f = lo; f <= hi; f += 0.5) {
            double re = 0;
            double im = 0;
            double w = 2 * Math.PI * f / rate;
            for (int i = from; i < to; i++) {
                re += y[i] * Math.cos(w * i);
                im += y[i] * Math.sin(w * i);
            }
            double p = re * re + im * im;
            if (p > best) {
                best = p;
                bestF = f;
            }
        }
        return bestF;
    }

    /**
     * The signal-to-difference ratio (dB) of {@code test} against {@code reference} at the lag (within +-maxLag) that
     * correlates best, over the reference's samples [from, to).
     */
    static double alignedSnr(float[] reference, float[] test, int from, int to, int maxLag) {
        int bestLag = 0;
        double bestCorr = Double.NEGATIVE_INFINITY;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double c = 0;
            for (int i = from; i < to; i++) {
                int j = i + lag;
                if (j >= 0 && j < test.length) {
                    c += (double) reference[i] * test[j];
                }
            }
            if (c > bestCorr) {
                bestCorr = c;
                bestLag = lag;
            }
        }
        double signal = 0;
        double noise = 0;
        for (int i = from; i < to; i++) {
            int j = i + bestLag;
            double t = j >= 0 && j < test.length ? test[j] : 0;
            signal += (double) reference[i] * reference[i];
            noise += (reference[i] - t) * (reference[i] - t);
        }
        return 10 * Math.log10(signal / Math.max(noise, 1e-30));
    }

    /** A harmonic vowel at f0 140 Hz with a 4 Hz syllable envelope: speech-like, for machines without espeak-ng. */
    static float[] vowel(int rate, double seconds) {
        float[] y = new float[(int) (rate * seconds)];
        for (int i = 0; i < y.length; i++) {
            double t = (double) i / rate;
            double v = 0;
            for (int h = 1; h <= 20; h++) {
                double f = 140 * h;
                v += (Math.exp(-Math.pow((f - 700) / 300, 2)) + 0.5 * Math.exp(-Math.pow((f - 1800) / 400, 2)) + 0.03)
                        * Math.sin(2 * Math.PI * f * t + h);
            }
            y[i] = (float) (0.2 * (0.35 + 0.65 * Math.pow(Math.sin(Math.PI * 4 * t), 2)) * v);
        }
        return y;
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
