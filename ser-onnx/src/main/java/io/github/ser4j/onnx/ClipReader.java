package io.github.ser4j.onnx;

import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.dsp.signal.AudioSources;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a source for one clip-level recognition, keeping only what the model uses: the source is mixed down and
 * resampled to the model's rate while it is read, and when its length is known (and the card crops to a fixed
 * duration) only the samples inside the card's offset and crop are kept, so memory is the model's window whatever
 * the source's length. Sources of unknown length are held whole at the model's rate. Stateless.
 */
final class ClipReader {
    private static final int CHUNK = 8192;

    private ClipReader() {
    }

    /**
     * The kept samples: the first {@code length} values of {@code samples}, at {@code sampleRate}; {@code cropped}
     * tells that they are exactly the card's window (offset and crop already applied).
     */
    record Clip(float[] samples, int length, int sampleRate, boolean cropped) {
    }

    /**
     * @param source   read to its end, not closed
     * @param pipeline the card's pipeline (its rate, offset and crop)
     * @throws CorruptAudioException if the source delivers a NaN or infinite sample, or fewer or more frames than its
     *                               {@link AudioSource#frameLength()} stated
     * @throws IOException           if reading fails
     */
    static Clip read(AudioSource source, ModelInputPipeline pipeline) throws IOException {
        int rate = pipeline.targetSampleRate(source.format().sampleRate());
        // wrappers own their source but hold no resource of their own: not closing them leaves the source open
        AudioSource mono = AudioSources.monoAt(source, rate);
        long known = mono.frameLength();
        long keepFrom = 0;
        long keepCount = Integer.MAX_VALUE - 16;
        boolean cropped = false;
        if (known >= 0) {
            long[] used = pipeline.usedRange(known, rate);
            keepFrom = used[0];
            keepCount = used[1];
            cropped = true;
        }
        float[] kept = new float[(int) Math.max(1, Math.min(keepCount, known >= 0 ? keepCount : 1 << 16))];
        float[] chunk = new float[CHUNK];
        int n = 0;
        long position = 0;
        int got;
        while ((got = mono.read(chunk, 0, CHUNK)) > 0) {
            for (int i = 0; i < got; i++) {
                if (!Float.isFinite(chunk[i])) {
                    throw new CorruptAudioException("the audio source " + source + " delivers a non-finite sample ("
                            + chunk[i] + ") at frame " + (position + i) + (rate != source.format().sampleRate()
                            ? " at " + rate + " Hz" : "") + "; samples must be finite");
                }
            }
            long from = Math.max(position, keepFrom);
            long to = Math.min(position + got, keepFrom + keepCount);
            if (to > from) {
                int take = (int) (to - from);
                if (n + take > kept.length) {
                    if ((long) n + take > Integer.MAX_VALUE - 16) {
                        throw new AudioException("the audio source " + source + " is longer than "
                                + (Integer.MAX_VALUE - 16) + " samples at " + rate + " Hz; stream it instead");
                    }
                    kept = Arrays.copyOf(kept, (int) Math.min(Integer.MAX_VALUE - 16,
                            Math.max((long) n + take, 2L * kept.length)));
                }
                System.arraycopy(chunk, (int) (from - position), kept, n, take);
                n += take;
            }
            position += got;
        }
        if (known >= 0 && position != known) {
            throw new CorruptAudioException("the audio source " + source + " delivered " + position + " frames at "
                    + rate + " Hz but stated " + known + " (a truncated or damaged input?)");
        }
        return new Clip(kept, n, rate, cropped);
    }
}
