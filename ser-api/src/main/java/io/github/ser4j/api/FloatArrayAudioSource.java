package io.github.ser4j.api;

import java.util.Objects;

/** A source over an owned float array. Not thread-safe, like every {@link AudioSource}. */
final class FloatArrayAudioSource implements AudioSource {
    private final float[] samples;
    private final PcmFormat format;
    private int position;

    FloatArrayAudioSource(float[] samples, PcmFormat format) {
        this.format = Objects.requireNonNull(format, "format");
        this.samples = Objects.requireNonNull(samples, "samples");
        if (samples.length % format.channels() != 0) {
            throw new IllegalArgumentException("samples.length " + samples.length
                    + " is not a multiple of the channel count " + format.channels());
        }
    }

    @Override
    public PcmFormat format() {
        return format;
    }

    @Override
    public int read(float[] buffer, int offset, int frames) {
        int channels = format.channels();
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be at least 1, got " + frames);
        }
        if (offset < 0 || offset + (long) frames * channels > buffer.length) {
            throw new IllegalArgumentException("offset " + offset + " + " + frames + " frames of " + channels
                    + " channels does not fit in a buffer of " + buffer.length + " samples");
        }
        int remaining = (samples.length - position) / channels;
        if (remaining == 0) {
            return -1;
        }
        int n = Math.min(frames, remaining);
        System.arraycopy(samples, position, buffer, offset, n * channels);
        position += n * channels;
        return n;
    }

    @Override
    public long frameLength() {
        return samples.length / format.channels();
    }

    @Override
    public void close() {
        // Nothing to release; reads after close simply continue to work on the owned copy.
    }
}
