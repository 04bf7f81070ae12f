package io.github.ser4j.examples.analysis;

import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;

import java.util.ArrayList;
import java.util.List;

/**
 * Timeline clean-up shared by {@code ser analyze --timeline} and the HTTP API. Overlapping windows that the speech
 * gate trims to the same speech come out of a stream with the same span (two rows {@code 1.04 - 2.90 s}); such runs
 * become one segment whose probabilities are the mean of theirs. Stateless and thread-safe.
 */
public final class Segments {
    /** Spans whose start and end differ by less than this (seconds) are the same: half the 0.01 s printed. */
    public static final double SAME_SPAN_SECONDS = 0.005;

    private Segments() {
    }

    /**
     * @param segments a timeline in time order
     * @return the timeline with each run of consecutive same-span segments merged into one (the list itself when
     * there is none)
     */
    public static List<EmotionSegment> mergeSameSpans(List<EmotionSegment> segments) {
        List<EmotionSegment> out = new ArrayList<>(segments.size());
        List<EmotionSegment> run = new ArrayList<>();
        for (EmotionSegment s : segments) {
            if (!run.isEmpty() && !sameSpan(run.get(0), s)) {
                out.add(merge(run));
                run.clear();
            }
            run.add(s);
        }
        if (!run.isEmpty()) {
            out.add(merge(run));
        }
        return out.size() == segments.size() ? segments : out;
    }

    private static boolean sameSpan(EmotionSegment a, EmotionSegment b) {
        return Math.abs(a.startSeconds() - b.startSeconds()) < SAME_SPAN_SECONDS
                && Math.abs(a.endSeconds() - b.endSeconds()) < SAME_SPAN_SECONDS;
    }

    /** The mean of the run's speech predictions (no speech only when none of them is speech). */
    private static EmotionSegment merge(List<EmotionSegment> run) {
        if (run.size() == 1) {
            return run.get(0);
        }
        List<EmotionPrediction> speech = run.stream().map(EmotionSegment::prediction)
                .filter(EmotionPrediction::isSpeech).toList();
        EmotionSegment first = run.get(0);
        if (speech.size() <= 1) {
            return speech.isEmpty() ? first
                    : new EmotionSegment(first.startSeconds(), first.endSeconds(), speech.get(0));
        }
        List<String> labels = speech.get(0).labels();
        float[] mean = new float[labels.size()];
        double arousal = 0;
        double valence = 0;
        boolean dimensions = true;
        for (EmotionPrediction p : speech) {
            float[] q = p.probabilities();
            for (int i = 0; i < mean.length; i++) {
                mean[i] += q[i] / speech.size();
            }
            dimensions &= p.arousal().isPresent() && p.valence().isPresent();
            arousal += p.arousal().orElse(0) / speech.size();
            valence += p.valence().orElse(0) / speech.size();
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] = Math.min(1f, mean[i]); // float rounding of a mean of values <= 1
        }
        EmotionPrediction merged = dimensions ? EmotionPrediction.of(labels, mean, arousal, valence)
                : EmotionPrediction.of(labels, mean);
        return new EmotionSegment(first.startSeconds(), first.endSeconds(), merged);
    }
}
