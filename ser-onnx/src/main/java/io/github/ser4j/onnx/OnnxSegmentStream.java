package io.github.ser4j.onnx;

import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.vad.VoiceActivityDetector;
import io.github.ser4j.dsp.signal.Resampler;
import io.github.ser4j.dsp.signal.ResamplerStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Sliding-window, VAD-gated recognition over an {@link AudioSource} (see
 * {@link OnnxEmotionRecognizer#stream(AudioSource, StreamOptions)}). Reads lazily on the iterating thread; buffers
 * are allocated once per stream (a window copy per analysed window is the only per-window allocation besides the
 * model input).
 *
 * <p>Thread-safety: iterate from one thread; {@link #close()} may be called from any thread.
 */
final class OnnxSegmentStream implements SegmentStream {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxSegmentStream.class);
    private static final int CHUNK_FRAMES = 4096;

    private final OnnxEmotionRecognizer recognizer;
    private final AudioSource source;
    private final int channels;
    private final int sourceRate;
    private final int rate;
    private final ResamplerStream resampler;
    private final int window;
    private final int hop;
    private final int smoothing;
    private final long silenceStopSamples;
    private final boolean gate;

    private final VoiceActivityDetector vad;
    private final int vadFrame;
    private final float[] vadPending;
    private int vadPendingLength;
    private final boolean[] vadRing;
    private long vadFramesDecided;
    private long lastSpeechEnd = -1;

    private final float[] readBuffer;
    private final float[] monoBuffer;
    private final float[] resampledBuffer;
    private float[] buffer;
    private long bufferStart;
    private int bufferLength;
    private long total;
    private long sourceFrames;

    private long nextStart;
    private long coveredUntil;
    private boolean ended;
    private boolean finished;
    private volatile boolean closed;
    private EmotionSegment next;
    private final ArrayDeque<float[]> history = new ArrayDeque<>();
    private final double[] av = new double[2];

    OnnxSegmentStream(OnnxEmotionRecognizer recognizer, AudioSource source, StreamOptions options) {
        this.recognizer = recognizer;
        this.source = source;
        this.channels = source.format().channels();
        this.sourceRate = source.format().sampleRate();
        this.rate = recognizer.pipeline().targetSampleRate(sourceRate);
        double windowSeconds = options.windowSeconds().orElse(recognizer.card().streaming().windowSeconds());
        double hopSeconds = options.hopSeconds().orElse(options.windowSeconds().isPresent()
                ? Math.min(windowSeconds, recognizer.card().streaming().hopSeconds())
                : recognizer.card().streaming().hopSeconds());
        if (hopSeconds > windowSeconds) {
            throw new IllegalArgumentException("hop " + hopSeconds + " s exceeds window " + windowSeconds
                    + " s (from StreamOptions and the card's streaming defaults): audio between windows would be "
                    + "ignored");
        }
        this.window = Math.max(1, (int) Math.rint(windowSeconds * rate));
        this.hop = Math.max(1, (int) Math.rint(hopSeconds * rate));
        this.smoothing = options.smoothing();
        this.silenceStopSamples = Double.isInfinite(options.silenceStopSeconds()) ? Long.MAX_VALUE
                : (long) Math.ceil(options.silenceStopSeconds() * rate);
        this.gate = options.vadEnabled();
        boolean needVad = gate || silenceStopSamples != Long.MAX_VALUE;
        this.vad = needVad ? options.vadFactory().create(rate) : null;
        if (vad != null && vad.sampleRate() != rate) {
            throw new IllegalStateException("the voice-activity detector runs at " + vad.sampleRate()
                    + " Hz but the stream at " + rate + " Hz");
        }
        this.vadFrame = vad == null ? 1 : vad.frameSize();
        this.vadPending = new float[vadFrame];
        this.resampler = rate == sourceRate ? null : Resampler.of(sourceRate, rate).newStream();
        int maxOut = resampler == null ? CHUNK_FRAMES
                : (int) Math.max(resampler.resampler().maxOutputLength(CHUNK_FRAMES),
                        resampler.resampler().maxFlushLength());
        this.readBuffer = new float[CHUNK_FRAMES * channels];
        this.monoBuffer = new float[CHUNK_FRAMES];
        this.resampledBuffer = new float[maxOut];
        this.buffer = new float[window + resampledBuffer.length + hop];
        this.vadRing = new boolean[(buffer.length + 2 * vadFrame) / vadFrame + 4];
    }

    @Override
    public boolean hasNext() {
        while (next == null && !finished) {
            if (closed) {
                finished = true;
                break;
            }
            if (total >= nextStart + window) {
                analyse(nextStart, nextStart + window);
                nextStart += hop;
                continue;
            }
            if (ended) {
                if (nextStart < total && total > coveredUntil) {
                    analyse(nextStart, total);
                }
                finished = true;
                break;
            }
            readMore();
        }
        return next != null;
    }

    @Override
    public EmotionSegment next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the stream has ended");
        }
        EmotionSegment s = next;
        next = null;
        return s;
    }

    @Override
    public double positionSeconds() {
        return (double) sourceFrames / sourceRate;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeSource();
    }

    private void closeSource() {
        try {
            source.close();
        } catch (IOException e) {
            LOG.debug("closing the stream's source failed: {}", e.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void readMore() {
        int got;
        try {
            got = source.read(readBuffer, 0, CHUNK_FRAMES);
        } catch (IOException e) {
            if (closed) {
                ended = true;
                return;
            }
            throw new AudioException("reading the stream's audio failed: " + e.getMessage(), e);
        }
        if (got <= 0) {
            ended = true;
            if (resampler != null) {
                int n = resampler.flush(resampledBuffer, 0);
                append(resampledBuffer, n);
            }
            return;
        }
        for (int i = 0, end = got * channels; i < end; i++) {
            if (!Float.isFinite(readBuffer[i])) {
                // as recognize(AudioSource): a damaged source is an error, never silently skipped windows
                throw new CorruptAudioException("the audio source " + source + " delivers a non-finite sample ("
                        + readBuffer[i] + ") at frame " + (sourceFrames + i / channels) + ", channel "
                        + i % channels + "; samples must be finite");
            }
        }
        sourceFrames += got;
        MonoReader.mixDown(readBuffer, got, channels, monoBuffer, 0);
        if (resampler == null) {
            append(monoBuffer, got);
        } else {
            int n = resampler.process(monoBuffer, 0, got, resampledBuffer, 0);
            append(resampledBuffer, n);
        }
    }

    /** Appends samples at the stream rate: to the window buffer and through the VAD. */
    private void append(float[] samples, int n) {
        if (n <= 0) {
            return;
        }
        // drop what no window needs any more
        long keepFrom = Math.min(nextStart, bufferStart + bufferLength);
        int drop = (int) (keepFrom - bufferStart);
        if (drop > 0) {
            System.arraycopy(buffer, drop, buffer, 0, bufferLength - drop);
            bufferLength -= drop;
            bufferStart += drop;
        }
        if (bufferLength + n > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(bufferLength + n, 2 * buffer.length));
        }
        System.arraycopy(samples, 0, buffer, bufferLength, n);
        bufferLength += n;
        if (vad != null) {
            feedVad(samples, n);
        }
        total += n;
    }

    private void feedVad(float[] samples, int n) {
        int i = 0;
        while (i < n) {
            int take = Math.min(n - i, vadFrame - vadPendingLength);
            System.arraycopy(samples, i, vadPending, vadPendingLength, take);
            vadPendingLength += take;
            i += take;
            if (vadPendingLength == vadFrame) {
                boolean speech = vad.isSpeech(vadPending, 0);
                vadRing[(int) (vadFramesDecided % vadRing.length)] = speech;
                vadFramesDecided++;
                vadPendingLength = 0;
                long frameEnd = vadFramesDecided * vadFrame;
                if (speech) {
                    lastSpeechEnd = frameEnd;
                } else if (lastSpeechEnd >= 0 && frameEnd - lastSpeechEnd >= silenceStopSamples && !ended) {
                    LOG.debug("stream stopped after {} s of silence", (frameEnd - lastSpeechEnd) / (double) rate);
                    ended = true; // the windows before this point are still analysed
                    closeSource();
                }
            }
        }
    }

    /** Analyses the window [start, end) of the stream (sample indices at the stream rate). */
    private void analyse(long start, long end) {
        coveredUntil = Math.max(coveredUntil, end);
        double segStart = start;
        double segEnd = end;
        if (gate) {
            long first = -1;
            long last = -1;
            long k0 = (start + vadFrame - 1) / vadFrame;
            long k1 = Math.min(end / vadFrame, vadFramesDecided); // frames fully inside the window
            long oldest = vadFramesDecided - vadRing.length;
            for (long k = Math.max(k0, oldest); k < k1; k++) {
                if (vadRing[(int) (k % vadRing.length)]) {
                    if (first < 0) {
                        first = k;
                    }
                    last = k;
                }
            }
            if (first < 0) {
                history.clear();
                return;
            }
            segStart = Math.max(start, first * vadFrame);
            segEnd = Math.min(end, (last + 1) * vadFrame);
        }
        int from = (int) (start - bufferStart);
        float[] clip = Arrays.copyOfRange(buffer, from, from + (int) (end - start));
        Optional<float[]> probs;
        try {
            probs = recognizer.windowProbabilities(clip, rate, av);
        } catch (IllegalArgumentException e) {
            // only a last, partial window can be too short for the card's features
            LOG.debug("skipped the window {}..{} s: {}", start / (double) rate, end / (double) rate, e.getMessage());
            history.clear();
            return;
        }
        if (probs.isEmpty()) {
            history.clear();
            return;
        }
        float[] p = probs.get();
        if (smoothing > 1) {
            history.addLast(p);
            while (history.size() > smoothing) {
                history.removeFirst();
            }
            float[] mean = new float[p.length];
            for (float[] h : history) {
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += h[i];
                }
            }
            for (int i = 0; i < mean.length; i++) {
                mean[i] = Math.min(1f, mean[i] / history.size());
            }
            p = mean;
        }
        EmotionPrediction prediction = EmotionPrediction.of(recognizer.labelList(), p, av[0], av[1]);
        next = new EmotionSegment(segStart / rate, segEnd / rate, prediction);
    }
}
