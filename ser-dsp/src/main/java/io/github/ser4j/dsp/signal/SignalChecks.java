package io.github.ser4j.dsp.signal;

import java.util.Objects;

/** Argument checks shared by the package, with messages that name the argument. Not API. */
final class SignalChecks {
    /** Largest array length every JVM allows. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private SignalChecks() {
    }

    /** @throws IllegalArgumentException if {@code y} is null, empty or not finite everywhere */
    static void audio(float[] y, String name) {
        Objects.requireNonNull(y, name);
        if (y.length == 0) {
            throw new IllegalArgumentException(name + " is empty: at least one sample is needed");
        }
        finite(y, 0, y.length, name);
    }

    /** @throws IllegalArgumentException if a sample of the range is NaN or infinite */
    static void finite(float[] y, int offset, int length, String name) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (!Float.isFinite(y[i])) {
                throw new IllegalArgumentException("Audio buffer is not finite everywhere: " + name + "[" + i + "] = "
                        + y[i]);
            }
        }
    }

    /** @throws IllegalArgumentException unless {@code [offset, offset + length)} lies inside an array of {@code size} */
    static void range(int size, int offset, int length, String name) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IllegalArgumentException("range offset=" + offset + ", length=" + length + " is outside " + name
                    + " (length " + size + ")");
        }
    }

    /** @throws IllegalArgumentException if fewer than {@code needed} elements fit in {@code out} from {@code offset} */
    static void room(float[] out, int offset, long needed, String name) {
        Objects.requireNonNull(out, name);
        if (offset < 0 || offset > out.length || out.length - offset < needed) {
            throw new IllegalArgumentException(name + " has room for " + Math.max(0, out.length - offset)
                    + " samples from offset " + offset + ", " + needed + " needed");
        }
    }
}
