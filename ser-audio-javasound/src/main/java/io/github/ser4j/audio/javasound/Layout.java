package io.github.ser4j.audio.javasound;

/**
 * What a container parser found in an uncompressed file: the sample format and where the samples lie.
 *
 * <p>Mutable while a parser fills it in, then only read; confined to the thread opening the file.
 */
final class Layout {
    AudioContainer container;
    SampleEncoding encoding;
    int sampleRate;
    int channels;
    /** Significant bits per sample, for {@link AudioFileInfo}. */
    int bits;
    PcmCodec codec;
    /** Offset of the first sample byte from the start of the file. */
    long dataOffset = -1;
    /** Bytes of samples the header declares, or -1 when it does not know (read to the end). */
    long declaredBytes = -1;
    /** Bytes the sample region itself holds when that is less than declared (a short AIFF SSND chunk), else -1. */
    long regionBytes = -1;
    /** True when the declared size was a placeholder that the parser read as "unknown" (a WAV size of 0 or ~0). */
    boolean placeholderSize;
    /** True when the samples come before the format description, so the input must be reopened at dataOffset. */
    boolean dataBeforeFormat;

    /** Sets the sample format: how samples are decoded, what they are called, and their significant bits. */
    void samples(PcmCodec codec, SampleEncoding encoding, int bits) {
        this.codec = codec;
        this.encoding = encoding;
        this.bits = bits;
    }

    int frameBytes() {
        return codec.bytesPerSample() * channels;
    }

    /**
     * Reconciles the declared size with the bytes really there.
     *
     * @param available bytes from {@link #dataOffset} to the end of the input, or -1 when unknown (a stream)
     * @param policy    what a shortfall means
     * @param in        for messages
     * @return the number of sample bytes to read, or -1 for "to the end of the stream"
     */
    long dataBytes(long available, TruncationPolicy policy, ByteInput in) {
        if (declaredBytes < 0) {
            return available;
        }
        if (available >= 0 && declaredBytes > available) {
            if (policy == TruncationPolicy.REJECT) {
                throw in.corrupt(container + " header declares " + declaredBytes + " bytes of samples at offset "
                        + dataOffset + " but the file holds only " + available + " after it (truncated file; "
                        + "TruncationPolicy.READ_AVAILABLE reads what is there)");
            }
            return available;
        }
        if (policy == TruncationPolicy.REJECT && declaredBytes % frameBytes() != 0) {
            throw in.corrupt(container + " header declares " + declaredBytes + " bytes of samples, not a whole "
                    + "number of " + frameBytes() + "-byte frames");
        }
        return declaredBytes;
    }

    /** {@return whether the header's size and the bytes there disagree (see {@link AudioFileInfo#lengthMismatch()})} */
    boolean mismatch(long available) {
        return placeholderSize || declaredBytes >= 0 && available >= 0 && declaredBytes > available;
    }

    AudioFileInfo info(long dataBytes, boolean mismatch) {
        long frames = dataBytes < 0 ? -1 : dataBytes / frameBytes();
        return AudioFileInfo.of(container, encoding, sampleRate, channels, bits, frames, mismatch);
    }
}
