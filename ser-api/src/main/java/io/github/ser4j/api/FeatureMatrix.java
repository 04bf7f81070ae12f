package io.github.ser4j.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A feature matrix laid out as librosa returns it: {@code rows} features (mel bands, coefficients, frequency bins) by
 * {@code columns} frames, stored row-major.
 *
 * <p>Immutable and thread-safe: the data is copied in and out.
 */
public final class FeatureMatrix {
    private final int rows;
    private final int columns;
    private final float[] data;

    private FeatureMatrix(int rows, int columns, float[] data) {
        this.rows = rows;
        this.columns = columns;
        this.data = data;
    }

    /**
     * @param rows    number of features
     * @param columns number of frames
     * @param data    {@code rows * columns} values, row-major (copied)
     * @return the matrix
     * @throws IllegalArgumentException if the sizes disagree
     */
    public static FeatureMatrix of(int rows, int columns, float[] data) {
        Objects.requireNonNull(data, "data");
        if (rows < 0 || columns < 0 || (long) rows * columns != data.length) {
            throw new IllegalArgumentException(
                    "a " + rows + " x " + columns + " matrix needs " + ((long) rows * columns)
                            + " values, got " + data.length);
        }
        return new FeatureMatrix(rows, columns, data.clone());
    }

    /**
     * @param rows one array per feature, all of the same length (copied)
     * @return the matrix
     */
    public static FeatureMatrix of(float[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * columns];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != columns) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values, row 0 has "
                        + columns);
            }
            System.arraycopy(rows[r], 0, data, r * columns, columns);
        }
        return new FeatureMatrix(rows.length, columns, data);
    }

    /** {@return the number of features} */
    public int rows() {
        return rows;
    }

    /** {@return the number of frames} */
    public int columns() {
        return columns;
    }

    /**
     * @param row    feature index
     * @param column frame index
     * @return the value
     */
    public float get(int row, int column) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(column, columns);
        return data[row * columns + column];
    }

    /**
     * @param row feature index
     * @return a copy of that feature over all frames
     */
    public float[] row(int row) {
        Objects.checkIndex(row, rows);
        return Arrays.copyOfRange(data, row * columns, (row + 1) * columns);
    }

    /** {@return a copy of the data, row-major} */
    public float[] toArray() {
        return data.clone();
    }

    /** {@return a copy as one array per feature} */
    public float[][] toRows() {
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = row(r);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureMatrix m && rows == m.rows && columns == m.columns && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + columns) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FeatureMatrix[" + rows + " x " + columns + "]";
    }
}
