package io.github.ser4j.dsp.vad;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.vad.VoiceActivityDetector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Cuts a mono stream into {@link SpeechSegment}s with a {@link VoiceActivityDetector}, and stops the stream after a
 * configurable stretch of silence that follows speech.
 *
 * <p>Feed audio in chunks of any size with {@link #process(float[], int, int, Consumer)}; each segment is delivered
 * once it has ended (the detector's hangover has run out), and {@link #flush(Consumer)} delivers the one still open
 * at the end of the stream. Boundaries are placed on decision frames ({@link VoiceActivityDetector#frameSize()}):
 * with an {@link EnergyVad} a segment starts at the first voiced frame of the run that opened it (the onset delay is
 * taken back) and ends after its last confirmed voiced frame (the hangover and the detector's
 * {@link EnergyVad#endLagFrames() integration lag} are not counted); with any other detector
 * it spans the frames the detector reported as speech.
 *
 * <p>Auto-stop: after {@link Builder#silenceStopSeconds(double) silenceStopSeconds} (2 s by default) without voice,
 * counted from the end of the last segment, {@link #isStopped()} turns true and further audio is not consumed.
 * Silence before the first speech never stops the stream.
 *
 * <p>No allocation per frame; one {@link SpeechSegment} per segment delivered.
 *
 * <p>Why it is public although the recognizer does not use it: {@code EmotionRecognizer.stream} and
 * {@code session} cut audio into fixed windows gated by the detector, not into segments. This class is for callers
 * who want the speech itself (cut a recording or a microphone take into utterances, stop recording after silence,
 * then recognise each utterance); ser-audio-javasound's README shows it on a microphone.
 *
 * <p>Thread-safety: not thread-safe; one segmenter per stream, fed by one thread at a time. The {@link Builder} is
 * not thread-safe either.
 */
public final class SpeechSegmenter {
    private final VoiceActivityDetector vad;
    private final EnergyVad energy;
    private final int sampleRate;
    private final int frameSize;
    private final long stopFrames;
    private final long minSegmentFrames;
    private final float[] frame;

    private int fill;
    private long frameIndex;
    private boolean inSegment;
    private long segmentStartFrame;
    private long runStartFrame;
    private long lastVoicedEndFrame;
    private boolean hadSpeech;
    private boolean stopped;

    private SpeechSegmenter(Builder b) {
        this.sampleRate = b.sampleRate;
        this.vad = Objects.requireNonNull(b.vad.create(b.sampleRate), "the VAD factory returned null");
        if (vad.sampleRate() != sampleRate) {
            throw new IllegalArgumentException("the detector runs at " + vad.sampleRate()
                    + " Hz but the segmenter at " + sampleRate + " Hz");
        }
        this.energy = vad instanceof EnergyVad ? (EnergyVad) vad : null;
        this.frameSize = vad.frameSize();
        if (frameSize < 1) {
            throw new IllegalArgumentException("the detector's frameSize must be positive, got " + frameSize);
        }
        double frameSec = (double) frameSize / sampleRate;
        this.stopFrames = Double.isInfinite(b.silenceStopSeconds)
                ? Long.MAX_VALUE
                : Math.max(1, (long) Math.ceil(b.silenceStopSeconds / frameSec - 1e-9));
        this.minSegmentFrames = (long) Math.ceil(b.minSegmentSeconds / frameSec - 1e-9);
        this.frame = new float[frameSize];
        reset();
    }

    /**
     * @param sampleRate the stream's rate in Hz
     * @return a builder with the default detector ({@link EnergyVad} defaults), 2 s auto-stop and no minimum length
     */
    public static Builder builder(int sampleRate) {
        return new Builder(sampleRate);
    }

    /** {@return the stream's rate in Hz} */
    public int sampleRate() {
        return sampleRate;
    }

    /**
     * Feeds the next chunk of the stream. Segments that end inside it are delivered to {@code listener} before the
     * call returns. Once {@link #isStopped()}, no more audio is consumed.
     *
     * @param samples  mono samples at {@link #sampleRate()}; not modified
     * @param offset   index of the first sample to use
     * @param length   number of samples to use
     * @param listener receives each completed segment
     * @return the number of samples consumed: {@code length}, or fewer if auto-stop fired inside the chunk
     * @throws IllegalArgumentException if the range does not fit in {@code samples}
     */
    public int process(float[] samples, int offset, int length, Consumer<? super SpeechSegment> listener) {
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(listener, "listener");
        if (offset < 0 || length < 0 || offset > samples.length - length) {
            throw new IllegalArgumentException("range [" + offset + ", " + offset + " + " + length
                    + ") does not fit in an array of " + samples.length);
        }
        int used = 0;
        while (used < length && !stopped) {
            int n = Math.min(frameSize - fill, length - used);
            System.arraycopy(samples, offset + used, frame, fill, n);
            fill += n;
            used += n;
            if (fill == frameSize) {
                fill = 0;
                step(listener);
            }
        }
        return used;
    }

    /**
     * Ends the stream: delivers the segment still open, if any. A partial last frame is ignored. The segmenter can
     * then be {@link #reset()} for a new stream.
     *
     * @param listener receives the last segment
     */
    public void flush(Consumer<? super SpeechSegment> listener) {
        Objects.requireNonNull(listener, "listener");
        if (inSegment) {
            inSegment = false;
            emit(listener, segmentStartFrame, Math.max(lastVoicedEndFrame, segmentStartFrame + 1));
        }
    }

    /**
     * Segments a whole buffer: {@link #process process} then {@link #flush flush}.
     *
     * @param samples mono samples at {@link #sampleRate()}; not modified
     * @return the segments in time order
     */
    public List<SpeechSegment> segmentAll(float[] samples) {
        List<SpeechSegment> out = new ArrayList<>();
        process(samples, 0, samples.length, out::add);
        flush(out::add);
        return out;
    }

    /**
     * Reads a mono source to its end (or until auto-stop) and segments it. The source is not closed.
     *
     * @param source   mono audio at {@link #sampleRate()}
     * @param listener receives each segment, the last one when the source ends
     * @return the number of samples consumed
     * @throws IOException              if reading fails
     * @throws IllegalArgumentException if the source is not mono at {@link #sampleRate()}
     */
    public long run(AudioSource source, Consumer<? super SpeechSegment> listener) throws IOException {
        if (source.format().channels() != 1 || source.format().sampleRate() != sampleRate) {
            throw new IllegalArgumentException("the source delivers " + source.format()
                    + " but the segmenter needs mono at " + sampleRate + " Hz (mix down and resample first)");
        }
        float[] buf = new float[Math.max(frameSize, 4096)];
        long total = 0;
        int n;
        while (!stopped && (n = source.read(buf, 0, buf.length)) > 0) {
            total += process(buf, 0, n, listener);
        }
        flush(listener);
        return total;
    }

    /** {@return true once auto-stop has fired} */
    public boolean isStopped() {
        return stopped;
    }

    /** Forgets the stream (and resets the detector), as if newly built. */
    public void reset() {
        vad.reset();
        fill = 0;
        frameIndex = 0;
        inSegment = false;
        segmentStartFrame = 0;
        runStartFrame = -1;
        lastVoicedEndFrame = 0;
        hadSpeech = false;
        stopped = false;
    }

    private void step(Consumer<? super SpeechSegment> listener) {
        long k = frameIndex++;
        boolean speech = vad.isSpeech(frame, 0);
        if (energy != null) {
            // confirmed voice: a run of at least onsetFrames voiced frames (isolated spikes do not count)
            int run = energy.voicedRunFrames();
            runStartFrame = run > 0 ? k - run + 1 : -1;
            if (run >= energy.onsetFrames()) {
                lastVoicedEndFrame = Math.max(runStartFrame + 1, k + 1 - energy.endLagFrames());
            }
        } else if (speech) {
            lastVoicedEndFrame = k + 1;
        }
        if (!inSegment && speech) {
            inSegment = true;
            hadSpeech = true;
            segmentStartFrame = energy != null && runStartFrame >= 0 ? runStartFrame : k;
        } else if (inSegment && !speech) {
            inSegment = false;
            emit(listener, segmentStartFrame, energy != null ? lastVoicedEndFrame : k);
        }
        if (hadSpeech && !inSegment && k + 1 - lastVoicedEndFrame >= stopFrames) {
            stopped = true;
        }
    }

    private void emit(Consumer<? super SpeechSegment> listener, long startFrame, long endFrame) {
        if (endFrame - startFrame >= Math.max(1, minSegmentFrames)) {
            listener.accept(new SpeechSegment(startFrame * frameSize, endFrame * frameSize, sampleRate));
        }
    }

    /** Settings of a {@link SpeechSegmenter}. Mutable, not thread-safe. */
    public static final class Builder {
        private final int sampleRate;
        private VoiceActivityDetector.Factory vad = EnergyVad::create;
        private double silenceStopSeconds = 2.0;
        private double minSegmentSeconds = 0;

        private Builder(int sampleRate) {
            if (sampleRate < 1 || sampleRate > io.github.ser4j.api.PcmFormat.MAX_SAMPLE_RATE) {
                throw new IllegalArgumentException("sampleRate must be 1.."
                        + io.github.ser4j.api.PcmFormat.MAX_SAMPLE_RATE + " Hz, got " + sampleRate);
            }
            this.sampleRate = sampleRate;
        }

        /**
         * @param factory the detector to use (default: {@link EnergyVad} with its defaults)
         * @return this builder
         */
        public Builder vad(VoiceActivityDetector.Factory factory) {
            this.vad = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * @param seconds silence after speech that stops the stream: positive, or
         *                {@link Double#POSITIVE_INFINITY} for never (default 2)
         * @return this builder
         */
        public Builder silenceStopSeconds(double seconds) {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("silenceStopSeconds must be positive, got " + seconds);
            }
            this.silenceStopSeconds = seconds;
            return this;
        }

        /**
         * @param seconds segments shorter than this are dropped, 0 to 10 s (default 0: keep all)
         * @return this builder
         */
        public Builder minSegmentSeconds(double seconds) {
            if (!(seconds >= 0 && seconds <= 10)) {
                throw new IllegalArgumentException("minSegmentSeconds must be in [0, 10], got " + seconds);
            }
            this.minSegmentSeconds = seconds;
            return this;
        }

        /** {@return a new segmenter with its own detector} */
        public SpeechSegmenter build() {
            return new SpeechSegmenter(this);
        }
    }
}
