package io.github.ser4j.onnx;

import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.NoSuchElementException;

/**
 * Sliding-window, VAD-gated recognition over an {@link AudioSource} (see
 * {@link OnnxEmotionRecognizer#stream(AudioSource, StreamOptions)}): reads the source lazily on the iterating thread
 * and drives a {@link WindowEngine}, which the push session drives too. Buffers are allocated once per stream.
 *
 * <p>Thread-safety: iterate from one thread; {@link #close()} may be called from any thread.
 */
final class OnnxSegmentStream implements SegmentStream {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxSegmentStream.class);

    private final AudioSource source;
    private final int sourceRate;
    private final WindowEngine engine;
    private final float[] readBuffer;
    private long sourceFrames;
    private boolean finished;
    private volatile boolean closed;
    private EmotionSegment next;

    OnnxSegmentStream(OnnxEmotionRecognizer recognizer, AudioSource source, StreamOptions options) {
        this.source = source;
        this.sourceRate = source.format().sampleRate();
        this.engine = new WindowEngine(recognizer, source.format(), options);
        this.readBuffer = new float[WindowEngine.CHUNK_FRAMES * source.format().channels()];
    }

    @Override
    public boolean hasNext() {
        while (next == null && !finished) {
            if (closed) {
                finished = true;
                break;
            }
            if (engine.windowReady()) {
                next = engine.nextWindow();
                continue;
            }
            if (engine.ended()) {
                next = engine.lastWindow();
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

    private void readMore() {
        int got;
        try {
            got = source.read(readBuffer, 0, WindowEngine.CHUNK_FRAMES);
        } catch (IOException e) {
            if (closed) {
                engine.end(false);
                return;
            }
            throw new AudioException("reading the stream's audio failed: " + e.getMessage(), e);
        }
        if (got <= 0) {
            engine.end(true);
            return;
        }
        sourceFrames += got;
        engine.append(readBuffer, 0, got);  // non-finite samples: CorruptAudioException
        if (engine.stoppedBySilence()) {
            closeSource();
        }
    }
}
