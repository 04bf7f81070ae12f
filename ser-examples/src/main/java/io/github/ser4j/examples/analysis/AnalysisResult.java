package io.github.ser4j.examples.analysis;

import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.RecordingPrediction;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of analysing one input: a prediction for the whole clip, or a timeline of segments, or an error.
 * Immutable and thread-safe.
 *
 * @param input      the input's name as the user gave it (a path, an upload name)
 * @param duration   seconds of audio read; NaN when reading failed before the end
 * @param prediction the whole-file prediction; null for a timeline or an error
 * @param segments   the timeline; null for a whole-clip prediction or an error
 * @param errorType  the simple class name of the failure; null on success
 * @param error      what went wrong; null on success
 * @param declaredDuration seconds the file's header declares when the file holds less (a truncated file, analysed
 *                   as far as it goes); NaN otherwise
 * @param speech     seconds of speech the voice-activity detector found, for a whole-file prediction; NaN otherwise
 *                   (also for a prediction that does not report it)
 * @param windows    windows the whole-file prediction aggregates ({@link RecordingPrediction#windows()}); -1 for a
 *                   timeline, an error, or a prediction that does not report it
 *                   ({@link #of(String, double, EmotionPrediction)})
 */
public record AnalysisResult(String input, double duration, EmotionPrediction prediction,
                             List<EmotionSegment> segments, String errorType, String error,
                             double declaredDuration, double speech, int windows) {
    /** Checks that exactly one of prediction, segments and error is set. */
    public AnalysisResult {
        Objects.requireNonNull(input, "input");
        int set = (prediction != null ? 1 : 0) + (segments != null ? 1 : 0) + (error != null ? 1 : 0);
        if (set != 1) {
            throw new IllegalArgumentException("exactly one of prediction, segments and error must be set");
        }
        segments = segments == null ? null : List.copyOf(segments);
    }

    /**
     * @param input     the input's name
     * @param duration  seconds of audio
     * @param recording the whole-file prediction with its speech seconds and windows
     * @return a success
     */
    public static AnalysisResult of(String input, double duration, RecordingPrediction recording) {
        return new AnalysisResult(input, duration, recording.prediction(), null, null, null, Double.NaN,
                recording.speechSeconds(), recording.windows());
    }

    /**
     * @param input      the input's name
     * @param duration   seconds of audio
     * @param prediction a whole-file prediction without speech seconds or window count (one recognised with a
     *                   speaker context); {@link #speech()} is NaN and {@link #windows()} -1
     * @return a success
     */
    public static AnalysisResult of(String input, double duration, EmotionPrediction prediction) {
        return new AnalysisResult(input, duration, Objects.requireNonNull(prediction, "prediction"), null, null, null,
                Double.NaN, Double.NaN, -1);
    }

    /**
     * @param input    the input's name
     * @param duration seconds of audio
     * @param segments the timeline, possibly empty (no speech at all)
     * @return a success
     */
    public static AnalysisResult timeline(String input, double duration, List<EmotionSegment> segments) {
        return new AnalysisResult(input, duration, null, Objects.requireNonNull(segments), null, null, Double.NaN,
                Double.NaN, -1);
    }

    /**
     * @param input the input's name
     * @param e     what went wrong
     * @return a failure
     */
    public static AnalysisResult failure(String input, Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : e.getMessage();
        return new AnalysisResult(input, Double.NaN, null, null, e.getClass().getSimpleName(), message, Double.NaN,
                Double.NaN, -1);
    }

    /**
     * @param seconds what the header declares
     * @return this result, marked as coming from a file shorter than its header says
     */
    public AnalysisResult truncatedFrom(double seconds) {
        return new AnalysisResult(input, duration, prediction, segments, errorType, error, seconds, speech, windows);
    }

    /** {@return whether the file was shorter than its header declares (it was analysed as far as it goes)} */
    public boolean truncated() {
        return !Double.isNaN(declaredDuration);
    }

    /** {@return whether the input was analysed} */
    public boolean ok() {
        return error == null;
    }

    /** {@return whether this is a timeline} */
    public boolean isTimeline() {
        return segments != null;
    }
}
