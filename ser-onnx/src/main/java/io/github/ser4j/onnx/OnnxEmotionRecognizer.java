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
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInput;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;
import io.github.ser4j.onnx.pipeline.SpeakerStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 */
public final class OnnxEmotionRecognizer implements EmotionRecognizer {
    /** The Maven coordinates of the default model, which {@link #loadDefault} finds when it is on the class path. */
    public static final String DEFAULT_MODEL_ARTIFACT = "io.github.ser4j:ser-model-default";
    /** Most clips {@link #recognizeAll(List, int)} puts in one model run. */
    public static final int MAX_BATCH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(OnnxEmotionRecognizer.class);

    private final ModelCard card;
    private final ModelInputPipeline pipeline;
    private final ModelInfo info;
    private final ModelRunner runner;

    private OnnxEmotionRecognizer(ModelCard card, byte[] model, RecognizerOptions options) {
        this.card = card;
        this.pipeline = ModelInputPipeline.of(card, options.denoise());
        this.runner = new ModelRunner(card, pipeline, model, options, MAX_BATCH);
        boolean ok = false;
        try {
            ModelCard.Streaming s = card.streaming();
            this.info = new ModelInfo(card.name(), card.version(), card.output().labels(), card.audio().sampleRate(),
                    s.windowSeconds(), s.hopSeconds(), card.license(), card.description());
            ok = true;
        } finally {
            if (!ok) {
                runner.close();
            }
        }
        LOG.debug("loaded model {} {} from {} ({})", card.name(), card.version(), card.source(), options);
    }

    /**
     * Loads the model of a card on the file system with default options.
     *
     * @param modelCard path of the card; the model file is resolved against its folder
     * @return the recogniser
     * @throws ModelException if the card or model is unusable (the message names the field or file)
     */
    public static OnnxEmotionRecognizer load(Path modelCard) {
        return load(modelCard, RecognizerOptions.defaults());
    }

    /**
     * Loads the model of a card on the file system.
     *
     * @param modelCard path of the card; the model file is resolved against its folder
     * @param options   session options
     * @return the recogniser
     * @throws ModelException if the card or model is unusable (the message names the field or file)
     */
    public static OnnxEmotionRecognizer load(Path modelCard, RecognizerOptions options) {
        Objects.requireNonNull(modelCard, "modelCard");
        Objects.requireNonNull(options, "options");
        ModelCard card = ModelCard.read(modelCard);
        byte[] model = ModelFiles.read(card, modelCard, options.verifyModelHash());
        return new OnnxEmotionRecognizer(card, model, options);
    }

    /**
     * Loads a card and its model from the class path.
     *
     * @param cardResource absolute resource name of the card, e.g. {@code /models/mine/card.json}
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
        ModelCard card = ModelCard.parse(json, "classpath:" + cardResource);
        byte[] model = ModelFiles.readResource(card, cardResource, options.verifyModelHash());
        return new OnnxEmotionRecognizer(card, model, options);
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
        ModelCard card = ModelCard.parse(json, "package:" + packaged.id() + "/" + PackagedModel.CARD);
        byte[] model = ModelFiles.readPackaged(card, packaged, options.verifyModelHash());
        return new OnnxEmotionRecognizer(card, model, options);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // EmotionRecognizer

    /**
     * @return the model's description; {@link ModelInfo#sampleRate()} is 0 for a card that keeps each clip's own
     * rate ({@code "sample_rate": null})
     */
    @Override
    public ModelInfo model() {
        return info;
    }

    /** {@return the card this recogniser follows} */
    public ModelCard card() {
        return card;
    }

    /** {@return the card's preprocessing (thread-safe, shareable)} */
    public ModelInputPipeline pipeline() {
        return pipeline;
    }

    /** {@return model runs so far (a batch counts once); for monitoring and tests} */
    public long modelRuns() {
        return runner.modelRuns();
    }

    @Override
    public EmotionPrediction recognize(float[] samples, int sampleRate) {
        ensureOpen();
        return recognizeClip(Objects.requireNonNull(samples, "samples"), samples.length, sampleRate, null);
    }

    /**
     * {@return a new speaker context at the card's prior: a {@link SpeakerStatistics} of this recogniser's pipeline}
     * For a card without {@code features.adapt} it only counts clips ({@link SpeakerContext#adaptive()} false).
     */
    @Override
    public SpeakerContext newSpeakerContext() {
        ensureOpen();
        return pipeline.newSpeakerStatistics();
    }

    @Override
    public EmotionPrediction recognize(float[] samples, int sampleRate, SpeakerContext speaker) {
        ensureOpen();
        SpeakerStatistics s = statistics(speaker);
        return recognizeClip(Objects.requireNonNull(samples, "samples"), samples.length, sampleRate, s);
    }

    @Override
    public List<EmotionPrediction> recognizeAll(List<float[]> clips, int sampleRate, SpeakerContext speaker) {
        return recognizeAll(clips, sampleRate, statistics(speaker));
    }

    @Override
    public EmotionPrediction recognize(AudioSource source, SpeakerContext speaker) {
        Objects.requireNonNull(source, "source");
        SpeakerStatistics s = statistics(speaker);
        ensureOpen();
        try {
            return RecordingAnalysis.recognize(this, source, s);
        } catch (IOException e) {
            throw new AudioException("cannot read the audio source: " + e.getMessage(), e);
        }
    }

    /** The context as this pipeline's statistics. */
    private SpeakerStatistics statistics(SpeakerContext speaker) {
        Objects.requireNonNull(speaker, "speaker");
        if (!(speaker instanceof SpeakerStatistics s) || s.pipeline() != pipeline) {
            throw new IllegalArgumentException("the speaker context " + speaker + " was not made by this recogniser "
                    + "(model " + card.name() + "); use its newSpeakerContext()");
        }
        return s;
    }

    /** One clip, the first {@code length} samples of {@code samples}: speech gate, features, one model run. */
    EmotionPrediction recognizeClip(float[] samples, int length, int sampleRate, SpeakerStatistics speaker) {
        Optional<ModelInput> in = pipeline.applyIfSpeech(samples, length, sampleRate, speaker);
        if (in.isEmpty()) {
            return EmotionPrediction.noSpeech(card.output().labels());
        }
        return runner.run(List.of(in.get())).get(0);
    }

    @Override
    public List<EmotionPrediction> recognizeAll(List<float[]> clips, int sampleRate) {
        return recognizeAll(clips, sampleRate, (SpeakerStatistics) null);
    }

    private List<EmotionPrediction> recognizeAll(List<float[]> clips, int sampleRate, SpeakerStatistics speaker) {
        Objects.requireNonNull(clips, "clips");
        ensureOpen();
        EmotionPrediction[] results = new EmotionPrediction[clips.size()];
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        List<ModelInput> inputs = new ArrayList<>(clips.size());
        for (int i = 0; i < clips.size(); i++) {
            Optional<ModelInput> in;
            try {
                float[] clip = Objects.requireNonNull(clips.get(i), "clip " + i);
                in = pipeline.applyIfSpeech(clip, clip.length, sampleRate, speaker);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("clip " + i + ": " + e.getMessage(), e);
            }
            inputs.add(in.orElse(null));
            if (in.isEmpty()) {
                results[i] = EmotionPrediction.noSpeech(card.output().labels());
            } else {
                groups.computeIfAbsent(Arrays.toString(in.get().shape()), k -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> group : groups.values()) {
            for (int from = 0; from < group.size(); from += runner.batchLimit()) {
                List<Integer> idx = group.subList(from, Math.min(group.size(), from + runner.batchLimit()));
                List<ModelInput> batch = new ArrayList<>(idx.size());
                idx.forEach(i -> batch.add(inputs.get(i)));
                List<EmotionPrediction> out = runner.run(batch);
                for (int k = 0; k < idx.size(); k++) {
                    results[idx.get(k)] = out.get(k);
                }
            }
        }
        return List.of(results);
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
        runner.close();
    }

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return runner.isClosed();
    }

    @Override
    public String toString() {
        return "OnnxEmotionRecognizer[" + card.name() + " " + card.version() + (runner.isClosed() ? ", closed" : "")
                + "]";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internals

    private void ensureOpen() {
        runner.ensureOpen();
    }

    /** Runs one window of a stream: empty when the card's speech gate finds no speech. */
    Optional<float[]> windowProbabilities(float[] samples, int length, int sampleRate, double[] avOut,
                                          SpeakerStatistics speaker) {
        ensureOpen();
        Optional<ModelInput> in = pipeline.applyIfSpeech(samples, length, sampleRate, speaker);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        EmotionPrediction p = runner.run(List.of(in.get())).get(0);
        avOut[0] = p.arousal().orElse(Double.NaN);
        avOut[1] = p.valence().orElse(Double.NaN);
        return Optional.of(p.probabilities());
    }

    List<String> labelList() {
        return card.output().labels();
    }
}
