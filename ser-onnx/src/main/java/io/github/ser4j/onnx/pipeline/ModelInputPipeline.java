package io.github.ser4j.onnx.pipeline;

import io.github.ser4j.api.ModelException;
import io.github.ser4j.dsp.denoise.SpectralGate;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.card.ModelCard.Audio;
import io.github.ser4j.onnx.card.ModelCard.Feature;
import io.github.ser4j.onnx.card.ModelCard.Layout;
import io.github.ser4j.onnx.card.ModelCard.Normalization;
import io.github.ser4j.onnx.card.ModelCard.Position;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model card's preprocessing: mono samples in, the exact input of the model for one clip out (steps 2-12 of the
 * chain in {@code docs/model-card.md}: resample, offset, crop, denoise, speech gate, pre-normalise, pad, features
 * and deltas stacked in card order, fixed frame count, aggregation, speaker adaptation, normalisation, tensor layout).
 *
 * <pre>{@code
 * ModelInputPipeline pipeline = ModelInputPipeline.of(ModelCard.read(Path.of("card.json")));
 * ModelInput in = pipeline.apply(samples, 16000);
 * float[] values = in.data();      // row-major over in.shape(), e.g. [40, 174, 1]; no batch axis
 * }</pre>
 *
 * <p>Features are computed by {@code ser-dsp}, which matches librosa 0.11; this is what the Python training recipe
 * calls (via {@code ser extract}) so that training and serving compute the same numbers.
 *
 * <p>Immutable and thread-safe: share one instance; each call allocates its own working arrays. Input arrays are
 * never modified.
 */
public final class ModelInputPipeline {
    private final ModelCard card;
    /** Feature computers per sample rate (a card that keeps the clip's rate may see several). */
    private final ConcurrentHashMap<Integer, List<CardFeatures.Computer>> computers = new ConcurrentHashMap<>();

    /** {@link #inputShape()}, computed once: the card is immutable (never handed out: callers get copies). */
    private final long[] staticShape;
    private final boolean variableShape;

    /** The card's {@code audio.denoise} step (or the forced default), or null. */
    private final SpectralGate denoise;
    /** Steps 1-7, the audio. */
    private final AudioPreparation audio;
    /** Rows, columns and layout the card implies, and the card field behind each. */
    private final InputShapes shapes;

    /** The initial sums of {@code features.adapt}, one per element of the R x C matrix, or null without adaptation. */
    private final double[] priorS1;
    private final double[] priorS2;

    private ModelInputPipeline(ModelCard card, boolean forceDenoise) {
        this.card = card;
        ModelCard.Denoise d = card.audio().denoise().orElse(forceDenoise ? ModelCard.Denoise.DEFAULTS : null);
        this.denoise = d == null ? null : SpectralGate.builder().propDecrease(d.propDecrease()).nFft(d.nFft())
                .hopLength(d.hopLength()).freqMaskSmoothHz(d.freqMaskSmoothHz()).timeMaskSmoothMs(d.timeMaskSmoothMs())
                .timeConstantS(d.timeConstantS()).threshNMultNonstationary(d.threshNMultNonstationary())
                .sigmoidSlopeNonstationary(d.sigmoidSlopeNonstationary()).build();
        this.audio = new AudioPreparation(card, denoise);
        this.shapes = new InputShapes(card);
        if (!card.audio().keepsNativeRate()) {
            computersFor(card.audio().sampleRate()); // fail fast on parameters ser-dsp rejects
        }
        checkNormalization();
        staticShape = shapes.layoutShape(shapes.rowsOut(), shapes.columnsOut().size());
        variableShape = Arrays.stream(staticShape).anyMatch(dim -> dim < 0);
        double[][] prior = adaptationPrior();
        priorS1 = prior == null ? null : prior[0];
        priorS2 = prior == null ? null : prior[1];
    }

    /**
     * @param card a parsed card
     * @return its pipeline
     * @throws ModelException if ser-dsp rejects a feature's parameters (for example fmax above the Nyquist rate)
     */
    public static ModelInputPipeline of(ModelCard card) {
        return of(card, false);
    }

    /**
     * @param card         a parsed card
     * @param forceDenoise whether to denoise even when the card has no {@code audio.denoise} step (then with
     *                     {@link ModelCard.Denoise#DEFAULTS}); a card's own step always applies
     * @return its pipeline
     * @throws ModelException if ser-dsp rejects a feature's parameters (for example fmax above the Nyquist rate)
     */
    public static ModelInputPipeline of(ModelCard card, boolean forceDenoise) {
        return new ModelInputPipeline(Objects.requireNonNull(card, "card"), forceDenoise);
    }

    /** {@return whether the card adapts features to the speaker ({@code features.adapt})} */
    public boolean adapts() {
        return priorS1 != null;
    }

    /**
     * A new speaker's statistics, at the card's prior, for the {@code apply} methods that take one, with zero
     * log-probability sums when the card has {@code output.adapt}. For a card without {@code features.adapt} they
     * only count clips.
     *
     * @return the statistics, usable with this pipeline only
     */
    public SpeakerStatistics newSpeakerStatistics() {
        return featureStatistics(card.output().adapt()
                .map(o -> new OutputSums(o, card.output().labels().size())).orElse(null));
    }

    private SpeakerStatistics featureStatistics(OutputSums output) {
        ModelCard.Adaptation a = card.features().adapt().orElse(null);
        return new SpeakerStatistics(this, priorS1, priorS2, a == null ? 0 : a.priorCount(),
                a == null ? 0 : a.epsilon(), output);
    }

    /** {@return whether clips are denoised (spectral gating) before the speech gate} */
    public boolean denoises() {
        return denoise != null;
    }

    /** {@return the card this pipeline follows} */
    public ModelCard card() {
        return card;
    }

    /**
     * @param clipSampleRate the rate of the incoming clip
     * @return the rate features are computed at: the card's, or the clip's own when the card keeps it
     */
    public int targetSampleRate(int clipSampleRate) {
        return card.audio().keepsNativeRate() ? clipSampleRate : card.audio().sampleRate();
    }

    /**
     * Computes the model input of one clip, speech or not (the training recipe wants features of every clip).
     *
     * @param samples    mono samples, nominally in [-1, 1]; not modified
     * @param sampleRate their rate in Hz
     * @return the input, with {@link ModelInput#speech()} telling whether the speech gate passed
     * @throws IllegalArgumentException if the clip is empty, holds NaN or infinite samples, or is too short for the
     *                                  card's features (fewer samples than one frame, or fewer frames than the delta
     *                                  width); the message says how many samples are needed
     */
    public ModelInput apply(float[] samples, int sampleRate) {
        return apply(samples, sampleRate, null);
    }

    /**
     * {@link #apply(float[], int)} for one clip of a speaker: with a card that adapts ({@code features.adapt}), the
     * clip updates the speaker's statistics and is normalised by them (the clip included). Without statistics a clip
     * is adapted by the card's prior and itself alone. The statistics are updated whether or not the clip passes the
     * speech gate (the training recipe sees every clip).
     *
     * @param samples    mono samples; not modified
     * @param sampleRate their rate in Hz
     * @param speaker    the speaker's statistics from {@link #newSpeakerStatistics()}, or null
     * @return the input
     * @throws IllegalArgumentException as {@link #apply(float[], int)}, or if the statistics come from another pipeline
     */
    public ModelInput apply(float[] samples, int sampleRate, SpeakerStatistics speaker) {
        checkOwner(speaker);
        AudioPreparation.Prepared p = audio.prepare(samples, Objects.requireNonNull(samples, "samples").length,
                sampleRate);
        return new ModelInput(tensor(p, speaker), shapeOf(p), p.speech);
    }

    /**
     * Like {@link #apply(float[], int)} but stops after the speech gate when the clip holds no speech, without
     * computing features.
     *
     * @param samples    mono samples; not modified
     * @param sampleRate their rate in Hz
     * @return the input, or empty when the speech gate finds no speech
     * @throws IllegalArgumentException as {@link #apply(float[], int)}
     */
    public Optional<ModelInput> applyIfSpeech(float[] samples, int sampleRate) {
        return applyIfSpeech(samples, Objects.requireNonNull(samples, "samples").length, sampleRate);
    }

    /**
     * {@link #applyIfSpeech(float[], int)} on the first {@code length} samples of {@code samples}: for callers that
     * read audio into a buffer larger than the clip, which then need not copy it to an exact-length array.
     *
     * @param samples    mono samples; not modified
     * @param length     how many of them form the clip, {@code 0 <= length <= samples.length}
     * @param sampleRate their rate in Hz
     * @return the input, or empty when the speech gate finds no speech
     * @throws IllegalArgumentException as {@link #apply(float[], int)}, or if {@code length} is out of range
     */
    public Optional<ModelInput> applyIfSpeech(float[] samples, int length, int sampleRate) {
        return applyIfSpeech(samples, length, sampleRate, null);
    }

    /**
     * {@link #applyIfSpeech(float[], int, int)} for one clip of a speaker (see
     * {@link #apply(float[], int, SpeakerStatistics)}); a clip without speech leaves the statistics unchanged.
     *
     * @param samples    mono samples; not modified
     * @param length     how many of them form the clip
     * @param sampleRate their rate in Hz
     * @param speaker    the speaker's statistics from {@link #newSpeakerStatistics()}, or null
     * @return the input, or empty when the speech gate finds no speech
     * @throws IllegalArgumentException as {@link #applyIfSpeech(float[], int, int)}, or if the statistics come from
     *                                  another pipeline
     */
    public Optional<ModelInput> applyIfSpeech(float[] samples, int length, int sampleRate, SpeakerStatistics speaker) {
        checkOwner(speaker);
        AudioPreparation.Prepared p = audio.prepare(samples, length, sampleRate);
        if (!p.speech) {
            return Optional.empty();
        }
        return Optional.of(new ModelInput(tensor(p, speaker), shapeOf(p), true));
    }

    private void checkOwner(SpeakerStatistics speaker) {
        if (speaker != null && speaker.pipeline() != this) {
            throw new IllegalArgumentException("the speaker statistics were made by another pipeline (card "
                    + speaker.pipeline().card.source() + "), not this one (card " + card.source() + ")");
        }
    }

    /**
     * The part of a clip the card uses: its offset, then its crop to a fixed duration.
     *
     * @param length     the clip's length in samples at {@code sampleRate}
     * @param sampleRate the rate features are computed at ({@link #targetSampleRate(int)})
     * @return {@code {start, count}}: the samples {@code [start, start + count)} are all the model sees
     */
    public long[] usedRange(long length, int sampleRate) {
        Audio a = card.audio();
        long offset = Math.min(length, AudioPreparation.durationSamples(a.offsetSeconds(), sampleRate));
        long n = a.durationSeconds().isPresent()
                ? AudioPreparation.durationSamples(a.durationSeconds().getAsDouble(), sampleRate) : -1;
        long count = length - offset;
        long start = offset;
        if (n >= 0 && count > n && a.crop() != Position.NONE) {
            start = offset + switch (a.crop()) {
                case START -> 0;
                case END -> count - n;
                case CENTER -> (count - n) / 2;
                default -> throw new AssertionError(a.crop());
            };
            count = n;
        }
        return new long[] {start, count};
    }

    /**
     * {@link #applyIfSpeech(float[], int, int)} on samples that are already the card's window
     * ({@link #usedRange(long, int)} of the whole clip, at the card's rate): the offset and crop are not applied again,
     * padding is. The result equals that of the whole clip.
     *
     * @param window     the used samples; not modified
     * @param length     how many of them form the window
     * @param sampleRate their rate, {@link #targetSampleRate(int)}
     * @return the input, or empty when the speech gate finds no speech
     * @throws IllegalArgumentException as {@link #apply(float[], int)}
     */
    public Optional<ModelInput> applyIfSpeechToWindow(float[] window, int length, int sampleRate) {
        return applyIfSpeechToWindow(window, length, sampleRate, null);
    }

    /**
     * {@link #applyIfSpeechToWindow(float[], int, int)} for one window of a speaker (see
     * {@link #applyIfSpeech(float[], int, int, SpeakerStatistics)}).
     *
     * @param window     the used samples; not modified
     * @param length     how many of them form the window
     * @param sampleRate their rate, {@link #targetSampleRate(int)}
     * @param speaker    the speaker's statistics from {@link #newSpeakerStatistics()}, or null
     * @return the input, or empty when the speech gate finds no speech
     * @throws IllegalArgumentException as {@link #apply(float[], int)}
     */
    public Optional<ModelInput> applyIfSpeechToWindow(float[] window, int length, int sampleRate,
                                                      SpeakerStatistics speaker) {
        checkOwner(speaker);
        AudioPreparation.Prepared p = audio.prepare(window, length, sampleRate, true);
        if (!p.speech) {
            return Optional.empty();
        }
        return Optional.of(new ModelInput(tensor(p, speaker), shapeOf(p), true));
    }

    /**
     * The input shape the card implies, without the batch axis; {@code -1} where it depends on the clip (a variable
     * frame count).
     *
     * @return the shape, e.g. {@code [40, 174, 1]} for NHWC
     */
    public long[] inputShape() {
        return staticShape.clone();
    }

    /**
     * Checks the card against the shape of the model's input, naming for a disagreeing axis the card field that
     * decided it and both values.
     *
     * @param inputName  the model input's name, for messages
     * @param modelShape the model's input shape with {@code -1} (or any negative) for symbolic axes
     * @throws ModelException if the rank or a fixed axis disagrees
     */
    public void checkInputShape(String inputName, long[] modelShape) {
        shapes.checkInputShape(inputName, modelShape, inputShape());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Steps 8-12: features to tensor (9-11 in MatrixSteps)

    private List<CardFeatures.Computer> computersFor(int rate) {
        return computers.computeIfAbsent(rate, r -> {
            List<CardFeatures.Computer> list = new ArrayList<>();
            List<Feature> stack = card.features().stack();
            for (int i = 0; i < stack.size(); i++) {
                try {
                    list.add(CardFeatures.computer(stack.get(i), r));
                } catch (IllegalArgumentException e) {
                    throw new ModelException("model card " + card.source() + ": features.stack[" + i + "] ("
                            + stack.get(i).kind().librosaName() + ") cannot be computed at " + r + " Hz: "
                            + e.getMessage(), e);
                }
            }
            return List.copyOf(list);
        });
    }

    private MatrixSteps.Matrix matrix(AudioPreparation.Prepared p, SpeakerStatistics speaker) {
        List<Feature> stack = card.features().stack();
        List<CardFeatures.Computer> comps = computersFor(p.sampleRate);
        int n = p.samples.length;
        Feature first = stack.get(0);
        long cols = first.frameCount(n);
        if (cols < 1) {
            throw new IllegalArgumentException("the clip has " + n + " samples at " + p.sampleRate + " Hz after "
                    + "preparation, shorter than one frame of features.stack[0] (" + first.kind().librosaName()
                    + ", frame length " + first.frameLength() + ", center=false): at least " + first.frameLength()
                    + " samples are needed");
        }
        for (int i = 0; i < stack.size(); i++) {
            Feature f = stack.get(i);
            if (!f.deltaOrders().isEmpty() && cols < f.deltaWidth()) {
                long need = f.center() ? (long) (f.deltaWidth() - 1) * f.hopLength()
                        : f.frameLength() + (long) (f.deltaWidth() - 1) * f.hopLength();
                throw new IllegalArgumentException("the clip has " + n + " samples at " + p.sampleRate
                        + " Hz after preparation, giving " + cols + " frames, fewer than the delta width "
                        + f.deltaWidth() + " of features.stack[" + i + "] (librosa.feature.delta needs width <= "
                        + "frames): at least " + need + " samples are needed");
            }
        }
        int rows = card.features().rows();
        float[] m = new float[Math.multiplyExact(rows, (int) cols)];
        int row = 0;
        for (int i = 0; i < stack.size(); i++) {
            float[][] part = comps.get(i).compute(p.samples);
            for (float[] r : part) {
                if (r.length != cols) {
                    throw new IllegalStateException("features.stack[" + i + "] gave " + r.length
                            + " frames, features.stack[0] " + cols);
                }
                System.arraycopy(r, 0, m, row * (int) cols, (int) cols);
                row++;
            }
        }
        MatrixSteps.Matrix mat = new MatrixSteps.Matrix(m, rows, (int) cols);
        mat = MatrixSteps.fitFrames(card, mat);
        mat = MatrixSteps.aggregate(card, mat);
        double[] x = new double[mat.data().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = mat.data()[i];
        }
        if (speaker != null) {
            speaker.update(x); // counts the clip; adapts it when the card says so
        } else if (priorS1 != null) {
            featureStatistics(null).update(x); // a clip on its own: the prior and itself
        }
        MatrixSteps.normalize(card, x, mat);
        return mat;
    }

    private float[] tensor(AudioPreparation.Prepared p, SpeakerStatistics speaker) {
        MatrixSteps.Matrix m = matrix(p, speaker);
        ModelCard.Input in = card.input();
        boolean transpose = in.layout() == Layout.NTC
                || (in.heightIsTime() && (in.layout() == Layout.NCHW || in.layout() == Layout.NHWC));
        if (!transpose || m.rows() == 1 || m.cols() == 1) {
            return m.data();
        }
        float[] t = new float[m.data().length];
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                t[c * m.rows() + r] = m.data()[r * m.cols() + c];
            }
        }
        return t;
    }

    private long[] shapeOf(AudioPreparation.Prepared p) {
        long[] shape = staticShape.clone();
        if (variableShape) {
            long cols = card.features().frames().isPresent() ? card.features().frames().get().count()
                    : card.features().stack().get(0).frameCount(p.samples.length);
            if (card.features().aggregate().isPresent()
                    && card.features().aggregate().get().axis() == ModelCard.AggregateAxis.TIME) {
                cols = 1;
            }
            shape = shapes.layoutShape(shapes.rowsOut(), cols);
        }
        return shape;
    }

    /**
     * Validates {@code features.adapt} against the card's shape and expands its prior to one pair of initial sums per
     * matrix element.
     *
     * @return {@code {s1, s2}}, or null when the card does not adapt
     * @throws ModelException if the matrix shape is variable or the prior's length fits neither 1, R nor R x C
     */
    private double[][] adaptationPrior() {
        Optional<ModelCard.Adaptation> ao = card.features().adapt();
        if (ao.isEmpty()) {
            return null;
        }
        ModelCard.Adaptation a = ao.get();
        int rows = shapes.rowsOut();
        long cols = shapes.columnsOut().size();
        if (cols < 0) {
            throw new ModelException("model card " + card.source() + ": features.adapt keeps statistics per element "
                    + "of the feature matrix, which needs a fixed shape, but the card gives " + rows + " rows x a "
                    + "variable frame count (" + shapes.columnsOut().origin()
                    + "); aggregate over time (features.aggregate), "
                    + "fix features.frames.count or use a clip-level feature such as functionals");
        }
        int size = Math.multiplyExact(rows, (int) cols);
        int len = a.priorMean().size();
        if (len != 1 && len != rows && len != size) {
            throw new ModelException("model card " + card.source() + ": features.adapt.prior_mean has " + len
                    + " values but the feature matrix is " + rows + " x " + cols + " (" + shapes.rowsOrigin()
                    + "); give 1, "
                    + rows + " (per row)" + (size != rows ? " or " + size + " (element-wise)" : "") + " values");
        }
        return SpeakerStatistics.priorSums(a, rows, (int) cols);
    }

    /**
     * Validates the global normalisation length against the card's shape, where it is known.
     *
     * @throws ModelException if {@code features.normalize.mean} fits neither 1, the rows nor all elements
     */
    private void checkNormalization() {
        Normalization nz = card.features().normalize();
        if (nz.type() != ModelCard.NormalizationType.GLOBAL) {
            return;
        }
        int len = nz.mean().size();
        long rows = shapes.rowsOut();
        long cols = shapes.columnsOut().size();
        if (len == 1 || len == rows || (cols > 0 && len == rows * cols)) {
            return;
        }
        throw new ModelException("model card " + card.source() + ": features.normalize.mean has " + len
                + " values but the feature matrix is " + rows + " x " + (cols < 0 ? "?" : Long.toString(cols))
                + " (" + shapes.rowsOrigin() + "); give 1, " + rows + " (per row)"
                + (cols > 0 ? " or " + rows * cols + " (element-wise)" : "") + " values");
    }
}
