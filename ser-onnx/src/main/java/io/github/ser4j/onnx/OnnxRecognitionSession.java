package io.github.ser4j.onnx;

import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.PcmEncoding;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.RecognitionSession;
import io.github.ser4j.api.StreamOptions;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The ONNX backend's push session ({@link OnnxEmotionRecognizer#session(PcmFormat, PcmEncoding, StreamOptions,
 * Consumer)}): splits what it is given into chunks of at most {@link WindowEngine#CHUNK_FRAMES} frames and, after each,
 * takes every ready window, exactly as {@link OnnxSegmentStream} does after each read.
 *
 * <p>Thread-safety: one feeding thread at a time; {@link #close()} from any thread.
 */
final class OnnxRecognitionSession implements RecognitionSession {
    private final PcmFormat format;
    private final PcmEncoding encoding;
    private final Consumer<? super EmotionSegment> listener;
    private final ArrayDeque<EmotionSegment> queue;
    private final WindowEngine engine;
    private final int channels;
    private final int frameBytes;
    private final float[] decoded;
    private final byte[] carry;
    private int carryLength;
    private long frames;
    private boolean finished;
    private volatile boolean closed;

    OnnxRecognitionSession(OnnxEmotionRecognizer recognizer, PcmFormat format, PcmEncoding encoding,
                           StreamOptions options, Consumer<? super EmotionSegment> listener) {
        this.format = format;
        this.encoding = encoding;
        this.listener = listener;
        this.queue = listener == null ? new ArrayDeque<>() : null;
        this.engine = new WindowEngine(recognizer, format, options);
        this.channels = format.channels();
        this.frameBytes = encoding.bytesPerSample() * channels;
        this.decoded = new float[WindowEngine.CHUNK_FRAMES * channels];
        this.carry = new byte[frameBytes];
    }

    @Override
    public PcmFormat format() {
        return format;
    }

    @Override
    public void accept(float[] samples, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, samples.length);
        if (length % channels != 0) {
            throw new IllegalArgumentException(length + " samples are not a whole number of " + channels
                    + "-channel frames");
        }
        ensureFeedable();
        int n = length / channels;
        int at = offset;
        while (n > 0 && !engine.ended()) {
            int take = Math.min(n, WindowEngine.CHUNK_FRAMES);
            push(samples, at, take);
            at += take * channels;
            n -= take;
        }
    }

    @Override
    public void accept(byte[] pcm, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, pcm.length);
        ensureFeedable();
        int at = offset;
        int end = offset + length;
        if (carryLength > 0) {
            int take = Math.min(frameBytes - carryLength, end - at);
            System.arraycopy(pcm, at, carry, carryLength, take);
            carryLength += take;
            at += take;
            if (carryLength < frameBytes) {
                return;
            }
            encoding.decode(carry, 0, decoded, 0, channels);
            carryLength = 0;
            push(decoded, 0, 1);
        }
        while (end - at >= frameBytes && !engine.ended()) {
            int take = Math.min((end - at) / frameBytes, WindowEngine.CHUNK_FRAMES);
            encoding.decode(pcm, at, decoded, 0, take * channels);
            at += take * frameBytes;
            push(decoded, 0, take);
        }
        if (!engine.ended() && end > at) {
            carryLength = end - at;
            System.arraycopy(pcm, at, carry, 0, carryLength);
        }
    }

    @Override
    public void finish() {
        if (closed) {
            throw closedException();
        }
        if (finished) {
            return;
        }
        finished = true;
        carryLength = 0;
        engine.end(true);
        drain();
        EmotionSegment last = engine.lastWindow();
        if (last != null) {
            emit(last);
        }
    }

    @Override
    public EmotionSegment poll() {
        return queue == null ? null : queue.poll();
    }

    @Override
    public boolean isEnded() {
        return finished || engine.ended();
    }

    @Override
    public double positionSeconds() {
        return (double) frames / format.sampleRate();
    }

    @Override
    public void close() {
        closed = true;
        if (queue != null) {
            queue.clear();
        }
    }

    private void ensureFeedable() {
        if (closed) {
            throw closedException();
        }
        if (finished) {
            throw new IllegalStateException("the session is finished: it takes no more audio");
        }
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("the recognition session is closed");
    }

    /** One chunk of at most CHUNK_FRAMES frames, then every window it completes. */
    private void push(float[] interleaved, int offset, int n) {
        if (engine.ended()) {
            return;
        }
        frames += n;
        engine.append(interleaved, offset, n);
        drain();
        if (engine.ended()) {
            // stopped by silence: the rest of its windows, then the tail, as the pull stream does
            EmotionSegment last = engine.lastWindow();
            if (last != null) {
                emit(last);
            }
        }
    }

    private void drain() {
        while (engine.windowReady()) {
            if (closed) {
                throw closedException();
            }
            EmotionSegment s = engine.nextWindow();
            if (s != null) {
                emit(s);
            }
        }
    }

    private void emit(EmotionSegment s) {
        if (listener != null) {
            listener.accept(s);
        } else {
            queue.add(s);
        }
    }
}
