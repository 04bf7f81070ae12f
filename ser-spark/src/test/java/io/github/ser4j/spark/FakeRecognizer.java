package io.github.ser4j.spark;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.ModelInfo;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.RecordingPrediction;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.testing.SegmentStreams;
import io.github.ser4j.dsp.signal.AudioSources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A recogniser whose answer follows from the audio by a rule the tests can compute on their own: 1 s windows every
 * 1 s, a window whose RMS is below 0.01 is silence, otherwise {@code p(angry) = min(1, 2 * rms)} and
 * {@code p(calm) = 1 - p(angry)}. Counts its instances, its whole-recording analyses and the threads that call it.
 * Thread-safe.
 *
 * <p>Not shared with ser-examples' fake: that one's rules (peak silence, card labels, gates) suit the CLI and server.
 */
final class FakeRecognizer implements EmotionRecognizer {
    static final List<String> LABELS = List.of("calm", "angry");
    static final AtomicInteger INSTANCES = new AtomicInteger();
    static final Set<String> THREADS = ConcurrentHashMap.newKeySet();
    static final AtomicInteger ANALYSES = new AtomicInteger();
    static volatile RecognizerOptions lastOptions;
    private final boolean wholeRecordings;

    /** The recogniser the provider loads: counted in {@link #INSTANCES}, with {@link #analyze(AudioSource)}. */
    FakeRecognizer(RecognizerOptions options) {
        INSTANCES.incrementAndGet();
        lastOptions = options;
        wholeRecordings = true;
    }

    /**
     * An uncounted one for tests without Spark.
     *
     * @param wholeRecordings whether it has {@link #analyze(AudioSource)}; without, it is a backend that keeps the
     *                        API's default (which throws {@link UnsupportedOperationException})
     */
    FakeRecognizer(boolean wholeRecordings) {
        this.wholeRecordings = wholeRecordings;
    }

    /**
     * The card's windows (1 s every 1 s), each weighted by its length when its RMS makes it speech; a file of at most
     * 1 s is one clip. Speech seconds: the length of the speech windows (or of the speech clip).
     */
    @Override
    public RecordingPrediction analyze(AudioSource source) {
        if (!wholeRecordings) {
            return EmotionRecognizer.super.analyze(source);
        }
        THREADS.add(Thread.currentThread().getName());
        ANALYSES.incrementAndGet();
        int rate = source.format().sampleRate();
        float[] x = readMono(source);
        if (x.length == 0) {
            throw new IllegalArgumentException("the audio source delivered no samples");
        }
        double duration = x.length / (double) rate;
        if (x.length <= rate) {
            EmotionPrediction p = predict(x, 0, x.length);
            return new RecordingPrediction(p, duration, p.isSpeech() ? duration : 0, p.isSpeech() ? 1 : 0);
        }
        double[] sum = new double[LABELS.size()];
        double weights = 0;
        int windows = 0;
        for (int from = 0; from < x.length; from += rate) {
            int to = Math.min(x.length, from + rate);
            EmotionPrediction p = predict(x, from, to);
            if (p.isSpeech()) {
                double w = (to - from) / (double) rate;
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += w * p.probabilities()[i];
                }
                weights += w;
                windows++;
            }
        }
        if (windows == 0) {
            return new RecordingPrediction(EmotionPrediction.noSpeech(LABELS), duration, 0, 0);
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (sum[i] / weights);
        }
        return new RecordingPrediction(EmotionPrediction.of(LABELS, mean), duration, weights, windows);
    }

    @Override
    public ModelInfo model() {
        return new ModelInfo("fake", "0.1", LABELS, 16000, 1.0, 1.0, "none", "test double");
    }

    static EmotionPrediction predict(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        double rms = Math.sqrt(sum / Math.max(1, to - from));
        if (rms < 0.01) {
            return EmotionPrediction.noSpeech(LABELS);
        }
        float angry = (float) Math.min(1.0, 2 * rms);
        return EmotionPrediction.of(LABELS, new float[] {1f - angry, angry});
    }

    @Override
    public EmotionPrediction recognize(float[] samples, int sampleRate) {
        THREADS.add(Thread.currentThread().getName());
        return predict(samples, 0, samples.length);
    }

    @Override
    public List<EmotionPrediction> recognizeAll(List<float[]> clips, int sampleRate) {
        return clips.stream().map(c -> recognize(c, sampleRate)).toList();
    }

    @Override
    public EmotionPrediction recognize(AudioSource source) {
        return recognize(readMono(source), source.format().sampleRate());
    }

    @Override
    public SegmentStream stream(AudioSource source, StreamOptions options) {
        THREADS.add(Thread.currentThread().getName());
        int rate = source.format().sampleRate();
        float[] x = readMono(source);
        double window = options.windowSeconds().orElse(1.0);
        double hop = options.hopSeconds().orElse(1.0);
        List<EmotionSegment> segments = new ArrayList<>();
        for (long k = 0; Math.round(k * hop * rate) < x.length; k++) {
            int from = (int) Math.round(k * hop * rate);
            int to = (int) Math.min(x.length, Math.round((k * hop + window) * rate));
            EmotionPrediction p = predict(x, from, to);
            if (p.isSpeech()) {
                segments.add(new EmotionSegment(from / (double) rate, to / (double) rate, p));
            }
        }
        try {
            source.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SegmentStreams.of(segments, x.length / (double) rate);
    }

    /** Reads a source to its end, its channels averaged, at its own rate ({@link AudioSources#readAllMono}). */
    private static float[] readMono(AudioSource source) {
        return AudioSources.readAllMono(source, source.format().sampleRate(), Integer.MAX_VALUE - 8);
    }

    @Override
    public void close() {
    }
}
