package io.github.ser4j.onnx.pipeline;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The input a model gets for one clip: values in the tensor's layout (row-major over {@link #shape()}), without the
 * batch axis, and whether the clip passed the card's speech gate.
 *
 * <p>Immutable and thread-safe: accessors return copies.
 */
public final class ModelInput {
    private final float[] data;
    private final long[] shape;
    private final boolean speech;

    ModelInput(float[] data, long[] shape, boolean speech) {
        this.data = data;
        this.shape = shape;
        this.speech = speech;
    }

    /** {@return a copy of the values, row-major over {@link #shape()}} */
    public float[] data() {
        return data.clone();
    }

    /** {@return the number of values} */
    public int size() {
        return data.length;
    }

    /** {@return a copy of the tensor shape without the batch axis, e.g. {@code [40, 174, 1]}} */
    public long[] shape() {
        return shape.clone();
    }

    /** {@return whether the clip passed the card's speech gate (a model run on silence is meaningless)} */
    public boolean speech() {
        return speech;
    }

    /**
     * Copies the values into a buffer at its position, advancing it (for filling a batch tensor without copies).
     *
     * @param buffer destination with at least {@link #size()} remaining
     */
    public void writeTo(FloatBuffer buffer) {
        buffer.put(data);
    }

    @Override
    public String toString() {
        return "ModelInput" + Arrays.toString(shape) + (speech ? "" : "[no speech]");
    }
}
