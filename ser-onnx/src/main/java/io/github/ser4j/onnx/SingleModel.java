package io.github.ser4j.onnx;

import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.ModelInfo;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInput;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;
import io.github.ser4j.onnx.pipeline.SpeakerStatistics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One card's model: its pipeline and {@link ModelRunner}. Speaker contexts are the pipeline's
 * {@link SpeakerStatistics}; with a context, each clip with speech updates its feature statistics
 * ({@code features.adapt}) and then, in clip order, adapts its probabilities ({@code output.adapt}, step 13b).
 * Thread-safe.
 */
final class SingleModel implements Engine {
    private final ModelCard card;
    private final ModelInputPipeline pipeline;
    private final ModelInfo info;
    private final ModelRunner runner;
    /** Clips this member prepared an input for (or found without speech): the pipeline's runs. */
    private final AtomicLong prepared = new AtomicLong();

    /** Opens the model's session; closes it again if anything after that fails. */
    SingleModel(ModelCard card, byte[] model, RecognizerOptions options, int maxBatch) {
        this.card = card;
        this.pipeline = ModelInputPipeline.of(card, options.denoise());
        this.runner = new ModelRunner(card, pipeline, model, options, maxBatch);
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
    }

    ModelCard card() {
        return card;
    }

    ModelInputPipeline pipeline() {
        return pipeline;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<String> labels() {
        return card.output().labels();
    }

    @Override
    public ModelCard.Streaming streaming() {
        return card.streaming();
    }

    @Override
    public int targetSampleRate(int sourceRate) {
        return pipeline.targetSampleRate(sourceRate);
    }

    @Override
    public SpeakerContext newSpeakerContext() {
        return pipeline.newSpeakerStatistics();
    }

    /** Only a card that adapts its features or its output needs statistics across windows. */
    @Override
    public SpeakerContext windowContext() {
        return pipeline.adapts() || card.output().adapt().isPresent() ? pipeline.newSpeakerStatistics() : null;
    }

    @Override
    public SpeakerContext checkContext(SpeakerContext speaker) {
        Objects.requireNonNull(speaker, "speaker");
        if (!(speaker instanceof SpeakerStatistics s) || s.pipeline() != pipeline) {
            throw new IllegalArgumentException("the speaker context " + speaker + " was not made by this recogniser "
                    + "(model " + card.name() + "); use its newSpeakerContext()");
        }
        return s;
    }

    @Override
    public EmotionPrediction recognizeClip(float[] samples, int length, int sampleRate, SpeakerContext speaker) {
        return recognizeInput(prepare(samples, length, sampleRate, speaker), speaker);
    }

    /** The pipeline's input for one clip (features adapted with the context), or empty when it has no speech. */
    Optional<ModelInput> prepare(float[] samples, int length, int sampleRate, SpeakerContext speaker) {
        prepared.incrementAndGet();
        return pipeline.applyIfSpeech(samples, length, sampleRate, (SpeakerStatistics) speaker);
    }

    /**
     * The model run and output adaptation for one clip whose input {@link #prepare} made, here or in an ensemble
     * member whose card prepares the same input.
     */
    EmotionPrediction recognizeInput(Optional<ModelInput> in, SpeakerContext speaker) {
        if (in.isEmpty()) {
            return EmotionPrediction.noSpeech(card.output().labels());
        }
        ModelRunner.Scores s = runner.score(List.of(in.get()));
        adaptOutput(speaker, s.probabilities()[0]);
        return runner.prediction(s, 0);
    }

    /** Step 13b for one clip with speech: only with a context, and only if the card has {@code output.adapt}. */
    private static void adaptOutput(SpeakerContext speaker, float[] probabilities) {
        if (speaker != null) {
            ((SpeakerStatistics) speaker).adaptOutput(probabilities);
        }
    }

    /**
     * Runs the model once per group of up to {@link ModelRunner#batchLimit()} inputs of one shape, then adapts the
     * output in clip order.
     */
    @Override
    public List<EmotionPrediction> recognizeAll(List<float[]> clips, int sampleRate, SpeakerContext speaker) {
        return recognizeInputs(prepareAll(clips, sampleRate, speaker), speaker);
    }

    /** {@link #prepare} for each clip, in order; an element is null when its clip has no speech. */
    List<ModelInput> prepareAll(List<float[]> clips, int sampleRate, SpeakerContext speaker) {
        List<ModelInput> inputs = new ArrayList<>(clips.size());
        for (int i = 0; i < clips.size(); i++) {
            try {
                float[] clip = Objects.requireNonNull(clips.get(i), "clip " + i);
                inputs.add(prepare(clip, clip.length, sampleRate, speaker).orElse(null));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("clip " + i + ": " + e.getMessage(), e);
            }
        }
        return inputs;
    }

    /** {@link #recognizeAll} of inputs {@link #prepareAll} made (here or in a member with the same pipeline). */
    List<EmotionPrediction> recognizeInputs(List<ModelInput> inputs, SpeakerContext speaker) {
        SpeakerStatistics stats = (SpeakerStatistics) speaker;
        EmotionPrediction[] results = new EmotionPrediction[inputs.size()];
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            ModelInput in = inputs.get(i);
            if (in == null) {
                results[i] = EmotionPrediction.noSpeech(card.output().labels());
            } else {
                groups.computeIfAbsent(Arrays.toString(in.shape()), k -> new ArrayList<>()).add(i);
            }
        }
        ModelRunner.Scores[] runs = new ModelRunner.Scores[inputs.size()];
        int[] at = new int[inputs.size()];
        for (List<Integer> group : groups.values()) {
            for (int from = 0; from < group.size(); from += runner.batchLimit()) {
                List<Integer> idx = group.subList(from, Math.min(group.size(), from + runner.batchLimit()));
                List<ModelInput> batch = new ArrayList<>(idx.size());
                idx.forEach(i -> batch.add(inputs.get(i)));
                ModelRunner.Scores out = runner.score(batch);
                for (int k = 0; k < idx.size(); k++) {
                    runs[idx.get(k)] = out;
                    at[idx.get(k)] = k;
                }
            }
        }
        for (int i = 0; i < results.length; i++) {
            if (runs[i] != null) {
                adaptOutput(stats, runs[i].probabilities()[at[i]]);
                results[i] = runner.prediction(runs[i], at[i]);
            }
        }
        return List.of(results);
    }

    @Override
    public Optional<float[]> windowProbabilities(float[] samples, int length, int sampleRate, double[] avOut,
                                                 SpeakerContext speaker) {
        runner.ensureOpen();
        Optional<ModelInput> in = pipeline.applyIfSpeech(samples, length, sampleRate, (SpeakerStatistics) speaker);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        ModelRunner.Scores s = runner.score(List.of(in.get()));
        adaptOutput(speaker, s.probabilities()[0]);
        avOut[0] = runner.affect(s, 0, 0);
        avOut[1] = runner.affect(s, 0, 1);
        return Optional.of(s.probabilities()[0]);
    }

    /** {@return how many clips {@link #prepare} and {@link #prepareAll} have run the pipeline on} */
    long inputsPrepared() {
        return prepared.get();
    }

    @Override
    public long modelRuns() {
        return runner.modelRuns();
    }

    @Override
    public void ensureOpen() {
        runner.ensureOpen();
    }

    @Override
    public boolean isClosed() {
        return runner.isClosed();
    }

    @Override
    public void close() {
        runner.close();
    }
}
