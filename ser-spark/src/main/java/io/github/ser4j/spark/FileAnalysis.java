package io.github.ser4j.spark;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.RecordingPrediction;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.dsp.signal.CountingAudioSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Analyses one file's bytes with a shared recogniser: its timeline (VAD-gated sliding windows, the options' window
 * and hop) and its file-level result, {@link EmotionRecognizer#analyze(AudioSource)} as {@code ser analyze} gives it
 * (a second pass over the bytes). Never throws for a bad file: every failure becomes an {@link Outcome} with {@code ok = false}.
 *
 * <p>Stateless and thread-safe (the recogniser is shared, each call opens its own sources).
 */
final class FileAnalysis {
    private FileAnalysis() {
    }

    /**
     * The result for one file.
     *
     * @param ok         whether it was analysed
     * @param errorType  the simple class name of the failure, or null
     * @param error      its message, or null
     * @param durationS  seconds of audio decoded, NaN on failure
     * @param speechS    seconds of speech ({@link RecordingPrediction#speechSeconds()}), NaN on failure
     * @param windows    windows the file-level prediction aggregates ({@link RecordingPrediction#windows()}), 0
     *                   on failure
     * @param prediction the file-level prediction, null on failure
     * @param segments   the timeline, empty on failure
     */
    record Outcome(boolean ok, String errorType, String error, double durationS, double speechS, int windows,
                   EmotionPrediction prediction, List<EmotionSegment> segments) {
        static Outcome failure(Throwable e) {
            String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                    : e.getMessage();
            return new Outcome(false, e.getClass().getSimpleName(), message, Double.NaN, Double.NaN, 0, null,
                    List.of());
        }
    }

    /**
     * @param recognizer  the shared recogniser
     * @param options     windowing for the timeline
     * @param clipSeconds the model's window: files up to this long are one clip (used only by a backend without
     *                    {@link EmotionRecognizer#analyze(AudioSource)})
     * @param bytes       the encoded file
     * @return the outcome; never throws for a bad file
     */
    static Outcome analyse(EmotionRecognizer recognizer, StreamOptions options, double clipSeconds, byte[] bytes) {
        try {
            List<EmotionSegment> segments = new ArrayList<>();
            CountingAudioSource source = new CountingAudioSource(AudioSource.open(new ByteArrayInputStream(bytes)));
            try (SegmentStream stream = recognizer.stream(source, options)) {
                stream.forEachRemaining(segments::add);
            }
            long frames = source.framesRead();
            int rate = source.format().sampleRate();
            if (frames == 0) {
                throw new CorruptAudioException("the file holds no audio frames");
            }
            double duration = frames / (double) rate;
            RecordingPrediction whole;
            try (AudioSource again = AudioSource.open(new ByteArrayInputStream(bytes))) {
                // the file-level result of `ser analyze` and the HTTP API: the model card's own windows, weighted
                // by the voice-activity frames in each, whatever the timeline's window and hop
                whole = recognizer.analyze(again);
            } catch (UnsupportedOperationException e) {
                whole = fromTimeline(recognizer, clipSeconds, bytes, duration, segments);
            }
            return new Outcome(true, null, null, duration, whole.speechSeconds(), whole.windows(),
                    whole.prediction(), segments);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return Outcome.failure(e);
        }
    }

    /**
     * For a backend without {@link EmotionRecognizer#analyze(AudioSource)} (the API's default): a clip within the
     * model's window is recognised whole; a longer file gets the mean of its timeline's probabilities weighted by
     * each segment's length (the speech span inside the window), with the union of the segments as its speech.
     */
    private static RecordingPrediction fromTimeline(EmotionRecognizer recognizer, double clipSeconds, byte[] bytes,
                                                    double duration, List<EmotionSegment> segments)
            throws IOException {
        EmotionPrediction p;
        if (duration <= clipSeconds) {
            try (AudioSource clip = AudioSource.open(new ByteArrayInputStream(bytes))) {
                p = recognizer.recognize(clip);
            }
        } else {
            p = fileLevelFromSegments(segments, recognizer.labels());
        }
        int windows = !p.isSpeech() ? 0 : duration <= clipSeconds ? 1 : segments.size();
        return new RecordingPrediction(p, duration, speechSeconds(segments), windows);
    }

    /**
     * The file-level prediction of a timeline: the speech-duration-weighted mean of the segments' probabilities (and of
     * their arousal and valence, when every segment has them); {@link EmotionPrediction#noSpeech} without segments.
     * Only for backends without {@link EmotionRecognizer#analyze(AudioSource)}: that one weighs each window by its
     * voice-activity frames rather than by the span from its first to its last speech frame.
     *
     * @param segments the timeline
     * @param labels   the model's labels
     * @return the file-level prediction
     */
    static EmotionPrediction fileLevelFromSegments(List<EmotionSegment> segments, List<String> labels) {
        if (segments.isEmpty()) {
            return EmotionPrediction.noSpeech(labels);
        }
        double[] sum = new double[labels.size()];
        double weights = 0;
        double arousal = 0;
        double valence = 0;
        boolean av = true;
        for (EmotionSegment s : segments) {
            double w = s.durationSeconds();
            float[] p = s.prediction().probabilities();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += w * p[i];
            }
            weights += w;
            if (s.prediction().arousal().isPresent() && s.prediction().valence().isPresent()) {
                arousal += w * s.prediction().arousal().getAsDouble();
                valence += w * s.prediction().valence().getAsDouble();
            } else {
                av = false;
            }
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) Math.min(1.0, Math.max(0.0, sum[i] / weights));
        }
        return av ? EmotionPrediction.of(labels, mean, arousal / weights, valence / weights)
                : EmotionPrediction.of(labels, mean);
    }

    /**
     * @param segments a timeline (windows may overlap)
     * @return the length of the union of their intervals, in seconds
     */
    static double speechSeconds(List<EmotionSegment> segments) {
        List<EmotionSegment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparingDouble(EmotionSegment::startSeconds));
        double total = 0;
        double start = Double.NaN;
        double end = Double.NaN;
        for (EmotionSegment s : sorted) {
            if (Double.isNaN(end) || s.startSeconds() > end) {
                if (!Double.isNaN(end)) {
                    total += end - start;
                }
                start = s.startSeconds();
                end = s.endSeconds();
            } else {
                end = Math.max(end, s.endSeconds());
            }
        }
        return Double.isNaN(end) ? 0 : total + (end - start);
    }
}
