package io.github.ser4j.onnx.pipeline;

import java.lang.management.ManagementFactory;

/** Measures what a step allocates on the calling thread, after the JIT has compiled it. */
final class Allocations {
    private Allocations() {
    }

    /**
     * Runs {@code step} {@code warmup} times, then {@code runs} times while counting.
     *
     * @return the bytes the calling thread allocated during the counted runs
     */
    static long ofRuns(Runnable step, int warmup, int runs) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < runs; i++) {
            step.run();
        }
        return mx.getThreadAllocatedBytes(thread) - before;
    }
}
