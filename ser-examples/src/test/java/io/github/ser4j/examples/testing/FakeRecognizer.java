package io.github.ser4j.examples.testing;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.InferenceException;
import io.github.ser4j.api.ModelInfo;
import io.github.ser4j.api.RecordingPrediction;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.testing.SegmentStreams;
import io.github.ser4j.dsp.signal.AudioSources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A transparent stand-in model for testing the CLI's plumbing: the probability of the LAST label is
 * {@code min(1, 2 * rms)} of the clip, the rest is spread evenly over the other labels; a clip whose peak is below
 * 1e-4 is no speech. Streams use windows of the options (default 1 s, hop 0.5 s), only whole windows, and skip silent
 * windows when VAD is enabled. No resampling: the rate is irrelevant to this model.
 *
 * <p>Not shared with ser-spark's fake: that one's rules (RMS silence, windowed {@code analyze}) suit Spark's rows.
 */
public final class FakeRecognizer implements EmotionRecognizer {
    /** Lets a test hold a recognition in flight: set {@link #gate}, use a card with {@code "block": true}. */
    public static final class Gate {
        /** Counted down when a recognition has started. */
        public final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        /** The recognition waits for this (at most 10 s). */
        public final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    }

    /** The gate blocking recognitions of "block" cards; null lets them through. */
    public static volatile Gate gate;

    private final List<String> labels;
    private final double failAboveSeconds;
    private final boolean block;
    private final io.github.ser4j.api.RecognizerOptions options;
    private final java.util.concurrent.atomic.AtomicInteger recognitions =
            new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger openSessions =
            new java.util.concurrent.atomic.AtomicInteger();

    FakeRecognizer(List<String> labels, double failAboveSeconds, boolean block,
                   io.github.ser4j.api.RecognizerOptions options) {
        this.options = options;
        this.labels = List.copyOf(labels);
        this.failAboveSeconds = failAboveSeconds;
        this.block = block;
    }

    @Override
    public ModelInfo model() {
        return new ModelInfo("fake", "1", labels, 16000, 1.0, 0.5, "none", "test double");
    }

    @Override
    public EmotionPrediction recognize(float[] samples, int sampleRate) {
        check();
        recognitions.incrementAndGet();
        if (samples.length == 0) {
            throw new IllegalArgumentException("empty clip");
        }
        Gate g = gate;
        if (block && g != null) {
            g.entered.countDown();
            try {
                g.release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (samples.length / (double) sampleRate > failAboveSeconds) {
            throw new InferenceException("fake model refuses clips longer than " + failAboveSeconds + " s");
        }
        double sum = 0;
        double peak = 0;
        for (float s : samples) {
            sum += (double) s * s;
            peak = Math.max(peak, Math.abs(s));
        }
        if (peak < 1e-4) {
            return EmotionPrediction.noSpeech(labels);
        }
        float last = (float) Math.min(1.0, 2 * Math.sqrt(sum / samples.length));
        float[] p = new float[labels.size()];
        for (int i = 0; i < p.length - 1; i++) {
            p[i] = (1 - last) / (p.length - 1);
        }
        p[p.length - 1] = last;
        return EmotionPrediction.of(labels, p);
    }

    @Override
    public List<EmotionPrediction> recognizeAll(List<float[]> clips, int sampleRate) {
        List<EmotionPrediction> out = new ArrayList<>();
        for (float[] c : clips) {
            out.add(recognize(c, sampleRate));
        }
        return out;
    }

    @Override
    public EmotionPrediction recognize(AudioSource source) {
        check();
        return recognize(readMono(source), source.format().sampleRate());
    }

    /** The whole source as one clip: 1 window (0 without speech), all of it speech when it is speech. */
    @Override
    public RecordingPrediction analyze(AudioSource source) {
        check();
        int rate = source.format().sampleRate();
        float[] all = readMono(source);
        EmotionPrediction p = recognize(all, rate);
        double seconds = all.length / (double) rate;
        return new RecordingPrediction(p, seconds, p.isSpeech() ? seconds : 0, p.isSpeech() ? 1 : 0);
    }

    @Override
    public SegmentStream stream(AudioSource source, StreamOptions options) {
        check();
        int rate = source.format().sampleRate();
        float[] all = readMono(source);
        int window = (int) Math.round(options.windowSeconds().orElse(1.0) * rate);
        int hop = (int) Math.round(options.hopSeconds().orElse(0.5) * rate);
        List<EmotionSegment> segments = new ArrayList<>();
        for (int start = 0; start + window <= all.length; start += hop) {
            float[] w = java.util.Arrays.copyOfRange(all, start, start + window);
            EmotionPrediction p = recognize(w, rate);
            if (options.vadEnabled() && !p.isSpeech()) {
                continue;
            }
            segments.add(new EmotionSegment(start / (double) rate, (start + window) / (double) rate, p));
        }
        try {
            source.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SegmentStreams.of(segments, all.length / (double) rate);
    }

    /**
     * A push session with the windows of {@link #stream(AudioSource, StreamOptions)}: the same segments for the same
     * audio, each delivered as soon as its window is complete (no tail analysis, like the stream).
     */
    @Override
    public io.github.ser4j.api.RecognitionSession session(io.github.ser4j.api.PcmFormat format,
            io.github.ser4j.api.PcmEncoding encoding, StreamOptions options,
            java.util.function.Consumer<? super EmotionSegment> listener) {
        check();
        int rate = format.sampleRate();
        int ch = format.channels();
        int window = (int) Math.round(options.windowSeconds().orElse(1.0) * rate);
        int hop = (int) Math.round(options.hopSeconds().orElse(0.5) * rate);
        openSessions.incrementAndGet();
        return new io.github.ser4j.api.RecognitionSession() {
            private float[] mono = new float[1 << 14];
            private int n;
            private int next;
            private boolean ended;
            private boolean closed;
            private final java.util.ArrayDeque<EmotionSegment> queue = new java.util.ArrayDeque<>();
            private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

            @Override
            public io.github.ser4j.api.PcmFormat format() {
                return format;
            }

            @Override
            public void accept(float[] samples, int offset, int length) {
                if (closed || ended) {
                    throw new IllegalStateException("session finished or closed");
                }
                if (length % ch != 0) {
                    throw new IllegalArgumentException("not whole frames");
                }
                for (int f = 0; f < length / ch; f++) {
                    float sum = 0;
                    for (int c = 0; c < ch; c++) {
                        sum += samples[offset + f * ch + c];
                    }
                    if (n == mono.length) {
                        mono = java.util.Arrays.copyOf(mono, 2 * n);
                    }
                    mono[n++] = sum / ch;
                }
                for (; next + window <= n; next += hop) {
                    EmotionPrediction p = recognize(java.util.Arrays.copyOfRange(mono, next, next + window), rate);
                    if (options.vadEnabled() && !p.isSpeech()) {
                        continue;
                    }
                    EmotionSegment seg = new EmotionSegment(next / (double) rate, (next + window) / (double) rate, p);
                    if (listener != null) {
                        listener.accept(seg);
                    } else {
                        queue.add(seg);
                    }
                }
            }

            @Override
            public void accept(byte[] pcm, int offset, int length) {
                partial.write(pcm, offset, length);
                byte[] all = partial.toByteArray();
                int whole = all.length / (encoding.bytesPerSample() * ch) * ch;
                float[] f = new float[whole];
                encoding.decode(all, 0, f, 0, whole);
                partial.reset();
                partial.write(all, whole * encoding.bytesPerSample(), all.length - whole * encoding.bytesPerSample());
                accept(f, 0, whole);
            }

            @Override
            public void finish() {
                ended = true;
            }

            @Override
            public EmotionSegment poll() {
                return queue.poll();
            }

            @Override
            public boolean isEnded() {
                return ended;
            }

            @Override
            public double positionSeconds() {
                return n / (double) rate;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    mono = null; // its buffers are released
                    openSessions.decrementAndGet();
                }
            }
        };
    }

    /** {@return the options this recogniser was created with (the fake ignores them)} */
    public io.github.ser4j.api.RecognizerOptions options() {
        return options;
    }

    /** {@return clips and windows recognised so far} */
    public int recognitions() {
        return recognitions.get();
    }

    /** {@return whether {@link #close()} was called} */
    public boolean isClosed() {
        return closed;
    }

    /** {@return push sessions opened and not yet closed (each holds its buffers until closed)} */
    public int openSessions() {
        return openSessions.get();
    }

    /** Reads a source to its end, its channels averaged, at its own rate ({@link AudioSources#readAllMono}). */
    private static float[] readMono(AudioSource source) {
        return AudioSources.readAllMono(source, source.format().sampleRate(), Integer.MAX_VALUE - 8);
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
