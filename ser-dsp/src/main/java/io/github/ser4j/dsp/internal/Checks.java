package io.github.ser4j.dsp.internal;

import java.util.Objects;

/** Argument checks with librosa-style messages. Not API. */
public final class Checks {
    private Checks() {
    }

    /**
     * @param y    samples
     * @param name argument name for messages
     * @throws IllegalArgumentException if null, empty or not finite everywhere
     */
    public static void audio(float[] y, String name) {
        Objects.requireNonNull(y, name);
        if (y.length == 0) {
            throw new IllegalArgumentException(name + " is empty: at least one sample is needed");
        }
        finite(y, 0, y.length, name);
    }

    /**
     * @param y      samples
     * @param offset first sample
     * @param length number of samples
     * @param name   argument name for messages
     * @throws IllegalArgumentException if a sample is NaN or infinite
     */
    public static void finite(float[] y, int offset, int length, String name) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (!Float.isFinite(y[i])) {
                throw new IllegalArgumentException("Audio buffer is not finite everywhere: " + name + "[" + i + "] = "
                        + y[i]);
            }
        }
    }

    /**
     * @param value value
     * @param min   smallest allowed
     * @param name  parameter name
     * @return value
     * @throws IllegalArgumentException if {@code value < min}
     */
    public static int atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + "=" + value + " must be an integer >= " + min);
        }
        return value;
    }

    /**
     * @param value value
     * @param name  parameter name
     * @return value
     * @throws IllegalArgumentException unless finite and {@code > 0}
     */
    public static double positive(double value, String name) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + "=" + value + " must be a finite number > 0");
        }
        return value;
    }

    /**
     * @param matrix a rectangular matrix
     * @param rows   required number of rows
     * @param name   argument name
     * @return the number of columns
     * @throws IllegalArgumentException if not rectangular, has the wrong number of rows, or holds non-finite values
     */
    public static int matrix(float[][] matrix, int rows, String name) {
        Objects.requireNonNull(matrix, name);
        if (rows >= 0 && matrix.length != rows) {
            throw new IllegalArgumentException(name + " has " + matrix.length + " rows, " + rows + " expected");
        }
        int cols = matrix.length == 0 ? 0 : matrix[0].length;
        for (int r = 0; r < matrix.length; r++) {
            Objects.requireNonNull(matrix[r], name + "[" + r + "]");
            if (matrix[r].length != cols) {
                throw new IllegalArgumentException(name + "[" + r + "] has " + matrix[r].length + " columns, row 0 has "
                        + cols);
            }
            for (int c = 0; c < cols; c++) {
                if (!Float.isFinite(matrix[r][c])) {
                    throw new IllegalArgumentException(name + "[" + r + "][" + c + "] is not finite: "
                            + matrix[r][c]);
                }
            }
        }
        return cols;
    }
}
