package io.github.ser4j.dsp.internal;

import io.github.ser4j.dsp.stream.FeatureStream;
import io.github.ser4j.dsp.stream.FrameSink;

import java.util.Objects;

/**
 * The {@link FeatureStream} implementation: a bounded sample buffer, a {@link Framer} deciding when a frame is final
 * and which samples may be dropped, and a {@link FrameProcessor}. Not thread-safe. Not API.
 */
public final class StreamEngine implements FeatureStream {
    private final Framer framer;
    private final FrameProcessor processor;
    private final float[] out;
    private final float[] frame;
    private final float[] buf;
    private long bufStart;
    private int bufCount;
    private long n;
    private long nextFrame;
    private boolean finished;

    /**
     * @param framer    framing and padding
     * @param processor per-frame features
     */
    public StreamEngine(Framer framer, FrameProcessor processor) {
        this.framer = framer;
        this.processor = processor;
        this.out = new float[processor.outputSize()];
        this.frame = new float[framer.frameLength()];
        // never more than about frameLength + 2 hops must be kept (see Framer.retainFrom)
        this.buf = new float[2 * (framer.frameLength() + framer.hop()) + 16];
    }

    @Override
    public int featureCount() {
        return out.length;
    }

    @Override
    public void push(float[] samples, int offset, int length, FrameSink sink) {
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(sink, "sink");
        Objects.checkFromIndexSize(offset, length, samples.length);
        if (finished) {
            throw new IllegalStateException("stream already finished; call reset() to start a new signal");
        }
        Checks.finite(samples, offset, length, "samples");
        int off = offset;
        int len = length;
        while (len > 0) {
            long retain = framer.retainFrom(nextFrame, n);
            if (retain > n) {
                // no frame reads these samples (hop longer than a frame)
                int skip = (int) Math.min(len, retain - n);
                n += skip;
                off += skip;
                len -= skip;
                bufStart = n;
                bufCount = 0;
                continue;
            }
            compact(retain);
            int take = Math.min(buf.length - bufCount, len);
            if (take <= 0) {
                throw new IllegalStateException("stream buffer exhausted: " + bufCount + " samples retained");
            }
            System.arraycopy(samples, off, buf, bufCount, take);
            bufCount += take;
            n += take;
            off += take;
            len -= take;
            while (framer.ready(nextFrame, n)) {
                compute(nextFrame, n);
                sink.accept(nextFrame, out);
                nextFrame++;
            }
        }
    }

    private void compact(long retain) {
        if (retain > bufStart) {
            int drop = (int) (retain - bufStart);
            System.arraycopy(buf, drop, buf, 0, bufCount - drop);
            bufCount -= drop;
            bufStart = retain;
        }
    }

    private void compute(long k, long len) {
        if (framer.inside(k, len)) {
            processor.process(buf, (int) (framer.frameStart(k) - bufStart), out);
        } else {
            framer.assemble(k, buf, bufStart, bufCount, len, frame);
            processor.process(frame, 0, out);
        }
    }

    @Override
    public void finish(FrameSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (finished) {
            throw new IllegalStateException("stream already finished; call reset() to start a new signal");
        }
        finished = true;
        if (n == 0) {
            return;
        }
        long total = framer.frameCountOrNegative(n);
        while (nextFrame < total) {
            compute(nextFrame, n);
            sink.accept(nextFrame, out);
            nextFrame++;
        }
    }

    @Override
    public void reset() {
        bufStart = 0;
        bufCount = 0;
        n = 0;
        nextFrame = 0;
        finished = false;
    }

    @Override
    public long samplesPushed() {
        return n;
    }

    @Override
    public long framesEmitted() {
        return nextFrame;
    }
}
