package io.github.ser4j.bench.peer;

import be.tarsos.dsp.AudioEvent;
import be.tarsos.dsp.io.TarsosDSPAudioFormat;
import be.tarsos.dsp.mfcc.MFCC;

/**
 * Drives TarsosDSP 2.4's {@link MFCC} frame by frame over a float array, with the frames librosa would analyse.
 *
 * <p>TarsosDSP normally gets its frames from an {@code AudioDispatcher} (which re-reads 16-bit PCM from a stream and
 * slides a buffer of {@code audioBufferSize} samples by {@code audioBufferSize - bufferOverlap}). To measure only the
 * MFCC and to feed it exactly the same samples as the other peers, this driver does the dispatcher's job directly:
 * it centre-pads the signal with {@code n_fft/2} zeros on each side (librosa's {@code center=True,
 * pad_mode='constant'}), copies each {@code n_fft}-sample frame, hop by hop, into the {@link AudioEvent}'s buffer and
 * calls {@link MFCC#process(AudioEvent)}, then collects {@link MFCC#getMFCC()}. The unit test checks that this gives
 * the frames an {@code AudioDispatcher} with {@code bufferOverlap = n_fft - hop_length} gives on the same padded
 * signal.
 *
 * <p>Parameter mapping (librosa -> TarsosDSP constructor {@code MFCC(samplesPerFrame, sampleRate,
 * amountOfCepstrumCoef, amountOfMelFilters, lowerFilterFreq, upperFilterFreq)}):
 * {@code n_fft} -> samplesPerFrame (TarsosDSP has no separate win_length: its window spans the frame),
 * {@code sr} -> sampleRate, {@code n_mfcc} -> amountOfCepstrumCoef, {@code n_mels} -> amountOfMelFilters,
 * {@code fmin=0} -> lowerFilterFreq (TarsosDSP raises it to 25 Hz), {@code fmax=sr/2} -> upperFilterFreq,
 * {@code hop_length} -> the step between frames (dispatcher overlap {@code n_fft - hop_length}).
 * Not mappable, so the values differ from librosa's by design (the comparison is of cost for the same job size):
 * TarsosDSP uses a Hamming window, the magnitude (not power) spectrum, HTK-style triangles on integer FFT bins without
 * area normalisation, a natural log floored at -50 (not dB with top_db) and an unnormalised DCT-II evaluated with
 * {@code Math.cos} per term.
 *
 * <p>Thread-safety: not thread-safe (TarsosDSP's MFCC keeps per-frame state); use one instance per thread.
 */
public final class TarsosMfcc {
    private final int nFft;
    private final int hopLength;
    private final int nMfcc;
    private final MFCC mfcc;
    private final AudioEvent event;
    private final float[] frame;

    /**
     * @param sr        sample rate in Hz
     * @param nFft      frame length
     * @param hopLength hop between frames
     * @param nMels     number of mel filters
     * @param nMfcc     number of coefficients
     */
    public TarsosMfcc(int sr, int nFft, int hopLength, int nMels, int nMfcc) {
        this.nFft = nFft;
        this.hopLength = hopLength;
        this.nMfcc = nMfcc;
        this.mfcc = new MFCC(nFft, sr, nMfcc, nMels, 0f, sr / 2f);
        this.event = new AudioEvent(new TarsosDSPAudioFormat(sr, 16, 1, true, false));
        this.frame = new float[nFft];
        event.setFloatBuffer(frame);
    }

    /**
     * @param n number of input samples
     * @return the number of frames librosa yields with {@code center=True}: {@code 1 + n / hop_length}
     */
    public int frameCount(int n) {
        return 1 + n / hopLength;
    }

    /**
     * @param y mono samples; not modified
     * @return {@code n_mfcc} rows by {@link #frameCount(int)} frames
     */
    public float[][] mfcc(float[] y) {
        int frames = frameCount(y.length);
        float[][] out = new float[nMfcc][frames];
        int pad = nFft / 2;
        for (int t = 0; t < frames; t++) {
            int start = t * hopLength - pad;
            // the padded signal, read in place: zeros outside [0, y.length)
            int from = Math.max(0, start);
            int to = Math.min(y.length, start + nFft);
            java.util.Arrays.fill(frame, 0f);
            if (to > from) {
                System.arraycopy(y, from, frame, from - start, to - from);
            }
            mfcc.process(event); // clones the event's buffer before windowing it in place
            float[] c = mfcc.getMFCC();
            for (int k = 0; k < nMfcc; k++) {
                out[k][t] = c[k];
            }
        }
        return out;
    }

    /**
     * @param y mono samples
     * @return {@code y} with {@code n_fft/2} zeros on each side (what librosa analyses with {@code center=True})
     */
    public float[] centerPadded(float[] y) {
        int pad = nFft / 2;
        float[] padded = new float[y.length + 2 * pad];
        System.arraycopy(y, 0, padded, pad, y.length);
        return padded;
    }
}
