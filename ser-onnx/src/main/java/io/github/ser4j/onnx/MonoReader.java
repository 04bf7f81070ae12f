package io.github.ser4j.onnx;

/** Mixes interleaved frames down to mono (the mean of the channels, as {@code librosa.to_mono}). Stateless. */
final class MonoReader {
    private MonoReader() {
    }

    static void mixDown(float[] interleaved, int frames, int channels, float[] out, int outOffset) {
        if (channels == 1) {
            System.arraycopy(interleaved, 0, out, outOffset, frames);
            return;
        }
        for (int f = 0, i = 0; f < frames; f++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += interleaved[i++];
            }
            out[outOffset + f] = sum / channels;
        }
    }
}
