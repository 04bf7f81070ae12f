package io.github.ser4j.bench.soak;

import io.github.ser4j.bench.signal.SpeechLikeSignal;
import io.github.ser4j.bench.signal.WavBytes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What 44.1 kHz originals cost against 16 kHz copies of the same clips through the whole {@code ser analyze}
 * process (JVM start, model load, decoding, resampling, features, model, CSV), as a user runs it over a folder.
 *
 * <p>Writes {@code --clips} speech-like clips (2 to 4 s, {@link SpeechLikeSignal}, one seed per clip, the same seed
 * at both rates) as 16-bit WAV into two folders, then runs {@code java -jar CLI analyze FOLDER --threads 1} on the
 * two folders alternately, {@code --rounds} times each, and prints {@code key=value} lines: the fastest and median
 * wall time per rate and the ratio of the fastest (44.1 kHz over 16 kHz). Run it pinned to one core
 * ({@code taskset -c 0}) so that both rates get the same CPU:
 *
 * <pre>
 * taskset -c 0 java -cp benchmarks/target/benchmarks.jar io.github.ser4j.bench.soak.AnalyzeRatioHarness \
 *     --cli ser-examples/target/ser.jar --clips 240 --rounds 3 --dir /tmp/ser-analyze-ratio
 * </pre>
 */
public final class AnalyzeRatioHarness {
    private static final int[] RATES = {16_000, 44_100};

    private AnalyzeRatioHarness() {
    }

    public static void main(String[] args) throws Exception {
        Path cli = null;
        Path dir = null;
        int clips = 240;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cli" -> cli = Path.of(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--clips" -> clips = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: AnalyzeRatioHarness --cli SER_JAR --dir WORK_DIR [--clips N] "
                            + "[--rounds N]");
                    System.exit(2);
                }
            }
        }
        if (cli == null || dir == null || !Files.isRegularFile(cli)) {
            System.err.println("AnalyzeRatioHarness: --cli must name the ser CLI jar (" + cli + ") and --dir a "
                    + "work folder");
            System.exit(2);
        }
        for (int rate : RATES) {
            writeClips(dir.resolve(Integer.toString(rate)), clips, rate);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        double[][] seconds = new double[RATES.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < RATES.length; k++) {
                seconds[k][r] = analyze(java, cli, dir, RATES[k]);
            }
        }
        System.out.printf(Locale.ROOT, "clips=%d%nrounds=%d%n", clips, rounds);
        double[] best = new double[RATES.length];
        for (int k = 0; k < RATES.length; k++) {
            double[] s = seconds[k].clone();
            Arrays.sort(s);
            best[k] = s[0];
            System.out.printf(Locale.ROOT, "rate.%d.min_s=%.3f%nrate.%d.median_s=%.3f%n", RATES[k], s[0], RATES[k],
                    s[s.length / 2]);
        }
        System.out.printf(Locale.ROOT, "ratio=%.3f%n", best[1] / best[0]);
    }

    /** Clip {@code i}: 2 + (i mod 5) / 2 s long, seed {@code DEFAULT_SEED + i}, the same at every rate. */
    static void writeClips(Path folder, int clips, int rate) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < clips; i++) {
            Path f = folder.resolve(String.format(Locale.ROOT, "clip%04d.wav", i));
            if (!Files.exists(f)) {
                double s = 2 + (i % 5) / 2.0;
                Files.write(f, WavBytes.pcm16(SpeechLikeSignal.generate(s, rate, SpeechLikeSignal.DEFAULT_SEED + i),
                        rate));
            }
        }
    }

    private static double analyze(String java, Path cli, Path dir, int rate) throws IOException, InterruptedException {
        Path out = dir.resolve("out-" + rate + ".csv");
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", cli.toString(), "analyze",
                dir.resolve(Integer.toString(rate)).toString(), "--threads", "1", "--format", "csv", "--no-progress"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(dir.resolve("err-" + rate + ".txt").toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("ser analyze of " + rate + " Hz did not finish in 30 min");
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("ser analyze of " + rate + " Hz exited " + p.exitValue() + ": "
                    + Files.readString(dir.resolve("err-" + rate + ".txt")).strip());
        }
        return s;
    }
}
