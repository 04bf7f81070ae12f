package io.github.ser4j.examples.analysis;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.RecordingPrediction;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.dsp.signal.CountingAudioSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Analyses one input with a shared recogniser, either whole (one prediction) or as a timeline, and turns every failure of that
 * input into an {@link AnalysisResult#failure error result} so that a batch or a server carries on.
 *
 * <p>Thread-safe: the recogniser is shared (as {@link EmotionRecognizer} intends) and each call opens its own source.
 */
public final class Analyzer {
    private final EmotionRecognizer recognizer;
    private final StreamOptions streamOptions;
    private final long maxSamples;

    /**
     * An analyser with the default cap on decoded samples ({@link BoundedAudio#DEFAULT_MAX_SAMPLES}).
     *
     * @param recognizer    the shared recogniser; not closed by this class
     * @param streamOptions windowing for timelines
     */
    public Analyzer(EmotionRecognizer recognizer, StreamOptions streamOptions) {
        this(recognizer, streamOptions, BoundedAudio.DEFAULT_MAX_SAMPLES);
    }

    /**
     * @param recognizer    the shared recogniser; not closed by this class
     * @param streamOptions windowing for timelines
     * @param maxSamples    the most decoded samples (frames x channels) an input may hold; more is an error result
     */
    public Analyzer(EmotionRecognizer recognizer, StreamOptions streamOptions, long maxSamples) {
        this.recognizer = Objects.requireNonNull(recognizer, "recognizer");
        this.streamOptions = Objects.requireNonNull(streamOptions, "streamOptions");
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples must be positive, got " + maxSamples);
        }
        this.maxSamples = maxSamples;
    }

    /** {@return the recogniser in use} */
    public EmotionRecognizer recognizer() {
        return recognizer;
    }

    /**
     * @param input    the input's name for the result
     * @param opener   opens the audio from its start, once (on this thread; its exceptions become an error result)
     * @param timeline whether to produce a timeline rather than one prediction for the whole file (the
     *                 speech-weighted mean of its windows when it is longer than the model's window,
     *                 {@link EmotionRecognizer#analyze(AudioSource)})
     * @return the result; never throws for a bad input
     */
    public AnalysisResult analyze(String input, Supplier<? extends AudioSource> opener, boolean timeline) {
        try {
            CountingAudioSource source = new CountingAudioSource(BoundedAudio.open(opener, maxSamples));
            if (timeline) {
                List<EmotionSegment> segments = new ArrayList<>();
                try (SegmentStream stream = recognizer.stream(source, streamOptions)) {
                    stream.forEachRemaining(segments::add);
                }
                return marked(AnalysisResult.timeline(input, source.secondsRead(),
                        Segments.mergeSameSpans(segments)), source);
            }
            try (source) {
                RecordingPrediction p = recognizer.analyze(source);
                return marked(AnalysisResult.of(input, source.secondsRead(), p), source);
            }
        } catch (IOException | RuntimeException e) {
            return AnalysisResult.failure(input, e);
        }
    }

    /**
     * Recognises one input of a speaker whole, through the same bounded reading as
     * {@link #analyze(String, Supplier, boolean)}, with {@link EmotionRecognizer#recognize(AudioSource, SpeakerContext)}:
     * the prediction is adapted to the speaker's earlier inputs, and the context is updated. Call it for one speaker's
     * inputs in order, from one thread. An input that fails to open leaves the context untouched; one that fails while
     * being read or recognised may have updated it (the API leaves its state unspecified) and the caller carries on.
     *
     * @param input   the input's name for the result
     * @param opener  opens the audio from its start, once (on this thread; its exceptions become an error result)
     * @param speaker the speaker's context, from this analyser's recogniser
     * @return the result (no speech seconds or window count: the adapted call does not report them); never throws for
     *         a bad input
     */
    public AnalysisResult analyze(String input, Supplier<? extends AudioSource> opener, SpeakerContext speaker) {
        Objects.requireNonNull(speaker, "speaker");
        try {
            CountingAudioSource source = new CountingAudioSource(BoundedAudio.open(opener, maxSamples));
            try (source) {
                EmotionPrediction p = recognizer.recognize(source, speaker);
                return marked(AnalysisResult.of(input, source.secondsRead(), p), source);
            }
        } catch (IOException | RuntimeException e) {
            return AnalysisResult.failure(input, e);
        }
    }

    private static AnalysisResult marked(AnalysisResult r, CountingAudioSource source) {
        return source.truncated()
                ? r.truncatedFrom(source.declaredFrameLength() / (double) source.format().sampleRate()) : r;
    }
}
