package io.github.ser4j.api;

/**
 * One speaker's adaptation state: the running feature statistics of the clips a recogniser has seen from that speaker,
 * for models whose card adapts its features to the speaker ({@code features.adapt} in {@code docs/model-card.md}), and
 * the running sums of their log-probabilities for models whose card adapts their output ({@code output.adapt}).
 *
 * <pre>{@code
 * SpeakerContext alice = ser.newSpeakerContext();
 * for (float[] clip : aliceClips) {
 *     EmotionPrediction p = ser.recognize(clip, 16000, alice);  // normalised by Alice's clips so far, this one included
 * }
 * }</pre>
 *
 * <p>Obtain one with {@link EmotionRecognizer#newSpeakerContext()} and pass it only to the recogniser that made it
 * (another recogniser rejects it with {@link IllegalArgumentException}). Each clip recognised with a context updates it
 * <b>before</b> the clip is normalised (features) or its probabilities are adapted (output), so results depend on the
 * order of the clips; clips the model's speech gate rejects do not update it. Use one context per speaker; a clip
 * recognised without a context has its features normalised by the card's prior and itself alone, and its output left
 * as the model gave it. For a model without adaptation, a context only counts clips. After a call with the context
 * throws, its state is unspecified: {@link #reset()} it.
 *
 * <p>Thread-safety: implementations are thread-safe (each step's update is atomic), but clips of one context recognised
 * concurrently update it in an unspecified order; feed one speaker's clips from one thread for reproducible results.
 */
public interface SpeakerContext {

    /** {@return how many clips (or windows) have updated this context since it was made or reset} */
    long clips();

    /** {@return whether the recogniser's model adapts to the speaker; false: the context only counts clips} */
    boolean adaptive();

    /** Forgets the speaker: back to the card's prior, as a new context. */
    void reset();
}
