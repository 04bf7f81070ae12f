package io.github.ser4j.onnx;

import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.vad.VoiceActivityDetector;
import io.github.ser4j.dsp.signal.Resampler;
import io.github.ser4j.dsp.signal.ResamplerStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;

/**
 * The sliding-window, VAD-gated core shared by the pull stream ({@link OnnxSegmentStream}) and the push session
 * ({@link OnnxRecognitionSession}): audio goes in chunk by chunk ({@link #append}), windows come out one at a time
 * ({@link #nextWindow()}, {@link #lastWindow()}). Both drivers append a chunk, then take every ready window before
 * the next chunk, so they analyse the same windows of the same samples whatever the chunk sizes.
 *
 * <p>Buffers are allocated once; appending allocates nothing in steady state. Not thread-safe.
 */
final class WindowEngine {
    private static final Logger LOG = LoggerFactory.getLogger(WindowEngine.class);
    /** Largest chunk {@link #append} takes, in frames. */
    static final int CHUNK_FRAMES = 4096;

    private final OnnxEmotionRecognizer recognizer;
    private final int channels;
    private long framesIn;
    private final int rate;
    private final ResamplerStream resampler;
    private final int window;
    private final int hop;
    private final int smoothing;
    private final long silenceStopSamples;
    private final boolean gate;

    private final VoiceActivityDetector vad;
    private final int vadFrame;
    private final float[] vadPending;
    private int vadPendingLength;
    private final boolean[] vadRing;
    private long vadFramesDecided;
    private long vadSpeechFrames;
    private long lastSpeechEnd = -1;
    private long lastWindowSpeechFrames;
    private boolean vadDeferred;

    private final float[] monoBuffer;
    private final float[] resampledBuffer;
    private final float[] clip;
    private float[] buffer;
    private long bufferStart;
    private int bufferLength;
    private long total;

    private long nextStart;
    private long coveredUntil;
    private boolean ended;
    private boolean stoppedBySilence;
    private final ArrayDeque<float[]> history = new ArrayDeque<>();
    private final double[] av = new double[2];
    /** The stream's speaker context (one speaker per stream), or null: each window on its own. */
    private final SpeakerContext speaker;

    /** A stream's engine: its own speaker statistics unless {@link StreamOptions#adaptation()} is false. */
    WindowEngine(OnnxEmotionRecognizer recognizer, PcmFormat format, StreamOptions options) {
        this(recognizer, format, options, options.adaptation() ? recognizer.windowContext() : null);
    }

    /**
     * @param speaker the context every analysed window updates and is adapted by, or null for none
     */
    WindowEngine(OnnxEmotionRecognizer recognizer, PcmFormat format, StreamOptions options,
                 SpeakerContext speaker) {
        this.recognizer = recognizer;
        this.speaker = speaker;
        this.channels = format.channels();
        int sourceRate = format.sampleRate();
        this.rate = recognizer.targetSampleRate(sourceRate);
        double windowSeconds = options.windowSeconds().orElse(recognizer.streaming().windowSeconds());
        double hopSeconds = options.hopSeconds().orElse(options.windowSeconds().isPresent()
                ? Math.min(windowSeconds, recognizer.streaming().hopSeconds())
                : recognizer.streaming().hopSeconds());
        if (hopSeconds > windowSeconds) {
            throw new IllegalArgumentException("hop " + hopSeconds + " s exceeds window " + windowSeconds
                    + " s (from StreamOptions and the card's streaming defaults): audio between windows would be "
                    + "ignored");
        }
        this.window = Math.max(1, (int) Math.rint(windowSeconds * rate));
        this.hop = Math.max(1, (int) Math.rint(hopSeconds * rate));
        this.smoothing = options.smoothing();
        this.silenceStopSamples = Double.isInfinite(options.silenceStopSeconds()) ? Long.MAX_VALUE
                : (long) Math.ceil(options.silenceStopSeconds() * rate);
        this.gate = options.vadEnabled();
        boolean needVad = gate || silenceStopSamples != Long.MAX_VALUE;
        this.vad = needVad ? options.vadFactory().create(rate) : null;
        if (vad != null && vad.sampleRate() != rate) {
            throw new IllegalStateException("the voice-activity detector runs at " + vad.sampleRate()
                    + " Hz but the stream at " + rate + " Hz");
        }
        this.vadFrame = vad == null ? 1 : vad.frameSize();
        this.vadPending = new float[vadFrame];
        this.resampler = rate == sourceRate ? null : Resampler.of(sourceRate, rate).newStream();
        int maxOut = resampler == null ? CHUNK_FRAMES
                : (int) Math.max(resampler.resampler().maxOutputLength(CHUNK_FRAMES),
                        resampler.resampler().maxFlushLength());
        this.monoBuffer = new float[CHUNK_FRAMES];
        this.resampledBuffer = new float[maxOut];
        this.clip = new float[window];
        this.buffer = new float[window + resampledBuffer.length + hop];
        this.vadRing = new boolean[(buffer.length + 2 * vadFrame) / vadFrame + 4];
    }

    /** {@return the window length in samples at the stream rate} */
    int windowLength() {
        return window;
    }

    /** {@return the stream rate (the model's, or the source's for a card that keeps it)} */
    int rate() {
        return rate;
    }

    /** {@return samples buffered so far at the stream rate} */
    long total() {
        return total;
    }

    /** {@return seconds of the voice-activity frames decided so far that are speech; 0 without a detector} */
    double speechSeconds() {
        return vadSpeechFrames * (double) vadFrame / rate;
    }

    /**
     * @return seconds of speech (voice-activity frames wholly inside it) of the window the last {@link #nextWindow()}
     * or {@link #lastWindow()} analysed; its whole length without gating
     */
    double lastWindowSpeechSeconds() {
        return lastWindowSpeechFrames * (double) (gate ? vadFrame : 1) / rate;
    }

    /**
     * @return a copy of every sample appended so far, at the stream rate
     * @throws IllegalStateException once a window has been taken (samples before it may be gone)
     */
    float[] heldSamples() {
        if (bufferStart != 0 || nextStart != 0) {
            throw new IllegalStateException("samples already consumed by windows");
        }
        return Arrays.copyOf(buffer, bufferLength);
    }

    /**
     * Stops feeding the voice-activity detector until {@link #resumeVad()}: a caller that may not need its decisions
     * (a clip within one window) saves its cost. Call before any audio is appended.
     */
    void deferVad() {
        if (total != 0) {
            throw new IllegalStateException("deferVad() after audio was appended");
        }
        vadDeferred = true;
    }

    /**
     * Feeds the detector the samples held since {@link #deferVad()} and every later one: its decisions are then
     * those it would have made all along. Call before taking a window; does nothing when not deferred.
     */
    void resumeVad() {
        if (!vadDeferred) {
            return;
        }
        if (bufferStart != 0 || nextStart != 0) {
            throw new IllegalStateException("resumeVad() after windows were taken");
        }
        vadDeferred = false;
        if (vad != null) {
            feedVad(buffer, bufferLength);
        }
    }

    /** {@return whether a full window is ready for {@link #nextWindow()}} */
    boolean windowReady() {
        return total >= nextStart + window;
    }

    /** {@return whether the audio has ended ({@link #end(boolean)} or a silence stop)} */
    boolean ended() {
        return ended;
    }

    /** {@return whether the configured silence after speech ended the audio} */
    boolean stoppedBySilence() {
        return stoppedBySilence;
    }

    /**
     * Mixes down, resamples and buffers one chunk of interleaved frames. Does nothing once ended.
     *
     * @param frames at most {@link #CHUNK_FRAMES}
     */
    void append(float[] interleaved, int offset, int frames) {
        if (ended || frames <= 0) {
            return;
        }
        if (frames > CHUNK_FRAMES) {
            throw new AssertionError("chunk of " + frames + " frames");
        }
        for (int i = offset, end = offset + frames * channels; i < end; i++) {
            if (!Float.isFinite(interleaved[i])) {
                // as recognize(AudioSource): damaged audio is an error, never silently skipped windows
                throw new CorruptAudioException("the audio holds a non-finite sample (" + interleaved[i]
                        + ") at frame " + (framesIn + (i - offset) / channels) + ", channel " + (i - offset) % channels
                        + "; samples must be finite");
            }
        }
        framesIn += frames;
        mixDown(interleaved, offset, frames, channels, monoBuffer);
        if (resampler == null) {
            add(monoBuffer, frames);
        } else {
            int n = resampler.process(monoBuffer, 0, frames, resampledBuffer, 0);
            add(resampledBuffer, n);
        }
    }

    /**
     * Ends the audio.
     *
     * @param flush whether to flush the resampler's tail (the end of the source; not after a silence stop)
     */
    void end(boolean flush) {
        if (ended) {
            return;
        }
        if (flush && resampler != null) {
            int n = resampler.flush(resampledBuffer, 0);
            add(resampledBuffer, n);
        }
        ended = true;
    }

    /** Analyses the next full window and moves on by a hop; {@code null} when the window is skipped. */
    EmotionSegment nextWindow() {
        EmotionSegment s = analyse(nextStart, nextStart + window);
        nextStart += hop;
        return s;
    }

    /**
     * After {@link #end(boolean)} and once no full window is ready: the last, shorter window over the audio no window
     * has covered yet, or {@code null}. Call once.
     */
    EmotionSegment lastWindow() {
        if (nextStart < total && total > coveredUntil) {
            return analyse(nextStart, total);
        }
        return null;
    }

    private static void mixDown(float[] in, int offset, int frames, int channels, float[] out) {
        if (channels == 1) {
            System.arraycopy(in, offset, out, 0, frames);
            return;
        }
        for (int f = 0, i = offset; f < frames; f++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += in[i++];
            }
            out[f] = sum / channels;
        }
    }

    /** Adds samples at the stream rate: to the window buffer and through the VAD. */
    private void add(float[] samples, int n) {
        if (n <= 0) {
            return;
        }
        // drop what no window needs any more
        long keepFrom = Math.min(nextStart, bufferStart + bufferLength);
        int drop = (int) (keepFrom - bufferStart);
        if (drop > 0) {
            System.arraycopy(buffer, drop, buffer, 0, bufferLength - drop);
            bufferLength -= drop;
            bufferStart += drop;
        }
        if (bufferLength + n > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(bufferLength + n, 2 * buffer.length));
        }
        System.arraycopy(samples, 0, buffer, bufferLength, n);
        bufferLength += n;
        if (vad != null && !vadDeferred) {
            feedVad(samples, n);
        }
        total += n;
    }

    private void feedVad(float[] samples, int n) {
        int i = 0;
        while (i < n) {
            int take = Math.min(n - i, vadFrame - vadPendingLength);
            System.arraycopy(samples, i, vadPending, vadPendingLength, take);
            vadPendingLength += take;
            i += take;
            if (vadPendingLength == vadFrame) {
                boolean speech = vad.isSpeech(vadPending, 0);
                vadRing[(int) (vadFramesDecided % vadRing.length)] = speech;
                vadFramesDecided++;
                vadPendingLength = 0;
                long frameEnd = vadFramesDecided * vadFrame;
                if (speech) {
                    vadSpeechFrames++;
                    lastSpeechEnd = frameEnd;
                } else if (lastSpeechEnd >= 0 && frameEnd - lastSpeechEnd >= silenceStopSamples && !ended) {
                    LOG.debug("stream stopped after {} s of silence", (frameEnd - lastSpeechEnd) / (double) rate);
                    ended = true; // the windows before this point are still analysed
                    stoppedBySilence = true;
                }
            }
        }
    }

    /** Analyses the window [start, end) of the stream (sample indices at the stream rate). */
    private EmotionSegment analyse(long start, long end) {
        coveredUntil = Math.max(coveredUntil, end);
        double segStart = start;
        double segEnd = end;
        lastWindowSpeechFrames = end - start;
        if (gate) {
            long first = -1;
            long last = -1;
            long count = 0;
            long k0 = (start + vadFrame - 1) / vadFrame;
            long k1 = Math.min(end / vadFrame, vadFramesDecided); // frames fully inside the window
            long oldest = vadFramesDecided - vadRing.length;
            for (long k = Math.max(k0, oldest); k < k1; k++) {
                if (vadRing[(int) (k % vadRing.length)]) {
                    count++;
                    if (first < 0) {
                        first = k;
                    }
                    last = k;
                }
            }
            lastWindowSpeechFrames = count;
            if (first < 0) {
                history.clear();
                return null;
            }
            segStart = Math.max(start, first * vadFrame);
            segEnd = Math.min(end, (last + 1) * vadFrame);
        }
        int from = (int) (start - bufferStart);
        int length = (int) (end - start);
        // one reused buffer (the pipeline reads it and keeps nothing)
        System.arraycopy(buffer, from, clip, 0, length);
        Optional<float[]> probs;
        try {
            probs = recognizer.windowProbabilities(clip, length, rate, av, speaker);
        } catch (IllegalArgumentException e) {
            // only a last, partial window can be too short for the card's features
            LOG.debug("skipped the window {}..{} s: {}", start / (double) rate, end / (double) rate, e.getMessage());
            history.clear();
            return null;
        }
        if (probs.isEmpty()) {
            history.clear();
            return null;
        }
        float[] p = probs.get();
        if (smoothing > 1) {
            history.addLast(p);
            while (history.size() > smoothing) {
                history.removeFirst();
            }
            float[] mean = new float[p.length];
            for (float[] h : history) {
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += h[i];
                }
            }
            for (int i = 0; i < mean.length; i++) {
                mean[i] = Math.min(1f, mean[i] / history.size());
            }
            p = mean;
        }
        EmotionPrediction prediction = EmotionPrediction.of(recognizer.labelList(), p, av[0], av[1]);
        return new EmotionSegment(segStart / rate, segEnd / rate, prediction);
    }
}
