package io.github.ser4j.dsp.signal;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.PcmFormat;

import java.io.IOException;
import java.util.Objects;

/**
 * Passes a source through and counts the frames read, so the exact duration is known once it has been read to the
 * end (also for containers that do not state their length). Not thread-safe, like every {@link AudioSource}.
 */
public final class CountingAudioSource implements AudioSource {
    private final AudioSource delegate;
    private volatile long frames;

    /** @param delegate the source to read; closed by {@link #close()} */
    public CountingAudioSource(AudioSource delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public PcmFormat format() {
        return delegate.format();
    }

    @Override
    public int read(float[] buffer, int offset, int frameCount) throws IOException {
        int n = delegate.read(buffer, offset, frameCount);
        if (n > 0) {
            frames += n;
        }
        return n;
    }

    @Override
    public long frameLength() {
        return delegate.frameLength();
    }

    @Override
    public long declaredFrameLength() {
        return delegate.declaredFrameLength();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    /** {@return frames read so far} */
    public long framesRead() {
        return frames;
    }

    /**
     * @return whether the source ended before the frames its header declares (call after reading to the end)
     */
    public boolean truncated() {
        long declared = delegate.declaredFrameLength();
        return declared >= 0 && frames < declared;
    }

    /** {@return seconds read so far, at the source's own rate} */
    public double secondsRead() {
        return frames / (double) format().sampleRate();
    }
}
