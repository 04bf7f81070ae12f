package io.github.ser4j.api;

import java.util.Objects;

/**
 * What a model says about a whole recording, with how much audio it rests on: the result of
 * {@link EmotionRecognizer#analyze(AudioSource)}.
 *
 * <p>A recording no longer than the model's window ({@link ModelInfo#windowSeconds()}) is one clip: its
 * {@link #prediction()} is that of {@link EmotionRecognizer#recognize(float[], int)} on the whole recording, and
 * {@link #windows()} is 1 (0 without speech). A longer recording is cut into the sliding, voice-activity-gated windows
 * of {@link EmotionRecognizer#stream(AudioSource, StreamOptions)} with {@link StreamOptions#defaults()}, and its
 * prediction is the mean of the analysed windows' probabilities (and arousal/valence) weighted by the speech each
 * window holds (its voice-activity frames): a window with 2 s of speech counts twice as much as one with 1 s.
 *
 * <p>Immutable and thread-safe.
 *
 * @param prediction      the recording's prediction; {@link EmotionPrediction#isSpeech()} is false when no window
 *                        was analysed
 * @param durationSeconds the recording's length, from the frames read at its own rate
 * @param speechSeconds   how much of it the voice-activity detector marks as speech (whole detector frames)
 * @param windows         how many windows the prediction aggregates: 1 for a clip within the model's window, 0
 *                        without speech
 */
public record RecordingPrediction(EmotionPrediction prediction, double durationSeconds, double speechSeconds,
                                  int windows) {
    /**
     * @throws IllegalArgumentException if a duration is negative or not finite, {@code windows} is negative, or
     *                                  {@code windows} is 0 for a speech prediction or positive for a no-speech one
     */
    public RecordingPrediction {
        Objects.requireNonNull(prediction, "prediction");
        if (!(durationSeconds >= 0) || Double.isInfinite(durationSeconds)) {
            throw new IllegalArgumentException("durationSeconds must be finite and >= 0, got " + durationSeconds);
        }
        if (!(speechSeconds >= 0) || Double.isInfinite(speechSeconds)) {
            throw new IllegalArgumentException("speechSeconds must be finite and >= 0, got " + speechSeconds);
        }
        if (windows < 0 || (windows > 0) != prediction.isSpeech()) {
            throw new IllegalArgumentException(windows + " windows for a " + (prediction.isSpeech() ? "speech"
                    : "no-speech") + " prediction: a speech prediction aggregates at least one window, a no-speech "
                    + "one none");
        }
    }
}
