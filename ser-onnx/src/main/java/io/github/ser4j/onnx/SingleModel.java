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

/**
 * One card's model: its pipeline and {@link ModelRunner}. Speaker contexts are the pipeline's
 * {@link SpeakerStatistics}. Thread-safe.
 */
final class SingleModel implements Engine {
    private final ModelCard card;
    private final ModelInputPipeline pipeline;
    private final ModelInfo info;
    private final ModelRunner runner;

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

    /** Only a card that adapts needs statistics across windows. */
    @Override
    public SpeakerContext windowContext() {
        return pipeline.adapts() ? pipeline.newSpeakerStatistics() : null;
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
        Optional<ModelInput> in = pipeline.applyIfSpeech(samples, length, sampleRate, (SpeakerStatistics) speaker);
        if (in.isEmpty()) {
            return EmotionPrediction.noSpeech(card.output().labels());
        }
        return runner.run(List.of(in.get())).get(0);
    }

    /** Runs the model once per group of up to {@link ModelRunner#batchLimit()} inputs of one shape. */
    @Override
    public List<EmotionPrediction> recognizeAll(List<float[]> clips, int sampleRate, SpeakerContext speaker) {
        SpeakerStatistics stats = (SpeakerStatistics) speaker;
        EmotionPrediction[] results = new EmotionPrediction[clips.size()];
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        List<ModelInput> inputs = new ArrayList<>(clips.size());
        for (int i = 0; i < clips.size(); i++) {
            Optional<ModelInput> in;
            try {
                float[] clip = Objects.requireNonNull(clips.get(i), "clip " + i);
                in = pipeline.applyIfSpeech(clip, clip.length, sampleRate, stats);
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

    @Override
    public Optional<float[]> windowProbabilities(float[] samples, int length, int sampleRate, double[] avOut,
                                                 SpeakerContext speaker) {
        runner.ensureOpen();
        Optional<ModelInput> in = pipeline.applyIfSpeech(samples, length, sampleRate, (SpeakerStatistics) speaker);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        EmotionPrediction p = runner.run(List.of(in.get())).get(0);
        avOut[0] = p.arousal().orElse(Double.NaN);
        avOut[1] = p.valence().orElse(Double.NaN);
        return Optional.of(p.probabilities());
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
