package io.github.ser4j.onnx;

import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.ModelInfo;
import io.github.ser4j.api.PcmEncoding;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.RecognitionSession;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.RecordingPrediction;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.spi.PackagedModel;
import io.github.ser4j.onnx.card.EnsembleCard;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;
import io.github.ser4j.onnx.pipeline.SpeakerStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An {@link EmotionRecognizer} on an ONNX model described by a {@link ModelCard}, run by ONNX Runtime.
 *
 * <pre>{@code
 * try (OnnxEmotionRecognizer ser = OnnxEmotionRecognizer.load(Path.of("models/my-ser/card.json"))) {
 *     EmotionPrediction p = ser.recognize(samples, 16000);
 * }
 * }</pre>
 * Applications usually go through {@link EmotionRecognizer#create()} / {@link EmotionRecognizer#create(Path)}, which
 * find this backend with {@link java.util.ServiceLoader}.
 *
 * <p>Loading checks the card against the model: input and output names, element type, every fixed axis of the input
 * shape, the label count against the output width; any disagreement is a {@link ModelException} naming the card field
 * and both values. It also checks the model file stays inside the card's folder and matches the card's SHA-256.
 *
 * <p>Clips: the card's speech gate decides first; a clip without speech gives {@link EmotionPrediction#noSpeech} and
 * the model is not run. {@link #recognizeAll(List, int)} runs the model once per group of up to {@value #MAX_BATCH}
 * clips whose inputs have the same shape (when the model has a batch axis).
 *
 * <p>Thread-safety: one instance is meant to be shared by all threads. It holds one {@code OrtSession} (whose
 * {@code run} ONNX Runtime makes thread-safe) and gives each thread its own native-order input buffer; every
 * {@code OnnxTensor} and {@code OrtSession.Result} is closed before a call returns. {@link #close()} may be called
 * while other threads are inside a call: model runs in flight finish first (a read-write lock), then the session is
 * closed; calls that start afterwards throw {@link IllegalStateException}.
 *
 * <p>Speaker adaptation ({@code features.adapt} in the card): each {@link SpeakerContext} from
 * {@link #newSpeakerContext()} is a {@link SpeakerStatistics} of this recogniser's pipeline (two double arrays of the
 * feature matrix's size, updated in place under the context's own lock); each stream and session holds one for its
 * windows (unless {@link StreamOptions#adaptation()} is false), and {@link #analyze(AudioSource)} one per recording.
 *
 * <p>Ensemble cards ({@link EnsembleCard}, loaded by the same methods as single-model cards): each member card has
 * its own pipeline and {@code OrtSession}, all closed by {@link #close()} (a failure while loading closes those
 * already open). A call is <em>adapted</em> when a speaker context is in play: the methods that take one, every
 * stream and session with {@link StreamOptions#adaptation()} true, and {@link #analyze(AudioSource)} /
 * {@link #recognize(AudioSource)} of a recording longer than one window; otherwise it is <em>single clip</em>. A call
 * runs the members whose {@code use} is {@code always} or its mode, each with its own speech gate and features; the
 * probabilities are the mean of those members that found speech, weighted by their {@code weight}
 * ({@link EmotionPrediction#noSpeech} when none did), and arousal/valence the same mean over those of them that give
 * it and whose {@code arousal_valence} is true (absent when none). {@link #newSpeakerContext()} holds one speaker
 * statistics per member. {@link #card()} and {@link #pipeline()} are for single-model cards only; see
 * {@link #ensembleCard()} and {@link #memberCards()}. Thread-safety is as above: one instance for all threads.
 */
public final class OnnxEmotionRecognizer implements EmotionRecognizer {
    /** The Maven coordinates of the default model, which {@link #loadDefault} finds when it is on the class path. */
    public static final String DEFAULT_MODEL_ARTIFACT = "io.github.ser4j:ser-model-default";
    /** Most clips {@link #recognizeAll(List, int)} puts in one model run. */
    public static final int MAX_BATCH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(OnnxEmotionRecognizer.class);

    private final Engine engine;
    /** The engine when it is one card's model, else null. */
    private final SingleModel single;
    /** The engine when it is an ensemble, else null. */
    private final EnsembleModel ensemble;

    private OnnxEmotionRecognizer(Engine engine, String source, RecognizerOptions options) {
        this.engine = engine;
        this.single = engine instanceof SingleModel s ? s : null;
        this.ensemble = engine instanceof EnsembleModel e ? e : null;
        LOG.debug("loaded model {} {} from {} ({})", engine.info().name(), engine.info().version(), source, options);
    }

    /** A single-model card and its model bytes. */
    private static OnnxEmotionRecognizer single(ModelCard card, byte[] model, RecognizerOptions options) {
        return new OnnxEmotionRecognizer(new SingleModel(card, model, options, MAX_BATCH), card.source(), options);
    }

    /** An ensemble card whose members are read from {@code files}. */
    private static OnnxEmotionRecognizer ensemble(byte[] json, String source, MemberFiles files,
                                                  RecognizerOptions options) {
        EnsembleCard card = EnsembleCard.parse(json, source);
        return new OnnxEmotionRecognizer(EnsembleModel.load(card, files, options, MAX_BATCH), source, options);
    }

    /**
     * Loads the model of a card on the file system with default options.
     *
     * @param modelCard path of the card (single-model or ensemble); the model file or member cards are resolved
     *                  against its folder
     * @return the recogniser
     * @throws ModelException if the card or model is unusable (the message names the field or file)
     */
    public static OnnxEmotionRecognizer load(Path modelCard) {
        return load(modelCard, RecognizerOptions.defaults());
    }

    /**
     * Loads the model of a card on the file system.
     *
     * @param modelCard path of the card (single-model or ensemble); the model file or member cards are resolved
     *                  against its folder
     * @param options   session options
     * @return the recogniser
     * @throws ModelException if the card or model is unusable (the message names the field or file)
     */
    public static OnnxEmotionRecognizer load(Path modelCard, RecognizerOptions options) {
        Objects.requireNonNull(modelCard, "modelCard");
        Objects.requireNonNull(options, "options");
        byte[] json = ModelFiles.readCardFile(modelCard);
        if (EnsembleCard.isEnsemble(json)) {
            return ensemble(json, modelCard.toString(), MemberFiles.of(modelCard), options);
        }
        ModelCard card = ModelCard.parse(json, modelCard.toString());
        return single(card, ModelFiles.read(card, modelCard, options.verifyModelHash()), options);
    }

    /**
     * Loads a card and its model from the class path.
     *
     * @param cardResource absolute resource name of the card (single-model or ensemble), e.g.
     *                     {@code /models/mine/card.json}
     * @param options      session options
     * @return the recogniser
     * @throws ModelException if the resource is missing or the card or model is unusable
     */
    public static OnnxEmotionRecognizer loadResource(String cardResource, RecognizerOptions options) {
        Objects.requireNonNull(cardResource, "cardResource");
        Objects.requireNonNull(options, "options");
        if (!cardResource.startsWith("/")) {
            throw new IllegalArgumentException("cardResource must be absolute (start with '/'), got " + cardResource);
        }
        byte[] json = ModelFiles.readCardResource(cardResource);
        if (json == null) {
            throw new ModelException("model card " + cardResource + " is not on the class path");
        }
        if (EnsembleCard.isEnsemble(json)) {
            return ensemble(json, "classpath:" + cardResource, MemberFiles.ofResource(cardResource), options);
        }
        ModelCard card = ModelCard.parse(json, "classpath:" + cardResource);
        return single(card, ModelFiles.readResource(card, cardResource, options.verifyModelHash()), options);
    }

    /**
     * Loads the default model: the {@link PackagedModel} with id {@value PackagedModel#DEFAULT_ID}, which the
     * artifact {@value #DEFAULT_MODEL_ARTIFACT} provides.
     *
     * @param options session options
     * @return a recogniser on the default model
     * @throws ModelException if the default model is not on the class path (see {@link #hasDefaultModel()}; the
     *                        message names the artifact to add) or is unusable
     */
    public static OnnxEmotionRecognizer loadDefault(RecognizerOptions options) {
        Objects.requireNonNull(options, "options");
        PackagedModel packaged = PackagedModels.find(PackagedModel.DEFAULT_ID)
                .orElseThrow(() -> new ModelException(noDefaultModelMessage()));
        return loadPackaged(packaged, options);
    }

    /**
     * @return what to do when the default model is absent: the artifact to add, its licence, and the model-card
     *         alternative
     */
    public static String noDefaultModelMessage() {
        return "no default model on the class path: add the artifact " + DEFAULT_MODEL_ARTIFACT
                + " (its weights are for non-commercial use only: CC BY-NC-SA 4.0, CC BY-NC-ND 4.0 and research-only "
                + "corpora), or load your own model with EmotionRecognizer.create(Path) and a model card "
                + "(docs/model-card.md)";
    }

    /** {@return whether the default model ({@value #DEFAULT_MODEL_ARTIFACT}) is on the class path} */
    public static boolean hasDefaultModel() {
        return PackagedModels.find(PackagedModel.DEFAULT_ID).isPresent();
    }

    /**
     * Loads a model packaged as a jar.
     *
     * @param packaged the model's files
     * @param options  session options
     * @return the recogniser
     * @throws ModelException if the package has no card or the card or model is unusable
     */
    public static OnnxEmotionRecognizer loadPackaged(PackagedModel packaged, RecognizerOptions options) {
        Objects.requireNonNull(packaged, "packaged");
        Objects.requireNonNull(options, "options");
        byte[] json = ModelFiles.readPackagedCard(packaged);
        if (json == null) {
            throw new ModelException(ModelFiles.describe(packaged, PackagedModel.CARD) + " does not exist");
        }
        String source = "package:" + packaged.id() + "/" + PackagedModel.CARD;
        if (EnsembleCard.isEnsemble(json)) {
            return ensemble(json, source, MemberFiles.ofPackage(packaged), options);
        }
        ModelCard card = ModelCard.parse(json, source);
        return single(card, ModelFiles.readPackaged(card, packaged, options.verifyModelHash()), options);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // EmotionRecognizer

    /**
     * @return the model's description; {@link ModelInfo#sampleRate()} is 0 for a card that keeps each clip's own
     * rate ({@code "sample_rate": null})
     */
    @Override
    public ModelInfo model() {
        return engine.info();
    }

    /**
     * {@return the card this recogniser follows}
     *
     * @throws IllegalStateException for an ensemble card (see {@link #ensembleCard()} and {@link #memberCards()})
     */
    public ModelCard card() {
        return singleModel("card()").card();
    }

    /**
     * {@return the card's preprocessing (thread-safe, shareable)}
     *
     * @throws IllegalStateException for an ensemble card, whose members each have their own (build one from a
     *                               member card with {@link ModelInputPipeline#of(ModelCard)})
     */
    public ModelInputPipeline pipeline() {
        return singleModel("pipeline()").pipeline();
    }

    /** {@return whether this recogniser follows an ensemble card} */
    public boolean isEnsemble() {
        return ensemble != null;
    }

    /** {@return the ensemble card this recogniser follows, or empty for a single-model card} */
    public Optional<EnsembleCard> ensembleCard() {
        return ensemble == null ? Optional.empty() : Optional.of(ensemble.card());
    }

    /**
     * {@return the single-model cards this recogniser runs: an ensemble's members in card order, or the one card}
     */
    public List<ModelCard> memberCards() {
        return ensemble == null ? List.of(single.card()) : ensemble.memberCards();
    }

    private SingleModel singleModel(String what) {
        if (single == null) {
            throw new IllegalStateException(what + " is for single-model cards, but model " + model().name()
                    + " is an ensemble card (" + ensemble.card().source() + ") of " + ensemble.card().members().size()
                    + " members; use ensembleCard() and memberCards()");
        }
        return single;
    }

    /** {@return model runs so far (a batch counts once; for an ensemble, the sum over its members); for monitoring} */
    public long modelRuns() {
        return engine.modelRuns();
    }

    @Override
    public EmotionPrediction recognize(float[] samples, int sampleRate) {
        ensureOpen();
        return recognizeClip(Objects.requireNonNull(samples, "samples"), samples.length, sampleRate, null);
    }

    /**
     * {@return a new speaker context at the card's prior: a {@link SpeakerStatistics} of this recogniser's pipeline}
     * For a card without {@code features.adapt} or {@code output.adapt} it only counts clips
     * ({@link SpeakerContext#adaptive()} false). For an ensemble it holds one such statistics per member
     * ({@link SpeakerContext#adaptive()} true if any member adapts) and counts the clips in which any member found
     * speech.
     */
    @Override
    public SpeakerContext newSpeakerContext() {
        ensureOpen();
        return engine.newSpeakerContext();
    }

    @Override
    public EmotionPrediction recognize(float[] samples, int sampleRate, SpeakerContext speaker) {
        ensureOpen();
        SpeakerContext s = engine.checkContext(speaker);
        return recognizeClip(Objects.requireNonNull(samples, "samples"), samples.length, sampleRate, s);
    }

    @Override
    public List<EmotionPrediction> recognizeAll(List<float[]> clips, int sampleRate, SpeakerContext speaker) {
        return recognizeAllWith(clips, sampleRate, engine.checkContext(speaker));
    }

    @Override
    public EmotionPrediction recognize(AudioSource source, SpeakerContext speaker) {
        Objects.requireNonNull(source, "source");
        SpeakerContext s = engine.checkContext(speaker);
        ensureOpen();
        try {
            return RecordingAnalysis.recognize(this, source, s);
        } catch (IOException e) {
            throw new AudioException("cannot read the audio source: " + e.getMessage(), e);
        }
    }

    /** One clip, the first {@code length} samples of {@code samples}: speech gates, features, model runs. */
    EmotionPrediction recognizeClip(float[] samples, int length, int sampleRate, SpeakerContext speaker) {
        return engine.recognizeClip(samples, length, sampleRate, speaker);
    }

    @Override
    public List<EmotionPrediction> recognizeAll(List<float[]> clips, int sampleRate) {
        return recognizeAllWith(clips, sampleRate, null);
    }

    private List<EmotionPrediction> recognizeAllWith(List<float[]> clips, int sampleRate, SpeakerContext speaker) {
        Objects.requireNonNull(clips, "clips");
        ensureOpen();
        return engine.recognizeAll(clips, sampleRate, speaker);
    }

    /**
     * {@code analyze(source).prediction()}: a source no longer than the card's streaming window is one clip, a longer
     * one the speech-weighted mean of its windows (see {@link #analyze(AudioSource)}).
     *
     * @throws IllegalArgumentException if the source delivers no samples
     * @throws CorruptAudioException    if it delivers a NaN or infinite sample (as a stream does), or another number
     *                                  of frames than it stated
     */
    @Override
    public EmotionPrediction recognize(AudioSource source) {
        Objects.requireNonNull(source, "source");
        ensureOpen();
        try {
            return RecordingAnalysis.recognize(this, source, null);
        } catch (IOException e) {
            throw new AudioException("cannot read the audio source: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the source once to its end (not closed), mixing it down and resampling it to the model's rate as it goes,
     * holding at most one streaming window ({@code streaming.window_seconds} of the card) plus one chunk, whatever its
     * length and whether or not it states one. If it ends within one window, it is one clip (the card's speech gate,
     * pad and crop, as {@link #recognize(float[], int)}); otherwise its windows are analysed as
     * {@link #stream(AudioSource, StreamOptions)} does with {@link StreamOptions#defaults()}, and the probabilities
     * and arousal/valence are their mean weighted by each window's speech seconds (its voice-activity frames).
     *
     * @throws IllegalArgumentException if the source delivers no samples
     * @throws CorruptAudioException    if it delivers a NaN or infinite sample (as a stream does), or another number
     *                                  of frames than it stated
     */
    @Override
    public RecordingPrediction analyze(AudioSource source) {
        Objects.requireNonNull(source, "source");
        ensureOpen();
        try {
            return RecordingAnalysis.analyze(this, source);
        } catch (IOException e) {
            throw new AudioException("cannot read the audio source: " + e.getMessage(), e);
        }
    }

    /**
     * Streams a source window by window. Windows ({@link StreamOptions#windowSeconds()}, else the card's
     * {@code streaming.window_seconds}) start every hop; the audio is mixed down and resampled on the fly. With voice
     * activity gating (the default), a window without any speech frame is skipped, and a segment's times are those of
     * the first and last speech frames inside its window (so segments sit on the speech, and overlap when the hop is
     * shorter than the window). Windows that fail the card's speech gate are skipped too. With smoothing {@code k},
     * a segment's probabilities are the mean over the last {@code k} consecutive analysed windows (reset by a
     * skipped window). At the end of the source a last, shorter window covers audio no window has covered yet.
     *
     * <p>The returned stream reads the source lazily, on the thread that calls {@code hasNext()}; it may throw
     * {@link AudioException} from {@code hasNext()} when reading fails.
     */
    @Override
    public SegmentStream stream(AudioSource source, StreamOptions options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        ensureOpen();
        return new OnnxSegmentStream(this, source, options);
    }

    /**
     * Opens a push session over the same windowing as {@link #stream(AudioSource, StreamOptions)}: fed the same
     * audio, in chunks of any sizes, it gives the same segments.
     */
    @Override
    public RecognitionSession session(PcmFormat format, PcmEncoding encoding, StreamOptions options,
                                      Consumer<? super EmotionSegment> listener) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(options, "options");
        ensureOpen();
        return new OnnxRecognitionSession(this, format, encoding, options, listener);
    }

    /**
     * Closes the session. Calls in flight on other threads finish first; later calls throw
     * {@link IllegalStateException}. Idempotent. Do not call it from inside a stream callback while holding
     * nothing else: it is safe there too, the stream simply ends with an {@link IllegalStateException} on its next
     * window.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return engine.isClosed();
    }

    @Override
    public String toString() {
        return "OnnxEmotionRecognizer[" + model().name() + " " + model().version()
                + (ensemble != null ? ", ensemble of " + ensemble.card().members().size() : "")
                + (engine.isClosed() ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internals

    private void ensureOpen() {
        engine.ensureOpen();
    }

    /** Runs one window of a stream: empty when no speech gate finds speech. */
    Optional<float[]> windowProbabilities(float[] samples, int length, int sampleRate, double[] avOut,
                                          SpeakerContext speaker) {
        return engine.windowProbabilities(samples, length, sampleRate, avOut, speaker);
    }

    /** {@return the context of the windows of a stream, session or long recording, or null when none is needed} */
    SpeakerContext windowContext() {
        return engine.windowContext();
    }

    ModelCard.Streaming streaming() {
        return engine.streaming();
    }

    int targetSampleRate(int sourceRate) {
        return engine.targetSampleRate(sourceRate);
    }

    List<String> labelList() {
        return engine.labels();
    }

    /** {@return for an ensemble, the member whose prepared input each member reuses (itself if none); else empty} */
    int[] memberInputSources() {
        return ensemble == null ? new int[0] : ensemble.inputSources();
    }

    /** {@return for an ensemble, how many clips each member has run its own pipeline on; else empty} */
    long[] memberInputsPrepared() {
        return ensemble == null ? new long[0] : ensemble.inputsPrepared();
    }
}
