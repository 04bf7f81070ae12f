package io.github.ser4j.onnx;

import io.github.ser4j.api.AudioSource;

import java.io.IOException;
import java.util.Arrays;

/** Reads a source to its end as mono (the mean of the channels, as {@code librosa.to_mono}). Stateless. */
final class MonoReader {
    private static final int CHUNK_FRAMES = 8192;

    private MonoReader() {
    }

    /**
     * The mono samples of a whole source: the first {@code length} values of {@code samples} (the buffer may be
     * longer; recognising it needs no exact-length copy).
     */
    record Clip(float[] samples, int length) {
    }

    static Clip readAll(AudioSource source) throws IOException {
        int channels = source.format().channels();
        long known = source.frameLength();
        float[] out = new float[known > 0 && known < Integer.MAX_VALUE - 16 ? (int) known : 1 << 16];
        float[] chunk = new float[CHUNK_FRAMES * channels];
        int n = 0;
        int got;
        while ((got = source.read(chunk, 0, CHUNK_FRAMES)) > 0) {
            if (n + got > out.length) {
                if ((long) n + got > Integer.MAX_VALUE - 16) {
                    throw new IllegalArgumentException("the audio source is longer than " + (Integer.MAX_VALUE - 16)
                            + " frames; stream it instead");
                }
                out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(n + got, 2L * out.length)));
            }
            mixDown(chunk, got, channels, out, n);
            n += got;
        }
        return new Clip(out, n);
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
