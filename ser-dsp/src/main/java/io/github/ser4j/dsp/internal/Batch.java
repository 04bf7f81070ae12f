package io.github.ser4j.dsp.internal;

/** Runs a {@link FrameProcessor} over all frames of a whole signal. Not API. */
public final class Batch {
    private Batch() {
    }

    /**
     * @param framer    framing and padding
     * @param processor per-frame features
     * @param y         the signal; not modified
     * @param frames    number of frames ({@link Framer#frameCount})
     * @return {@code processor.outputSize() x frames}, row-major
     */
    public static float[] run(Framer framer, FrameProcessor processor, float[] y, int frames) {
        int rows = processor.outputSize();
        float[] data = new float[Math.multiplyExact(rows, frames)];
        float[] column = new float[rows];
        float[] frame = null;
        for (int t = 0; t < frames; t++) {
            if (framer.inside(t, y.length)) {
                processor.process(y, (int) framer.frameStart(t), column);
            } else {
                if (frame == null) {
                    frame = new float[framer.frameLength()];
                }
                framer.assemble(t, y, 0, y.length, y.length, frame);
                processor.process(frame, 0, column);
            }
            for (int r = 0, i = t; r < rows; r++, i += frames) {
                data[i] = column[r];
            }
        }
        return data;
    }

    /**
     * @param data row-major matrix
     * @param rows number of rows
     * @return one array per row
     */
    public static float[][] toRows(float[] data, int rows) {
        int cols = rows == 0 ? 0 : data.length / rows;
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = java.util.Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
        }
        return out;
    }
}
