package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.PcmFormat;

import java.io.IOException;
import java.io.InputStream;

/**
 * Streams uncompressed samples from a byte stream positioned at the first sample: reads a bounded chunk of bytes per
 * call (never more than 64 KiB, whatever the header declares) and converts them with a {@link PcmCodec}.
 *
 * <p>Not thread-safe, like every {@link AudioSource}; {@link #close()} may come from another thread, after which
 * reads return end of stream.
 */
final class PcmStreamSource implements AudioSource {
    private static final int CHUNK_BYTES = 1 << 16;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PcmStreamSource.class);

    private final InputStream in;
    private final PcmCodec codec;
    private final PcmFormat format;
    private final int frameBytes;
    private final long totalBytes;
    private final long frameLength;
    private final long declaredFrames;
    private final TruncationPolicy policy;
    private final String name;
    private final String description;
    private byte[] buf;
    private long remaining;
    private long delivered;
    private boolean ended;
    private volatile boolean closed;

    /**
     * @param in          positioned at the first sample; owned from now on
     * @param totalBytes  sample bytes to read, or -1 for "to the end of the stream"
     * @param frameLength frames that will be delivered when known for sure (checked against the real length), else -1
     */
    PcmStreamSource(InputStream in, PcmCodec codec, PcmFormat format, long totalBytes, long frameLength,
                    TruncationPolicy policy, String name, String description) {
        this(in, codec, format, totalBytes, frameLength, -1, policy, name, description);
    }

    /** @param declaredFrames frames the header declares, or -1 (see {@link AudioSource#declaredFrameLength()}) */
    PcmStreamSource(InputStream in, PcmCodec codec, PcmFormat format, long totalBytes, long frameLength,
                    long declaredFrames, TruncationPolicy policy, String name, String description) {
        this.declaredFrames = declaredFrames;
        this.in = in;
        this.codec = codec;
        this.format = format;
        this.frameBytes = codec.bytesPerSample() * format.channels();
        this.totalBytes = totalBytes;
        this.remaining = totalBytes;
        this.frameLength = frameLength;
        this.policy = policy;
        this.name = name;
        this.description = description;
    }

    @Override
    public PcmFormat format() {
        return format;
    }

    @Override
    public long frameLength() {
        return frameLength;
    }

    @Override
    public long declaredFrameLength() {
        return declaredFrames;
    }

    @Override
    public int read(float[] buffer, int offset, int frames) throws IOException {
        checkRange(buffer, offset, frames, format.channels());
        if (ended || closed) {
            return -1;
        }
        long want = Math.min(frames, Math.max(1, CHUNK_BYTES / frameBytes));
        if (remaining >= 0) {
            want = Math.min(want, remaining / frameBytes);
            if (want == 0) {
                ended = true; // at most a partial frame is left: dropped (rejected up front under REJECT)
                return -1;
            }
        }
        int bytes = (int) want * frameBytes;
        if (buf == null || buf.length < bytes) {
            buf = new byte[bytes];
        }
        int got;
        try {
            got = in.readNBytes(buf, 0, bytes);
        } catch (java.io.EOFException e) {
            // a decoder (e.g. jFLAC) ran out of bytes inside a structure it was parsing: truncated or damaged data
            throw new CorruptAudioException(name + ": the data ends inside a block the decoder was reading", e);
        } catch (IOException e) {
            if (closed) {
                return -1;
            }
            throw e;
        }
        if (got < bytes) {
            ended = true;
            if (policy == TruncationPolicy.READ_AVAILABLE && remaining >= 0) {
                LOG.warn("{}: truncated: the samples end after {} of the {} bytes the header declares; read what is "
                        + "there", name, delivered * frameBytes + got, totalBytes);
            }
            if (policy == TruncationPolicy.REJECT) {
                if (remaining >= 0) {
                    throw new CorruptAudioException(name + ": the samples end after "
                            + (delivered * frameBytes + got) + " of the " + totalBytes + " bytes the header declares");
                }
                if (got % frameBytes != 0) {
                    throw new CorruptAudioException(name + ": the samples end inside a frame (" + got % frameBytes
                            + " of " + frameBytes + " bytes)");
                }
            }
        }
        int whole = got / frameBytes;
        if (whole == 0) {
            return -1;
        }
        codec.decode(buf, 0, buffer, offset, whole * format.channels());
        delivered += whole;
        if (remaining >= 0) {
            remaining -= (long) whole * frameBytes;
        }
        return whole;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        in.close();
    }

    @Override
    public String toString() {
        return description + " " + name + " (" + format + ")";
    }

    static void checkRange(float[] buffer, int offset, int frames, int channels) {
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be at least 1, got " + frames);
        }
        if (offset < 0 || offset + (long) frames * channels > buffer.length) {
            throw new IllegalArgumentException("offset " + offset + " + " + frames + " frames of " + channels
                    + " channels does not fit in a buffer of " + buffer.length + " samples");
        }
    }
}
