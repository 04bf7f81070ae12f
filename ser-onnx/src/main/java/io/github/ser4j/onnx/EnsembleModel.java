package io.github.ser4j.onnx;

import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.ModelInfo;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.onnx.card.EnsembleCard;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInput;
import io.github.ser4j.onnx.pipeline.SpeakerStatistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * An ensemble card's members, each a {@link SingleModel} with its own pipeline and ONNX Runtime session, fused by a
 * weighted mean. A call with a speaker context is <em>adapted</em> and runs the members whose {@code use} is
 * {@code always} or {@code adapted}; a call without one runs those with {@code always} or {@code single_clip}.
 * Members whose cards prepare the same input (equal {@code audio}, {@code speech_gate} and {@code features}
 * sections, no {@code features.adapt}, the same tensor layout) compute it once per clip: the first such member that
 * runs computes it and the others reuse it.
 *
 * <p>Thread-safe. A read-write lock spans each call over all its members, so {@link #close()} waits for calls in
 * flight and then closes every member.
 */
final class EnsembleModel implements Engine {
    private final EnsembleCard card;
    private final List<SingleModel> members;
    private final double[] weights;
    private final EnsembleCard.Use[] uses;
    private final boolean[] arousalValence;
    /** inputFrom[i]: the first member in card order whose input member i can reuse (itself if none). */
    private final int[] inputFrom;
    private final List<String> labels;
    private final ModelCard.Streaming streaming;
    private final ModelInfo info;
    private final Lifecycle lifecycle;

    private EnsembleModel(EnsembleCard card, List<SingleModel> members) {
        this.card = card;
        this.lifecycle = new Lifecycle(card.name());
        this.members = List.copyOf(members);
        int n = members.size();
        this.weights = new double[n];
        this.uses = new EnsembleCard.Use[n];
        this.arousalValence = new boolean[n];
        for (int i = 0; i < n; i++) {
            EnsembleCard.Member m = card.members().get(i);
            weights[i] = m.weight();
            uses[i] = m.use();
            arousalValence[i] = m.arousalValence();
        }
        this.inputFrom = new int[n];
        for (int i = 0; i < n; i++) {
            inputFrom[i] = i;
            for (int j = 0; j < i; j++) {
                if (sameInput(members.get(i).card(), members.get(j).card())) {
                    inputFrom[i] = j;
                    break;
                }
            }
        }
        ModelCard first = members.get(0).card();
        this.labels = first.output().labels();
        this.streaming = card.streaming().orElse(first.streaming());
        this.info = new ModelInfo(card.name(), card.version(), labels, first.audio().sampleRate(),
                streaming.windowSeconds(), streaming.hopSeconds(), card.license(), card.description());
    }

    /**
     * Reads and checks every member card, then opens the members' sessions; a failure closes those already open.
     *
     * @throws ModelException if a member card is missing, unreadable, not a single-model card, does not match its
     *                        pinned SHA-256, or disagrees with the first member on labels or sample rate
     */
    static EnsembleModel load(EnsembleCard card, MemberFiles files, RecognizerOptions options, int maxBatch) {
        int n = card.members().size();
        List<ModelCard> cards = new ArrayList<>(n);
        List<String> paths = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            EnsembleCard.Member m = card.members().get(i);
            String field = "ensemble.members[" + i + "]";
            String relative = ModelFiles.checkRelative(card.source(), field + ".card", m.card(), "a member card's path",
                    files.folder());
            byte[] bytes = files.card(relative, card.source(), field + ".card", m.card());
            ModelFiles.verifyMember(card.source(), field, files.source(relative), m.sha256(), bytes,
                    options.verifyModelHash());
            if (EnsembleCard.isEnsemble(bytes)) {
                throw new ModelException("model card " + card.source() + ": " + field + ".card \"" + m.card()
                        + "\" is itself an ensemble card; members must be single-model cards (no nested ensembles)");
            }
            ModelCard member = ModelCard.parse(bytes, files.source(relative));
            checkAgainstFirst(card, i, member, cards.isEmpty() ? null : cards.get(0));
            cards.add(member);
            paths.add(relative);
        }
        List<SingleModel> models = new ArrayList<>(n);
        boolean ok = false;
        try {
            for (int i = 0; i < n; i++) {
                byte[] model = files.model(cards.get(i), paths.get(i), options.verifyModelHash());
                models.add(new SingleModel(cards.get(i), model, options, maxBatch));
            }
            ok = true;
        } finally {
            if (!ok) {
                models.forEach(SingleModel::close);
            }
        }
        return new EnsembleModel(card, models);
    }

    private static void checkAgainstFirst(EnsembleCard card, int i, ModelCard member, ModelCard first) {
        String who = "ensemble.members[" + i + "] (" + member.source() + ")";
        if (member.audio().sampleRate() == 0) {
            throw new ModelException("model card " + card.source() + ": " + who + " keeps each clip's own sample rate "
                    + "(audio.sample_rate null); ensemble members need a fixed audio.sample_rate");
        }
        if (first == null) {
            return;
        }
        String other = "ensemble.members[0] (" + first.source() + ")";
        if (!member.output().labels().equals(first.output().labels())) {
            throw new ModelException("model card " + card.source() + ": " + who + " has output.labels "
                    + member.output().labels() + " but " + other + " has " + first.output().labels()
                    + "; all members must have the same labels in the same order");
        }
        if (member.audio().sampleRate() != first.audio().sampleRate()) {
            throw new ModelException("model card " + card.source() + ": " + who + " has audio.sample_rate "
                    + member.audio().sampleRate() + " but " + other + " has " + first.audio().sampleRate()
                    + "; all members must have the same sample rate");
        }
    }

    /**
     * Whether two members' pipelines turn a clip into the same tensor: the same audio steps, speech gate, features and
     * layout, and no speaker state in the features (which each member's own context must see).
     */
    static boolean sameInput(ModelCard a, ModelCard b) {
        ModelCard.Input x = a.input();
        ModelCard.Input y = b.input();
        return a.features().adapt().isEmpty() && b.features().adapt().isEmpty()
                && a.audio().equals(b.audio()) && a.speechGate().equals(b.speechGate())
                && a.features().equals(b.features())
                && x.dtype() == y.dtype() && x.layout() == y.layout() && x.heightIsTime() == y.heightIsTime();
    }

    /** {@return for each member, the member whose prepared input it reuses (itself when it prepares its own)} */
    int[] inputSources() {
        return inputFrom.clone();
    }

    /** {@return for each member, how many clips it has run its own pipeline on} */
    long[] inputsPrepared() {
        return members.stream().mapToLong(SingleModel::inputsPrepared).toArray();
    }

    EnsembleCard card() {
        return card;
    }

    List<ModelCard> memberCards() {
        return members.stream().map(SingleModel::card).toList();
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public ModelCard.Streaming streaming() {
        return streaming;
    }

    /** All members share one fixed rate. */
    @Override
    public int targetSampleRate(int sourceRate) {
        return members.get(0).targetSampleRate(sourceRate);
    }

    @Override
    public SpeakerContext newSpeakerContext() {
        SpeakerStatistics[] stats = new SpeakerStatistics[members.size()];
        for (int i = 0; i < stats.length; i++) {
            stats[i] = members.get(i).pipeline().newSpeakerStatistics();
        }
        return new EnsembleSpeakerContext(this, stats);
    }

    /** A stream with adaptation is an adapted call, whether or not any member adapts. */
    @Override
    public SpeakerContext windowContext() {
        return newSpeakerContext();
    }

    @Override
    public SpeakerContext checkContext(SpeakerContext speaker) {
        Objects.requireNonNull(speaker, "speaker");
        if (!(speaker instanceof EnsembleSpeakerContext c) || c.owner() != this) {
            throw new IllegalArgumentException("the speaker context " + speaker + " was not made by this recogniser "
                    + "(model " + card.name() + "); use its newSpeakerContext()");
        }
        return c;
    }

    @Override
    public EmotionPrediction recognizeClip(float[] samples, int length, int sampleRate, SpeakerContext speaker) {
        EnsembleSpeakerContext context = (EnsembleSpeakerContext) speaker;
        EmotionPrediction[] parts = new EmotionPrediction[members.size()];
        List<Optional<ModelInput>> inputs = new ArrayList<>(parts.length); // null: not prepared in this call
        Lock r = lifecycle.enter();
        try {
            for (int i = 0; i < parts.length; i++) {
                Optional<ModelInput> in = reusable(inputs, i);
                if (uses[i].appliesTo(context != null)) {
                    SingleModel m = members.get(i);
                    if (in == null) {
                        in = m.prepare(samples, length, sampleRate, statistics(context, i));
                    }
                    parts[i] = m.recognizeInput(in, statistics(context, i));
                }
                record(inputs, i, in);
            }
        } finally {
            r.unlock();
        }
        return fuse(parts, context);
    }

    @Override
    public List<EmotionPrediction> recognizeAll(List<float[]> clips, int sampleRate, SpeakerContext speaker) {
        EnsembleSpeakerContext context = (EnsembleSpeakerContext) speaker;
        List<List<EmotionPrediction>> byMember = new ArrayList<>(members.size());
        List<List<ModelInput>> inputs = new ArrayList<>(members.size()); // null: not prepared in this call
        Lock r = lifecycle.enter();
        try {
            for (int i = 0; i < members.size(); i++) {
                List<ModelInput> in = reusable(inputs, i);
                if (uses[i].appliesTo(context != null)) {
                    SingleModel m = members.get(i);
                    if (in == null) {
                        in = m.prepareAll(clips, sampleRate, statistics(context, i));
                    }
                    byMember.add(m.recognizeInputs(in, statistics(context, i)));
                } else {
                    byMember.add(null);
                }
                record(inputs, i, in);
            }
        } finally {
            r.unlock();
        }
        List<EmotionPrediction> out = new ArrayList<>(clips.size());
        EmotionPrediction[] parts = new EmotionPrediction[members.size()];
        for (int c = 0; c < clips.size(); c++) {
            for (int i = 0; i < parts.length; i++) {
                parts[i] = byMember.get(i) == null ? null : byMember.get(i).get(c);
            }
            out.add(fuse(parts, context));
        }
        return List.copyOf(out);
    }

    @Override
    public Optional<float[]> windowProbabilities(float[] samples, int length, int sampleRate, double[] avOut,
                                                 SpeakerContext speaker) {
        ensureOpen();
        EmotionPrediction p = recognizeClip(samples, length, sampleRate, speaker);
        if (!p.isSpeech()) {
            return Optional.empty();
        }
        avOut[0] = p.arousal().orElse(Double.NaN);
        avOut[1] = p.valence().orElse(Double.NaN);
        return Optional.of(p.probabilities());
    }

    /**
     * @param prepared the inputs of members 0 to i - 1 in this call, by member (null: none prepared)
     * @return the input member i reuses from its source, or null when it must prepare its own
     */
    private <T> T reusable(List<T> prepared, int i) {
        return inputFrom[i] < i ? prepared.get(inputFrom[i]) : null;
    }

    /**
     * Appends member i's input (null if it did not run); when its source did not run in this call, the input also
     * takes the source's place, so that later members with the same source reuse it.
     */
    private <T> void record(List<T> prepared, int i, T input) {
        prepared.add(input);
        if (inputFrom[i] < i && prepared.get(inputFrom[i]) == null) {
            prepared.set(inputFrom[i], input);
        }
    }

    private static SpeakerStatistics statistics(EnsembleSpeakerContext context, int member) {
        return context == null ? null : context.member(member);
    }

    /**
     * The weighted mean over the members that ran ({@code parts[i]} not null) and found speech: probabilities over
     * all of them, arousal/valence over those that give it and count it. Counts the clip in the context when any
     * member found speech.
     */
    private EmotionPrediction fuse(EmotionPrediction[] parts, EnsembleSpeakerContext context) {
        double[] sum = new double[labels.size()];
        double weight = 0;
        double arousal = 0;
        double valence = 0;
        double affectWeight = 0;
        for (int i = 0; i < parts.length; i++) {
            EmotionPrediction p = parts[i];
            if (p == null || !p.isSpeech()) {
                continue;
            }
            double w = weights[i];
            float[] probabilities = p.probabilities();
            for (int k = 0; k < sum.length; k++) {
                sum[k] += w * probabilities[k];
            }
            weight += w;
            if (arousalValence[i] && p.arousal().isPresent() && p.valence().isPresent()) {
                arousal += w * p.arousal().getAsDouble();
                valence += w * p.valence().getAsDouble();
                affectWeight += w;
            }
        }
        if (weight == 0) {
            return EmotionPrediction.noSpeech(labels);
        }
        if (context != null) {
            context.counted();
        }
        float[] mean = new float[sum.length];
        for (int k = 0; k < mean.length; k++) {
            mean[k] = (float) Math.min(1.0, sum[k] / weight);
        }
        return affectWeight == 0 ? EmotionPrediction.of(labels, mean)
                : EmotionPrediction.of(labels, mean, arousal / affectWeight, valence / affectWeight);
    }

    @Override
    public long modelRuns() {
        return members.stream().mapToLong(SingleModel::modelRuns).sum();
    }

    @Override
    public void ensureOpen() {
        lifecycle.ensureOpen();
    }

    @Override
    public boolean isClosed() {
        return lifecycle.isClosed();
    }

    @Override
    public void close() {
        lifecycle.close(() -> members.forEach(SingleModel::close));
    }
}
