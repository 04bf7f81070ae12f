package io.github.ser4j.spark;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.ModelInfo;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A recogniser whose answer follows from the audio by a rule the tests can compute on their own: 1 s windows every
 * 1 s, a window whose RMS is below 0.01 is silence, otherwise {@code p(angry) = min(1, 2 * rms)} and
 * {@code p(calm) = 1 - p(angry)}. Counts its instances and the threads that call it. Thread-safe.
 */
final class FakeRecognizer implements EmotionRecognizer {
    static final List<String> LABELS = List.of("calm", "angry");
    static final AtomicInteger INSTANCES = new AtomicInteger();
    static final Set<String> THREADS = ConcurrentHashMap.newKeySet();
    static volatile RecognizerOptions lastOptions;

    FakeRecognizer(RecognizerOptions options) {
        INSTANCES.incrementAndGet();
        lastOptions = options;
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
        Iterator<EmotionSegment> it = segments.iterator();
        try {
            source.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SegmentStream() {
            @Override
            public double positionSeconds() {
                return x.length / (double) rate;
            }

            @Override
            public void close() {
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public EmotionSegment next() {
                return it.next();
            }
        };
    }

    private static float[] readMono(AudioSource source) {
        int channels = source.format().channels();
        float[] buffer = new float[4096 * channels];
        float[] out = new float[1 << 16];
        int n = 0;
        try {
            int frames;
            while ((frames = source.read(buffer, 0, 4096)) > 0) {
                if (n + frames > out.length) {
                    out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, n + frames));
                }
                for (int f = 0; f < frames; f++) {
                    float s = 0;
                    for (int c = 0; c < channels; c++) {
                        s += buffer[f * channels + c];
                    }
                    out[n++] = s / channels;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return java.util.Arrays.copyOf(out, n);
    }

    @Override
    public void close() {
    }
}
