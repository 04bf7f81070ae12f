package io.github.ser4j.onnx.pipeline;

import io.github.ser4j.dsp.denoise.SpectralGate;
import io.github.ser4j.dsp.signal.Resampler;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.card.ModelCard.Audio;
import io.github.ser4j.onnx.card.ModelCard.Position;

import java.util.Arrays;
import java.util.Objects;

/**
 * Steps 1-7 of a card's pipeline, the audio: checks of the clip, resampling, offset, crop, denoising, the speech gate,
 * padding and waveform pre-normalisation. Immutable and thread-safe; each call allocates its own arrays.
 */
final class AudioPreparation {
    private final ModelCard card;
    /** The card's {@code audio.denoise} step (or the forced default), or null. */
    private final SpectralGate denoise;

    AudioPreparation(ModelCard card, SpectralGate denoise) {
        this.card = card;
        this.denoise = denoise;
    }

    /** The clip after audio preparation. */
    static final class Prepared {
        final float[] samples;
        final int sampleRate;
        final boolean speech;

        Prepared(float[] samples, int sampleRate, boolean speech) {
            this.samples = samples;
            this.sampleRate = sampleRate;
            this.speech = speech;
        }
    }

    static long durationSamples(double seconds, int sampleRate) {
        return (long) Math.rint(seconds * sampleRate); // Python's round(): half to even
    }

    Prepared prepare(float[] samples, int clipLength, int sampleRate) {
        return prepare(samples, clipLength, sampleRate, false);
    }

    /** {@link #prepare(float[], int, int)}; with {@code window}, on samples that are already the card's window. */
    Prepared prepare(float[] samples, int clipLength, int sampleRate, boolean window) {
        Objects.requireNonNull(samples, "samples");
        if (clipLength < 0 || clipLength > samples.length) {
            throw new IllegalArgumentException("length must be 0.." + samples.length + " (the array's length), got "
                    + clipLength);
        }
        if (sampleRate < 1 || sampleRate > io.github.ser4j.api.PcmFormat.MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("sampleRate must be 1.." + io.github.ser4j.api.PcmFormat.MAX_SAMPLE_RATE
                    + " Hz, got " + sampleRate);
        }
        if (clipLength == 0) {
            throw new IllegalArgumentException("the clip is empty (0 samples)");
        }
        for (int i = 0; i < clipLength; i++) {
            if (!Float.isFinite(samples[i])) {
                throw new IllegalArgumentException("sample " + i + " of the clip is " + samples[i]
                        + "; samples must be finite");
            }
        }
        Audio a = card.audio();
        int rate = card.audio().keepsNativeRate() ? sampleRate : card.audio().sampleRate();
        Resampler resampler = rate == sampleRate ? null : Resampler.of(sampleRate, rate);
        int yLength = resampler == null ? clipLength : (int) resampler.outputLength(clipLength);
        int offset = window ? 0 : (int) Math.min(yLength, durationSamples(a.offsetSeconds(), rate));
        int n = a.durationSeconds().isPresent()
                ? (int) Math.min(Integer.MAX_VALUE - 16, durationSamples(a.durationSeconds().getAsDouble(), rate)) : -1;
        int length = yLength - offset;
        int start = offset;
        if (n >= 0 && length > n && a.crop() != Position.NONE) {
            start = offset + keepStart(length, n, a.crop());
            length = n;
        }
        float[] y;
        if (resampler == null) {
            y = samples;
        } else if (length == 0) {
            y = new float[0];
            start = 0;
        } else {
            // only the part the card keeps: cropped in the source rate (with the filter's margin), then resampled
            y = CardFeatures.resample(resampler, samples, clipLength, start, length);
            start = 0;
        }
        if (denoise != null && length > 0) {
            // the kept part only, at the card's rate; a new array (the caller's samples are never modified)
            y = denoise.apply(start == 0 && length == y.length ? y : Arrays.copyOfRange(y, start, start + length),
                    rate);
            start = 0;
        }
        boolean speech = speechGate(y, start, length, rate);
        float[] out;
        int padBefore = 0;
        int total = length;
        if (n >= 0 && length < n && a.pad() != Position.NONE) {
            total = n;
            padBefore = padBefore(n - length, a.pad());
        }
        out = new float[total];
        System.arraycopy(y, start, out, padBefore, length);
        normalizeWaveform(out, padBefore, length, a);
        return new Prepared(out, rate, speech);
    }

    /** Index of the first kept element when {@code length} elements are cropped to {@code n}. */
    static int keepStart(int length, int n, Position keep) {
        switch (keep) {
            case START:
                return 0;
            case END:
                return length - n;
            case CENTER:
                return (length - n) / 2;
            default:
                throw new AssertionError(keep);
        }
    }

    /** Padding placed before the data when {@code k} elements are added. */
    static int padBefore(int k, Position where) {
        switch (where) {
            case START:
                return k;
            case END:
                return 0;
            case CENTER:
                return k / 2;
            default:
                throw new AssertionError(where);
        }
    }

    private boolean speechGate(float[] y, int start, int length, int rate) {
        ModelCard.SpeechGate g = card.speechGate();
        if (!g.enabled()) {
            return true;
        }
        int frame = Math.max(1, (int) Math.rint(g.frameSeconds() * rate));
        for (int s = 0; s < length; s += frame) {
            int e = Math.min(length, s + frame);
            double sum = 0;
            for (int i = start + s; i < start + e; i++) {
                sum += (double) y[i] * y[i];
            }
            double ms = sum / (e - s);
            if (ms > 0 && 10 * Math.log10(ms) >= g.minRmsDbfs()) {
                return true;
            }
        }
        return false;
    }

    private static void normalizeWaveform(float[] y, int from, int length, Audio a) {
        switch (a.normalize()) {
            case NONE:
                return;
            case PEAK: {
                float peak = 0;
                for (int i = from; i < from + length; i++) {
                    peak = Math.max(peak, Math.abs(y[i]));
                }
                if (peak > 0) {
                    for (int i = from; i < from + length; i++) {
                        y[i] = y[i] / peak;
                    }
                }
                return;
            }
            case RMS: {
                double sum = 0;
                for (int i = from; i < from + length; i++) {
                    sum += (double) y[i] * y[i];
                }
                if (sum > 0) {
                    double rms = Math.sqrt(sum / length);
                    float gain = (float) (Math.pow(10, a.targetRmsDbfs() / 20) / rms);
                    for (int i = from; i < from + length; i++) {
                        y[i] = y[i] * gain;
                    }
                }
                return;
            }
            default:
                throw new AssertionError(a.normalize());
        }
    }
}
