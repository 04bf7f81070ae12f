package io.github.ser4j.bench.soak;

import io.github.ser4j.dsp.signal.Resampler;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;

/**
 * Resamples 3 s of a fixed test signal (a slow sine plus Gaussian noise, seed 1) {@code warm-up} times, then
 * {@code reps} more times, and prints the best and mean thread CPU time of the measured calls. A plain {@code main}
 * for measuring on a busy machine (thread CPU time leaves out waiting for a core) and under
 * {@code valgrind --tool=cachegrind}, where the instructions of one call are the difference between a run with
 * {@code reps} calls and one with none, divided by {@code reps}:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.ser4j.bench.soak.ResampleCpuHarness 44100 16000 300 150
 * valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null java -Xbatch -XX:+UseSerialGC \
 *     -cp benchmarks/target/benchmarks.jar io.github.ser4j.bench.soak.ResampleCpuHarness 44100 16000 300 200
 * </pre>
 */
public final class ResampleCpuHarness {
    private ResampleCpuHarness() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: ResampleCpuHarness FROM_HZ TO_HZ WARMUP REPS");
            System.exit(2);
        }
        int from = Integer.parseInt(args[0]);
        int to = Integer.parseInt(args[1]);
        int warm = Integer.parseInt(args[2]);
        int reps = Integer.parseInt(args[3]);
        float[] y = new float[3 * from];
        Random rnd = new Random(1);
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (0.3 * Math.sin(i * 0.01) + 0.1 * rnd.nextGaussian());
        }
        Resampler resampler = Resampler.of(from, to);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double sink = 0;
        for (int i = 0; i < warm; i++) {
            sink += resampler.resample(y)[100];
        }
        long best = Long.MAX_VALUE;
        long total = 0;
        for (int i = 0; i < reps; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            sink += resampler.resample(y)[100];
            long c = threads.getCurrentThreadCpuTime() - c0;
            best = Math.min(best, c);
            total += c;
        }
        if (reps > 0) {
            System.out.printf(Locale.ROOT, "%s, 3 s: thread CPU time best %.3f ms, mean %.3f ms over %d calls%s%n",
                    resampler, best / 1e6, total / 1e6 / reps, reps, sink == 12345 ? " " : "");
        }
    }
}
