package io.github.ser4j.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Recognises the emotion expressed in speech: one prediction for a clip, or a timeline of segments for a stream.
 *
 * <pre>{@code
 * try (EmotionRecognizer ser = EmotionRecognizer.create()) {
 *     EmotionPrediction p = ser.recognize(Path.of("call.wav"));
 *     System.out.println(p.label() + " " + p.confidence());
 * }
 * }</pre>
 *
 * <p>Recognisers are found through {@link java.util.ServiceLoader} ({@link io.github.ser4j.api.spi.RecognizerProvider}):
 * add {@code ser-onnx} to the class path for the ONNX Runtime backend, and {@code ser-model-default} for the default
 * model that {@link #create()} loads (its weights are for non-commercial use only).
 *
 * <p>Thread-safety: a recogniser is safe to share across threads, and sharing one is the intended use (it holds the
 * loaded model once). {@link #close()} may race with calls in flight on other threads: those calls finish or fail
 * with {@link IllegalStateException}, never crash the JVM, and every call after {@code close()} throws
 * {@link IllegalStateException}.
 *
 * <p>Speaker adaptation: a model whose card adapts features to the speaker ({@code features.adapt}) normalises each
 * clip by the running statistics of the same speaker's clips. Streams and push sessions keep one such state each
 * across their windows (one speaker per stream; {@link StreamOptions#adaptation()}), {@link #analyze(AudioSource)}
 * one per recording, and clips use a {@link SpeakerContext} ({@link #newSpeakerContext()}) when given one; without
 * one, a clip is normalised by the card's prior and itself alone.
 */
public interface EmotionRecognizer extends AutoCloseable {

    /**
     * @return a recogniser on the default model, run by the highest-priority backend that has it
     * @throws BackendNotFoundException if no backend or no default model is on the class path (the message names
     *                                  the artifact to add, {@code ser-model-default}, and the model-card alternative)
     */
    static EmotionRecognizer create() {
        return create(RecognizerOptions.defaults());
    }

    /**
     * @param options how to run the model
     * @return a recogniser on the default model, run by the highest-priority backend that has it
     * @throws BackendNotFoundException if no backend or no default model is on the class path (the message names
     *                                  the artifact to add, {@code ser-model-default}, and the model-card alternative)
     */
    static EmotionRecognizer create(RecognizerOptions options) {
        return Backends.defaultRecognizer(options);
    }

    /**
     * @param modelCard path of a model card (JSON) beside its model file
     * @return a recogniser on that model
     * @throws ModelException           if the card or model is unusable
     * @throws BackendNotFoundException if no backend accepts the card
     */
    static EmotionRecognizer create(Path modelCard) {
        return create(modelCard, RecognizerOptions.defaults());
    }

    /**
     * @param modelCard path of a model card (JSON) beside its model file
     * @param options   how to run the model
     * @return a recogniser on that model
     * @throws ModelException           if the card or model is unusable
     * @throws BackendNotFoundException if no backend accepts the card
     */
    static EmotionRecognizer create(Path modelCard, RecognizerOptions options) {
        return Backends.recognizer(modelCard, options);
    }

    /** {@return what the model is: labels, expected sample rate, streaming defaults, provenance} */
    ModelInfo model();

    /** {@return the model's labels, in the order of {@link EmotionPrediction#probabilities()}} */
    default List<String> labels() {
        return model().labels();
    }

    /**
     * Recognises one clip. The clip is resampled to the model's rate and padded or cropped as its card says,
     * whatever its length (to analyse a long recording whole, use {@code analyze(AudioSource.of(samples, rate))}).
     *
     * @param samples    mono samples, nominally in [-1, 1]; not modified
     * @param sampleRate their rate in Hz
     * @return the prediction ({@link EmotionPrediction#isSpeech()} false for silence)
     * @throws IllegalArgumentException if the clip is empty or holds NaN or infinite samples
     * @throws IllegalStateException    if the recogniser is closed
     */
    EmotionPrediction recognize(float[] samples, int sampleRate);

    /**
     * Makes a new, empty context for one speaker's clips, for models that adapt their features to the speaker (a
     * card's {@code features.adapt}); for other models the context only counts clips.
     *
     * @return a context at the card's prior, to pass to {@link #recognize(float[], int, SpeakerContext)} and the
     *         other methods taking one, on this recogniser only
     * @throws IllegalStateException         if the recogniser is closed
     * @throws UnsupportedOperationException if this backend has no speaker contexts (the ONNX backend has)
     */
    default SpeakerContext newSpeakerContext() {
        throw new UnsupportedOperationException(getClass().getName() + " has no speaker contexts");
    }

    /**
     * Recognises one clip of a speaker, as {@link #recognize(float[], int)}, and updates the speaker's context: with a
     * model that adapts to the speaker, the clip's features are normalised by the running statistics of the speaker's
     * clips so far, this one included (a clip without speech leaves the context unchanged).
     *
     * @param samples    mono samples, nominally in [-1, 1]; not modified
     * @param sampleRate their rate in Hz
     * @param speaker    the speaker's context, from this recogniser's {@link #newSpeakerContext()}
     * @return the prediction
     * @throws IllegalArgumentException      if the clip is empty or holds NaN or infinite samples, or the context
     *                                       comes from another recogniser
     * @throws IllegalStateException         if the recogniser is closed
     * @throws UnsupportedOperationException if this backend has no speaker contexts
     */
    default EmotionPrediction recognize(float[] samples, int sampleRate, SpeakerContext speaker) {
        throw new UnsupportedOperationException(getClass().getName() + " has no speaker contexts");
    }

    /**
     * Recognises clips of one speaker, in order, as {@link #recognizeAll(List, int)}: each clip with speech updates
     * the context before it is normalised, exactly as calling {@link #recognize(float[], int, SpeakerContext)} on
     * each in turn; the model still runs in batches.
     *
     * @param clips      mono clips of one speaker, in the order they were spoken; none modified
     * @param sampleRate their common rate in Hz
     * @param speaker    the speaker's context, from this recogniser's {@link #newSpeakerContext()}
     * @return one prediction per clip, in order
     * @throws IllegalArgumentException      if a clip is empty or holds NaN or infinite samples (the message gives its
     *                                       index), or the context comes from another recogniser
     * @throws IllegalStateException         if the recogniser is closed
     * @throws UnsupportedOperationException if this backend has no speaker contexts
     */
    default List<EmotionPrediction> recognizeAll(List<float[]> clips, int sampleRate, SpeakerContext speaker) {
        throw new UnsupportedOperationException(getClass().getName() + " has no speaker contexts");
    }

    /**
     * Recognises a whole source of one speaker, as {@link #recognize(AudioSource)}, updating the speaker's context
     * with the clip (a source within one window) or with each analysed window (a longer one). The source is not
     * closed.
     *
     * @param source  the audio
     * @param speaker the speaker's context, from this recogniser's {@link #newSpeakerContext()}
     * @return the prediction
     * @throws AudioException                if reading fails
     * @throws IllegalArgumentException      if the context comes from another recogniser
     * @throws IllegalStateException         if the recogniser is closed
     * @throws UnsupportedOperationException if this backend has no speaker contexts
     */
    default EmotionPrediction recognize(AudioSource source, SpeakerContext speaker) {
        throw new UnsupportedOperationException(getClass().getName() + " has no speaker contexts");
    }

    /**
     * Recognises an audio file of one speaker, as {@link #recognize(AudioSource, SpeakerContext)}.
     *
     * @param file    the audio file
     * @param speaker the speaker's context, from this recogniser's {@link #newSpeakerContext()}
     * @return the prediction
     * @throws AudioException                if the file cannot be read
     * @throws IllegalArgumentException      if the context comes from another recogniser
     * @throws IllegalStateException         if the recogniser is closed
     * @throws UnsupportedOperationException if this backend has no speaker contexts
     */
    default EmotionPrediction recognize(Path file, SpeakerContext speaker) {
        try (AudioSource source = AudioSource.open(file)) {
            return recognize(source, speaker);
        } catch (IOException e) {
            throw new AudioException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Recognises many clips in as few model runs as the backend allows.
     *
     * @param clips      mono clips; none modified
     * @param sampleRate their common rate in Hz
     * @return one prediction per clip, in order
     * @throws IllegalArgumentException if a clip is empty or holds NaN or infinite samples (the message gives its index)
     * @throws IllegalStateException    if the recogniser is closed
     */
    List<EmotionPrediction> recognizeAll(List<float[]> clips, int sampleRate);

    /**
     * Recognises a whole source: {@code analyze(source).prediction()}. A source no longer than the model's window
     * ({@link ModelInfo#windowSeconds()}) is one clip, mixed down, resampled and padded or cropped as the card says; a
     * longer one is analysed whole, in voice-activity-gated sliding windows whose probabilities are averaged weighted
     * by the speech each holds ({@link #analyze(AudioSource)}). The source is not closed.
     *
     * @param source the audio
     * @return the prediction
     * @throws AudioException        if reading fails
     * @throws IllegalStateException if the recogniser is closed
     */
    EmotionPrediction recognize(AudioSource source);

    /**
     * Recognises an audio file through the audio backend on the class path, as {@link #recognize(AudioSource)}: a
     * file longer than the model's window is analysed whole (speech-weighted mean of its windows).
     *
     * @param file the audio file (WAV, AIFF, FLAC… recognised from its bytes)
     * @return the prediction
     * @throws AudioException        if the file cannot be read
     * @throws IllegalStateException if the recogniser is closed
     */
    default EmotionPrediction recognize(Path file) {
        try (AudioSource source = AudioSource.open(file)) {
            return recognize(source);
        } catch (IOException e) {
            throw new AudioException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Analyses a whole recording, reading it once to its end through bounded buffers (memory does not grow with its
     * length). A recording no longer than the model's window ({@link ModelInfo#windowSeconds()}) is one clip, exactly
     * as {@link #recognize(float[], int)}. A longer one is walked in the sliding windows of
     * {@link #stream(AudioSource, StreamOptions)} with {@link StreamOptions#defaults()} (the card's window and hop,
     * windows without speech skipped), and the result is the <b>speech-duration-weighted mean</b> of the analysed
     * windows' probabilities: each window weighs the seconds of speech the voice-activity detector finds in it. See
     * {@link RecordingPrediction} for what is reported. The source is not closed.
     *
     * @param source the audio, any rate and channel count
     * @return the prediction with the recording's duration, speech seconds and number of windows
     * @throws AudioException                if reading fails ({@link CorruptAudioException} for non-finite samples
     *                                       or a source delivering another length than it stated)
     * @throws IllegalArgumentException      if the source delivers no samples
     * @throws IllegalStateException         if the recogniser is closed
     * @throws UnsupportedOperationException if this backend cannot analyse recordings (the ONNX backend can)
     */
    default RecordingPrediction analyze(AudioSource source) {
        throw new UnsupportedOperationException(getClass().getName() + " does not analyse whole recordings");
    }

    /**
     * Analyses an audio file whole, as {@link #analyze(AudioSource)}, through the audio backend on the class path.
     *
     * @param file the audio file (WAV, AIFF, FLAC… recognised from its bytes)
     * @return the prediction with the file's duration, speech seconds and number of windows
     * @throws AudioException        if the file cannot be read
     * @throws IllegalStateException if the recogniser is closed
     */
    default RecordingPrediction analyze(Path file) {
        try (AudioSource source = AudioSource.open(file)) {
            return analyze(source);
        } catch (IOException e) {
            throw new AudioException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Walks a source window by window and delivers a timeline of segments as they are ready. The returned stream owns
     * the source and closes it.
     *
     * @param source  the audio, any format (mixed down and resampled on the fly)
     * @param options windowing, voice-activity gating, smoothing and auto-stop
     * @return the segments, lazily
     * @throws IllegalStateException if the recogniser is closed
     */
    SegmentStream stream(AudioSource source, StreamOptions options);

    /**
     * Streams a source to a callback, on the calling thread, until it ends; then closes it.
     *
     * @param source   the audio
     * @param options  windowing, gating, smoothing and auto-stop
     * @param listener called once per segment, in time order
     */
    default void stream(AudioSource source, StreamOptions options, Consumer<? super EmotionSegment> listener) {
        try (SegmentStream segments = stream(source, options)) {
            segments.forEachRemaining(listener);
        }
    }

    /**
     * Opens a push-style session: the application feeds audio as it arrives and gets the segments that
     * {@link #stream(AudioSource, StreamOptions)} would give for the same audio.
     *
     * @param format   sample rate (any; resampled to the model's) and channel count (mixed down) of the audio fed in
     * @param encoding how {@link RecognitionSession#accept(byte[], int, int)} reads bytes (floats are always accepted)
     * @param options  windowing, gating, smoothing and auto-stop
     * @param listener receives each segment on the feeding thread, or {@code null} to queue them for
     *                 {@link RecognitionSession#poll()}
     * @return the session; close it when done
     * @throws IllegalStateException         if the recogniser is closed
     * @throws UnsupportedOperationException if this backend has no push sessions (the ONNX backend has)
     */
    default RecognitionSession session(PcmFormat format, PcmEncoding encoding, StreamOptions options,
                                       Consumer<? super EmotionSegment> listener) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support push sessions");
    }

    /**
     * Opens a push-style session whose segments are collected with {@link RecognitionSession#poll()}.
     *
     * @param format   sample rate and channel count of the audio fed in
     * @param encoding how {@link RecognitionSession#accept(byte[], int, int)} reads bytes
     * @param options  windowing, gating, smoothing and auto-stop
     * @return the session; close it when done
     * @see #session(PcmFormat, PcmEncoding, StreamOptions, Consumer)
     */
    default RecognitionSession session(PcmFormat format, PcmEncoding encoding, StreamOptions options) {
        return session(format, encoding, options, null);
    }

    /**
     * @param source the audio; closed at the end
     * @return the timeline of the whole source with {@link StreamOptions#defaults()}
     */
    default List<EmotionSegment> timeline(AudioSource source) {
        List<EmotionSegment> segments = new ArrayList<>();
        stream(source, StreamOptions.defaults(), segments::add);
        return segments;
    }

    /** Releases the model and its native resources. Idempotent; see the class comment for concurrent calls. */
    @Override
    void close();
}
