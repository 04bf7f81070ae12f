package io.github.ser4j.onnx;

import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.ModelInfo;
import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.onnx.card.ModelCard;

import java.util.List;
import java.util.Optional;

/**
 * What an {@link OnnxEmotionRecognizer} runs: one card's model ({@link SingleModel}) or an ensemble of them
 * ({@link EnsembleModel}). A clip or window goes in, probabilities and arousal/valence come out; {@link WindowEngine}
 * and {@link RecordingAnalysis} work the same on both. A {@code speaker} argument is null for a single-clip call, or
 * a context this engine made (callers check that with {@link #checkContext}). Implementations are thread-safe.
 */
interface Engine {
    /** {@return the model's description} */
    ModelInfo info();

    /** {@return the labels in output order} */
    List<String> labels();

    /** {@return the streaming defaults} */
    ModelCard.Streaming streaming();

    /** {@return the rate a clip at {@code sourceRate} is analysed at} */
    int targetSampleRate(int sourceRate);

    /** {@return a new speaker context at the prior} */
    SpeakerContext newSpeakerContext();

    /**
     * {@return the context that each window of a stream, session or long recording with adaptation updates, or null
     * when this engine needs none}
     */
    SpeakerContext windowContext();

    /**
     * @return the context, if this engine made it
     * @throws IllegalArgumentException otherwise
     */
    SpeakerContext checkContext(SpeakerContext speaker);

    /** One clip, the first {@code length} samples: {@link EmotionPrediction#noSpeech} when no speech gate passes. */
    EmotionPrediction recognizeClip(float[] samples, int length, int sampleRate, SpeakerContext speaker);

    /** Clips in order; a failing clip's {@link IllegalArgumentException} names its index. */
    List<EmotionPrediction> recognizeAll(List<float[]> clips, int sampleRate, SpeakerContext speaker);

    /**
     * One window: empty when no speech gate passes; otherwise the probabilities, and arousal/valence written to
     * {@code avOut} (NaN when absent).
     */
    Optional<float[]> windowProbabilities(float[] samples, int length, int sampleRate, double[] avOut,
                                          SpeakerContext speaker);

    /** {@return model runs so far (a batch counts once)} */
    long modelRuns();

    /** @throws IllegalStateException if closed */
    void ensureOpen();

    /** {@return whether {@link #close()} has been called} */
    boolean isClosed();

    /** Closes every ONNX Runtime session once the runs in flight have finished; idempotent. */
    void close();
}
