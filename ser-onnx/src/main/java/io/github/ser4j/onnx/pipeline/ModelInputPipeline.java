package io.github.ser4j.onnx.pipeline;

import io.github.ser4j.api.ModelException;
import io.github.ser4j.dsp.denoise.SpectralGate;
import io.github.ser4j.dsp.signal.Resampler;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.card.ModelCard.Aggregate;
import io.github.ser4j.onnx.card.ModelCard.Audio;
import io.github.ser4j.onnx.card.ModelCard.Feature;
import io.github.ser4j.onnx.card.ModelCard.Frames;
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
        if (!card.audio().keepsNativeRate()) {
            computersFor(card.audio().sampleRate()); // fail fast on parameters ser-dsp rejects
        }
        checkNormalization();
        staticShape = layoutShape(rowsOut(), columnsOut().size);
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

    /** @return whether the card adapts features to the speaker ({@code features.adapt}) */
    public boolean adapts() {
        return priorS1 != null;
    }

    /**
     * A new speaker's statistics, at the card's prior, for the {@code apply} methods that take one. For a card without
     * {@code features.adapt} they only count clips.
     *
     * @return the statistics, usable with this pipeline only
     */
    public SpeakerStatistics newSpeakerStatistics() {
        ModelCard.Adaptation a = card.features().adapt().orElse(null);
        return new SpeakerStatistics(this, priorS1, priorS2, a == null ? 0 : a.priorCount(),
                a == null ? 0 : a.epsilon());
    }

    /** @return whether clips are denoised (spectral gating) before the speech gate */
    public boolean denoises() {
        return denoise != null;
    }

    /** @return the card this pipeline follows */
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
        Prepared p = prepare(samples, Objects.requireNonNull(samples, "samples").length, sampleRate);
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
        Prepared p = prepare(samples, length, sampleRate);
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
        long offset = Math.min(length, durationSamples(a.offsetSeconds(), sampleRate));
        long n = a.durationSeconds().isPresent() ? durationSamples(a.durationSeconds().getAsDouble(), sampleRate) : -1;
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
        Prepared p = prepare(window, length, sampleRate, true);
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
        ModelCard.Input in = card.input();
        long[] expected = inputShape();
        String[] origins = axisOrigins();
        int batch = in.batchDimension() ? 1 : 0;
        if (modelShape.length != expected.length + batch) {
            throw new ModelException("model card " + card.source() + ": input.layout " + in.layout()
                    + (in.batchDimension() ? " with a batch axis" : " without a batch axis (input.batch_dimension "
                    + "false)") + " gives rank " + (expected.length + batch) + " " + describeShape(expected, batch)
                    + " but model input '" + inputName + "' has rank " + modelShape.length + " "
                    + Arrays.toString(modelShape));
        }
        if (batch == 1 && modelShape[0] > 1) {
            throw new ModelException("model card " + card.source() + ": model input '" + inputName
                    + "' has a fixed batch size of " + modelShape[0] + " in " + Arrays.toString(modelShape)
                    + "; ser4j needs a dynamic or size-1 batch axis (or set input.batch_dimension false)");
        }
        for (int i = 0; i < expected.length; i++) {
            long model = modelShape[i + batch];
            long mine = expected[i];
            if (model < 0) {
                continue; // symbolic axis: anything goes
            }
            if (mine < 0) {
                throw new ModelException("model card " + card.source() + ": model input '" + inputName + "' axis "
                        + (i + batch) + " (" + origins[i] + ") is fixed at " + model + " but the card gives a "
                        + "variable frame count; set features.frames.count to " + model
                        + " or a fixed audio.duration_seconds with pad and crop");
            }
            if (mine != model) {
                throw new ModelException("model card " + card.source() + ": " + origins[i] + " gives " + mine
                        + " but model input '" + inputName + "' axis " + (i + batch) + " is " + model
                        + " (card shape " + describeShape(expected, batch) + ", model shape "
                        + Arrays.toString(modelShape) + ")");
            }
        }
    }

    private static String describeShape(long[] shape, int batch) {
        StringBuilder sb = new StringBuilder("[");
        if (batch == 1) {
            sb.append("N");
        }
        for (long d : shape) {
            sb.append(sb.length() > 1 ? ", " : "").append(d < 0 ? "?" : Long.toString(d));
        }
        return sb.append("]").toString();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Shapes

    private record Columns(long size, String origin) {
    }

    /** Columns of the stacked matrix before aggregation, or -1 when they depend on the clip. */
    private Columns columnsBeforeAggregation() {
        Optional<Frames> frames = card.features().frames();
        if (frames.isPresent()) {
            return new Columns(frames.get().count(), "features.frames.count=" + frames.get().count());
        }
        Audio a = card.audio();
        Feature first = card.features().stack().get(0);
        if (first.kind() == io.github.ser4j.onnx.card.FeatureKind.FUNCTIONALS) {
            return new Columns(1, "features.stack[0] functionals (one column per clip)");
        }
        if (a.fixedLength() && !a.keepsNativeRate()) {
            long samples = durationSamples(a.durationSeconds().getAsDouble(), a.sampleRate());
            long cols = first.frameCount(samples);
            return new Columns(cols, "audio.duration_seconds=" + a.durationSeconds().getAsDouble() + " at sample_rate "
                    + a.sampleRate() + " (" + samples + " samples)" + (first.kind()
                    == io.github.ser4j.onnx.card.FeatureKind.WAVEFORM ? "" : " -> frames with hop_length "
                    + first.hopLength() + ", center=" + first.center()));
        }
        return new Columns(-1, "the frame count, variable because the card has no features.frames and no fixed "
                + "audio length");
    }

    private Columns columnsOut() {
        Columns c = columnsBeforeAggregation();
        Optional<Aggregate> ag = card.features().aggregate();
        if (ag.isPresent() && ag.get().axis() == ModelCard.AggregateAxis.TIME) {
            return new Columns(1, "features.aggregate over time (1 column)");
        }
        return c;
    }

    private int rowsOut() {
        int rows = card.features().rows();
        Optional<Aggregate> ag = card.features().aggregate();
        if (ag.isPresent()) {
            return ag.get().axis() == ModelCard.AggregateAxis.TIME ? rows * ag.get().statCount()
                    : ag.get().statCount();
        }
        return rows;
    }

    private String rowsOrigin() {
        StringBuilder sb = new StringBuilder("features.stack [");
        List<Feature> stack = card.features().stack();
        for (int i = 0; i < stack.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(stack.get(i).describe());
        }
        sb.append("]");
        card.features().aggregate().ifPresent(ag -> sb.append(" aggregated over ")
                .append(ag.axis().name().toLowerCase(java.util.Locale.ROOT)).append(" with ")
                .append(ag.stats().name().toLowerCase(java.util.Locale.ROOT)));
        return sb.toString();
    }

    private long[] layoutShape(long rows, long cols) {
        ModelCard.Input in = card.input();
        long h = in.heightIsTime() ? cols : rows;
        long w = in.heightIsTime() ? rows : cols;
        switch (in.layout()) {
            case NCHW:
                return new long[] {1, h, w};
            case NHWC:
                return new long[] {h, w, 1};
            case NCT:
                return new long[] {rows, cols};
            case NTC:
                return new long[] {cols, rows};
            case NC:
                return new long[] {cols < 0 ? -1 : rows * cols};
            default:
                throw new AssertionError(in.layout());
        }
    }

    private String[] axisOrigins() {
        String r = rowsOrigin() + " (rows)";
        String c = columnsOut().origin + " (columns)";
        ModelCard.Input in = card.input();
        String h = in.heightIsTime() ? c : r;
        String w = in.heightIsTime() ? r : c;
        String channel = "the single channel of layout " + in.layout();
        switch (in.layout()) {
            case NCHW:
                return new String[] {channel, h, w};
            case NHWC:
                return new String[] {h, w, channel};
            case NCT:
                return new String[] {r, c};
            case NTC:
                return new String[] {c, r};
            case NC:
                return new String[] {"rows x columns of layout NC: " + r + " times " + c};
            default:
                throw new AssertionError(in.layout());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Steps 1-7: audio

    /** The clip after audio preparation. */
    static final class Prepared {
        final float[] samples;
        final int sampleRate;
        final boolean speech;

        Prepared(float[] samples, int sampleRate, boolean speech) {
            this.samples = samples;
            this.sampleRate = sampleRate;
            this.speech = speech;
        }
    }

    static long durationSamples(double seconds, int sampleRate) {
        return (long) Math.rint(seconds * sampleRate); // Python's round(): half to even
    }

    Prepared prepare(float[] samples, int clipLength, int sampleRate) {
        return prepare(samples, clipLength, sampleRate, false);
    }

    private Prepared prepare(float[] samples, int clipLength, int sampleRate, boolean window) {
        Objects.requireNonNull(samples, "samples");
        if (clipLength < 0 || clipLength > samples.length) {
            throw new IllegalArgumentException("length must be 0.." + samples.length + " (the array's length), got "
                    + clipLength);
        }
        if (sampleRate < 1 || sampleRate > io.github.ser4j.api.PcmFormat.MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("sampleRate must be 1.." + io.github.ser4j.api.PcmFormat.MAX_SAMPLE_RATE
                    + " Hz, got " + sampleRate);
        }
        if (clipLength == 0) {
            throw new IllegalArgumentException("the clip is empty (0 samples)");
        }
        for (int i = 0; i < clipLength; i++) {
            if (!Float.isFinite(samples[i])) {
                throw new IllegalArgumentException("sample " + i + " of the clip is " + samples[i]
                        + "; samples must be finite");
            }
        }
        Audio a = card.audio();
        int rate = targetSampleRate(sampleRate);
        Resampler resampler = rate == sampleRate ? null : Resampler.of(sampleRate, rate);
        int yLength = resampler == null ? clipLength : (int) resampler.outputLength(clipLength);
        int offset = window ? 0 : (int) Math.min(yLength, durationSamples(a.offsetSeconds(), rate));
        int n = a.durationSeconds().isPresent()
                ? (int) Math.min(Integer.MAX_VALUE - 16, durationSamples(a.durationSeconds().getAsDouble(), rate)) : -1;
        int length = yLength - offset;
        int start = offset;
        if (n >= 0 && length > n && a.crop() != Position.NONE) {
            start = offset + keepStart(length, n, a.crop());
            length = n;
        }
        float[] y;
        if (resampler == null) {
            y = samples;
        } else if (length == 0) {
            y = new float[0];
            start = 0;
        } else {
            // only the part the card keeps: cropped in the source rate (with the filter's margin), then resampled
            y = CardFeatures.resample(resampler, samples, clipLength, start, length);
            start = 0;
        }
        if (denoise != null && length > 0) {
            // the kept part only, at the card's rate; a new array (the caller's samples are never modified)
            y = denoise.apply(start == 0 && length == y.length ? y : Arrays.copyOfRange(y, start, start + length),
                    rate);
            start = 0;
        }
        boolean speech = speechGate(y, start, length, rate);
        float[] out;
        int padBefore = 0;
        int total = length;
        if (n >= 0 && length < n && a.pad() != Position.NONE) {
            total = n;
            padBefore = padBefore(n - length, a.pad());
        }
        out = new float[total];
        System.arraycopy(y, start, out, padBefore, length);
        normalizeWaveform(out, padBefore, length, a);
        return new Prepared(out, rate, speech);
    }

    /** Index of the first kept element when {@code length} elements are cropped to {@code n}. */
    private static int keepStart(int length, int n, Position keep) {
        switch (keep) {
            case START:
                return 0;
            case END:
                return length - n;
            case CENTER:
                return (length - n) / 2;
            default:
                throw new AssertionError(keep);
        }
    }

    /** Padding placed before the data when {@code k} elements are added. */
    private static int padBefore(int k, Position where) {
        switch (where) {
            case START:
                return k;
            case END:
                return 0;
            case CENTER:
                return k / 2;
            default:
                throw new AssertionError(where);
        }
    }

    private boolean speechGate(float[] y, int start, int length, int rate) {
        ModelCard.SpeechGate g = card.speechGate();
        if (!g.enabled()) {
            return true;
        }
        int frame = Math.max(1, (int) Math.rint(g.frameSeconds() * rate));
        for (int s = 0; s < length; s += frame) {
            int e = Math.min(length, s + frame);
            double sum = 0;
            for (int i = start + s; i < start + e; i++) {
                sum += (double) y[i] * y[i];
            }
            double ms = sum / (e - s);
            if (ms > 0 && 10 * Math.log10(ms) >= g.minRmsDbfs()) {
                return true;
            }
        }
        return false;
    }

    private static void normalizeWaveform(float[] y, int from, int length, Audio a) {
        switch (a.normalize()) {
            case NONE:
                return;
            case PEAK: {
                float peak = 0;
                for (int i = from; i < from + length; i++) {
                    peak = Math.max(peak, Math.abs(y[i]));
                }
                if (peak > 0) {
                    for (int i = from; i < from + length; i++) {
                        y[i] = y[i] / peak;
                    }
                }
                return;
            }
            case RMS: {
                double sum = 0;
                for (int i = from; i < from + length; i++) {
                    sum += (double) y[i] * y[i];
                }
                if (sum > 0) {
                    double rms = Math.sqrt(sum / length);
                    float gain = (float) (Math.pow(10, a.targetRmsDbfs() / 20) / rms);
                    for (int i = from; i < from + length; i++) {
                        y[i] = y[i] * gain;
                    }
                }
                return;
            }
            default:
                throw new AssertionError(a.normalize());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Steps 8-12: features to tensor

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

    /** The feature matrix after steps 8-11: rows x cols, row-major. */
    private record Matrix(float[] data, int rows, int cols) {
    }

    private Matrix matrix(Prepared p, SpeakerStatistics speaker) {
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
        Matrix mat = new Matrix(m, rows, (int) cols);
        mat = fitFrames(mat);
        mat = aggregate(mat);
        double[] x = new double[mat.data.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = mat.data[i];
        }
        if (speaker != null) {
            speaker.update(x); // counts the clip; adapts it when the card says so
        } else if (priorS1 != null) {
            newSpeakerStatistics().update(x); // a clip on its own: the prior and itself
        }
        normalize(x, mat);
        return mat;
    }

    private Matrix fitFrames(Matrix m) {
        Optional<Frames> fo = card.features().frames();
        if (fo.isEmpty() || fo.get().count() == m.cols) {
            return m;
        }
        Frames f = fo.get();
        int count = f.count();
        float[] out = new float[m.rows * count];
        if (m.cols > count) {
            int start = keepStart(m.cols, count, f.crop());
            for (int r = 0; r < m.rows; r++) {
                System.arraycopy(m.data, r * m.cols + start, out, r * count, count);
            }
        } else {
            float value = (float) f.padValue();
            if (f.padWithMin()) {
                value = Float.POSITIVE_INFINITY;
                for (float v : m.data) {
                    value = Math.min(value, v);
                }
            }
            Arrays.fill(out, value);
            int before = padBefore(count - m.cols, f.pad());
            for (int r = 0; r < m.rows; r++) {
                System.arraycopy(m.data, r * m.cols, out, r * count + before, m.cols);
            }
        }
        return new Matrix(out, m.rows, count);
    }

    private Matrix aggregate(Matrix m) {
        Optional<Aggregate> ao = card.features().aggregate();
        if (ao.isEmpty()) {
            return m;
        }
        Aggregate ag = ao.get();
        boolean mean = ag.stats() != ModelCard.Stats.STD;
        boolean std = ag.stats() != ModelCard.Stats.MEAN;
        if (ag.axis() == ModelCard.AggregateAxis.TIME) {
            int k = ag.statCount();
            float[] out = new float[m.rows * k];
            for (int r = 0; r < m.rows; r++) {
                double[] ms = meanStd(m.data, r * m.cols, m.cols, 1);
                int slot = 0;
                if (mean) {
                    out[r] = (float) ms[0];
                    slot = m.rows;
                }
                if (std) {
                    out[slot + r] = (float) ms[1];
                }
            }
            return new Matrix(out, m.rows * k, 1);
        }
        int k = ag.statCount();
        float[] out = new float[k * m.cols];
        for (int c = 0; c < m.cols; c++) {
            double[] ms = meanStd(m.data, c, m.rows, m.cols);
            int row = 0;
            if (mean) {
                out[c] = (float) ms[0];
                row = 1;
            }
            if (std) {
                out[row * m.cols + c] = (float) ms[1];
            }
        }
        return new Matrix(out, k, m.cols);
    }

    /** {@link #meanStd(float[], int, int, int)} of doubles. */
    private static double[] meanStd(double[] data, int from, int n, int stride) {
        double sum = 0;
        for (int i = 0, j = from; i < n; i++, j += stride) {
            sum += data[j];
        }
        double mean = sum / n;
        double sq = 0;
        for (int i = 0, j = from; i < n; i++, j += stride) {
            double d = data[j] - mean;
            sq += d * d;
        }
        return new double[] {mean, Math.sqrt(sq / n)};
    }

    /** Mean and population standard deviation (numpy's two-pass formula) of n values from {@code from} by stride. */
    private static double[] meanStd(float[] data, int from, int n, int stride) {
        double sum = 0;
        for (int i = 0, j = from; i < n; i++, j += stride) {
            sum += data[j];
        }
        double mean = sum / n;
        double sq = 0;
        for (int i = 0, j = from; i < n; i++, j += stride) {
            double d = data[j] - mean;
            sq += d * d;
        }
        return new double[] {mean, Math.sqrt(sq / n)};
    }

    /** Normalises {@code d} (the matrix's values, widened and maybe adapted) into {@code m.data}. */
    private void normalize(double[] d, Matrix m) {
        Normalization nz = card.features().normalize();
        float[] o = m.data;
        switch (nz.type()) {
            case NONE:
                for (int i = 0; i < d.length; i++) {
                    o[i] = (float) d[i];
                }
                return;
            case UTTERANCE:
                if (nz.perRow()) {
                    for (int r = 0; r < m.rows; r++) {
                        double[] ms = meanStd(d, r * m.cols, m.cols, 1);
                        double div = ms[1] + nz.epsilon();
                        for (int c = r * m.cols; c < (r + 1) * m.cols; c++) {
                            o[c] = (float) ((d[c] - ms[0]) / div);
                        }
                    }
                } else {
                    double[] ms = meanStd(d, 0, d.length, 1);
                    double div = ms[1] + nz.epsilon();
                    for (int i = 0; i < d.length; i++) {
                        o[i] = (float) ((d[i] - ms[0]) / div);
                    }
                }
                return;
            case GLOBAL: {
                List<Double> mean = nz.mean();
                List<Double> scale = nz.scale();
                int len = mean.size();
                if (len == 1) {
                    for (int i = 0; i < d.length; i++) {
                        o[i] = (float) ((d[i] - mean.get(0)) / scale.get(0));
                    }
                } else if (len == m.rows) {
                    for (int r = 0; r < m.rows; r++) {
                        double mu = mean.get(r);
                        double sc = scale.get(r);
                        for (int c = r * m.cols; c < (r + 1) * m.cols; c++) {
                            o[c] = (float) ((d[c] - mu) / sc);
                        }
                    }
                } else if (len == d.length) {
                    for (int i = 0; i < d.length; i++) {
                        o[i] = (float) ((d[i] - mean.get(i)) / scale.get(i));
                    }
                } else {
                    throw new IllegalArgumentException("features.normalize.mean has " + len + " values but the "
                            + "feature matrix of this clip is " + m.rows + " x " + m.cols + "; use 1, " + m.rows
                            + " (per row) or " + d.length + " (element-wise) values");
                }
                return;
            }
            default:
                throw new AssertionError(nz.type());
        }
    }

    private float[] tensor(Prepared p, SpeakerStatistics speaker) {
        Matrix m = matrix(p, speaker);
        ModelCard.Input in = card.input();
        boolean transpose = in.layout() == Layout.NTC
                || (in.heightIsTime() && (in.layout() == Layout.NCHW || in.layout() == Layout.NHWC));
        if (!transpose || m.rows == 1 || m.cols == 1) {
            return m.data;
        }
        float[] t = new float[m.data.length];
        for (int r = 0; r < m.rows; r++) {
            for (int c = 0; c < m.cols; c++) {
                t[c * m.rows + r] = m.data[r * m.cols + c];
            }
        }
        return t;
    }

    private long[] shapeOf(Prepared p) {
        long[] shape = staticShape.clone();
        if (variableShape) {
            long cols = card.features().frames().isPresent() ? card.features().frames().get().count()
                    : card.features().stack().get(0).frameCount(p.samples.length);
            if (card.features().aggregate().isPresent()
                    && card.features().aggregate().get().axis() == ModelCard.AggregateAxis.TIME) {
                cols = 1;
            }
            shape = layoutShape(rowsOut(), cols);
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
        int rows = rowsOut();
        long cols = columnsOut().size;
        if (cols < 0) {
            throw new ModelException("model card " + card.source() + ": features.adapt keeps statistics per element "
                    + "of the feature matrix, which needs a fixed shape, but the card gives " + rows + " rows x a "
                    + "variable frame count (" + columnsOut().origin + "); aggregate over time (features.aggregate), "
                    + "fix features.frames.count or use a clip-level feature such as functionals");
        }
        int size = Math.multiplyExact(rows, (int) cols);
        int len = a.priorMean().size();
        if (len != 1 && len != rows && len != size) {
            throw new ModelException("model card " + card.source() + ": features.adapt.prior_mean has " + len
                    + " values but the feature matrix is " + rows + " x " + cols + " (" + rowsOrigin() + "); give 1, "
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
        long rows = rowsOut();
        long cols = columnsOut().size;
        if (len == 1 || len == rows || (cols > 0 && len == rows * cols)) {
            return;
        }
        throw new ModelException("model card " + card.source() + ": features.normalize.mean has " + len
                + " values but the feature matrix is " + rows + " x " + (cols < 0 ? "?" : Long.toString(cols))
                + " (" + rowsOrigin() + "); give 1, " + rows + " (per row)"
                + (cols > 0 ? " or " + rows * cols + " (element-wise)" : "") + " values");
    }
}
