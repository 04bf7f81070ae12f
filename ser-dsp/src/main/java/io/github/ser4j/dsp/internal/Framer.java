package io.github.ser4j.dsp.internal;

import io.github.ser4j.dsp.spectral.PadMode;

/**
 * Splits a signal into frames exactly as librosa does, including its padding.
 *
 * <p>Two flavours:
 * <ul>
 * <li>{@code stftSplit=true} mirrors {@code librosa.stft} (0.10+): with {@code center=True} it pads the head and the
 * tail of the signal separately ({@code y[..(start_k-1)*hop - n_fft//2 + n_fft + 1]} left-padded, and
 * {@code y[tail_k*hop - n_fft//2 ..]} right-padded) unless they overlap, in which case it pads the whole signal. With
 * {@code pad_mode='reflect'} and a hop of at least about half a frame the tail piece can be shorter than the padding,
 * and numpy then reflects within that piece; this class reproduces that.</li>
 * <li>{@code stftSplit=false} pads the whole signal ({@code rms}, {@code zero_crossing_rate}).</li>
 * </ul>
 * Frame {@code k} covers padded samples {@code [k*hop, k*hop + frameLength)}, i.e. signal samples starting at
 * {@code k*hop - pad} with {@code pad = frameLength/2} when centred (0 otherwise).
 *
 * <p>Immutable and thread-safe. Not API.
 */
public final class Framer {
    private final int frameLength;
    private final int hop;
    private final boolean center;
    private final PadMode mode;
    private final boolean stftSplit;
    private final int pad;
    private final long startK;

    /**
     * @param frameLength samples per frame ({@code n_fft} or {@code frame_length})
     * @param hop         hop length, {@code >= 1}
     * @param center      librosa's {@code center}
     * @param mode        padding when centred
     * @param stftSplit   true for {@code librosa.stft}'s head/tail padding, false for whole-signal padding
     */
    public Framer(int frameLength, int hop, boolean center, PadMode mode, boolean stftSplit) {
        this.frameLength = Checks.atLeast(frameLength, 1, "frame_length");
        this.hop = Checks.atLeast(hop, 1, "hop_length");
        this.center = center;
        this.mode = mode;
        this.stftSplit = stftSplit;
        this.pad = center ? frameLength / 2 : 0;
        this.startK = center ? (pad + (long) hop - 1) / hop : 0;
    }

    /** {@return samples per frame} */
    public int frameLength() {
        return frameLength;
    }

    /** {@return hop length} */
    public int hop() {
        return hop;
    }

    /** {@return true if frames are centred} */
    public boolean center() {
        return center;
    }

    /** {@return the pad mode} */
    public PadMode mode() {
        return mode;
    }

    /** {@return left padding in samples ({@code frameLength/2} when centred, else 0)} */
    public int pad() {
        return pad;
    }

    /**
     * @param len signal length
     * @return the number of frames librosa yields, or -1 if librosa raises (uncentred signal shorter than a frame)
     */
    public long frameCountOrNegative(long len) {
        if (!center) {
            return len < frameLength ? -1 : 1 + (len - frameLength) / hop;
        }
        if (len == 0) {
            return 1 + Math.floorDiv((long) 2 * pad - frameLength, hop);
        }
        return 1 + Math.floorDiv(len + 2L * pad - frameLength, hop);
    }

    /**
     * @param len  signal length
     * @param what name of the length parameter for messages ({@code n_fft} or {@code frame_length})
     * @return the number of frames librosa yields
     * @throws IllegalArgumentException where librosa raises: {@code center=false} with fewer samples than a frame
     */
    public int frameCount(long len, String what) {
        long count = frameCountOrNegative(len);
        if (count < 0) {
            throw new IllegalArgumentException(what + "=" + frameLength + " is too large for uncentered analysis of"
                    + " an input signal of length=" + len + " (librosa raises too); use center=true or a longer signal");
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many frames: " + count);
        }
        return (int) count;
    }

    private long tailK(long len) {
        return Math.floorDiv(len + pad - frameLength, hop) + 1;
    }

    /**
     * @param len signal length
     * @return true if librosa.stft pads head and tail pieces separately for this length
     */
    public boolean isSplit(long len) {
        return stftSplit && center && tailK(len) > startK;
    }

    /**
     * @param k frame index
     * @return index of the frame's first sample in the signal (negative when it starts in the left padding)
     */
    public long frameStart(long k) {
        return k * hop - pad;
    }

    /**
     * @param k   frame index
     * @param len signal length
     * @return true if the frame lies entirely inside the signal (no padding involved)
     */
    public boolean inside(long k, long len) {
        long s = frameStart(k);
        return s >= 0 && s + frameLength <= len;
    }

    /**
     * Smallest signal index that frames {@code >= nextFrame} may still read once the signal is known to have at least
     * {@code n} samples; earlier samples can be dropped by a stream.
     *
     * @param nextFrame first frame not yet computed
     * @param n         samples seen so far
     * @return the index, {@code >= 0}; may exceed {@code n} when frames skip samples (hop larger than a frame)
     */
    public long retainFrom(long nextFrame, long n) {
        long r = frameStart(nextFrame);
        if (center) {
            if (mode == PadMode.REFLECT) {
                r = Math.min(r, n - (pad + 1));
            } else if (mode == PadMode.EDGE) {
                r = Math.min(r, n - 1);
            }
            if (stftSplit && tailK(n) <= startK) {
                // the whole signal may still end up padded as one piece: keep all of it
                r = 0;
            }
        }
        return Math.max(r, 0);
    }

    /**
     * True if frame {@code k} has its final value once {@code n} samples are known, whatever follows.
     *
     * @param k frame index
     * @param n samples known
     * @return true if the frame can be computed now
     */
    public boolean ready(long k, long n) {
        if (frameStart(k) + frameLength > n) {
            return false;
        }
        return !(center && mode == PadMode.REFLECT && frameStart(k) < 0 && n < pad + 1L);
    }

    /**
     * Writes frame {@code k} of a signal of {@code len} samples into {@code dst}, padding as librosa does.
     *
     * @param k        frame index
     * @param src      holds signal samples {@code [srcStart, srcStart + srcCount)}
     * @param srcStart signal index of {@code src[0]}
     * @param srcCount number of valid samples in {@code src}
     * @param len      signal length (the padding depends on it)
     * @param dst      receives {@code frameLength} samples
     * @throws IllegalStateException if the frame needs a sample outside {@code src} (a bug in the caller)
     */
    public void assemble(long k, float[] src, long srcStart, int srcCount, long len, float[] dst) {
        long s = frameStart(k);
        if (s >= 0 && s + frameLength <= len) {
            System.arraycopy(src, index(s, srcStart, srcCount), dst, 0, frameLength);
            return;
        }
        boolean tail = isSplit(len) && k >= tailK(len);
        long pieceStart = tail ? tailK(len) * hop - pad : 0;
        long pieceLen = len - pieceStart;
        for (int j = 0; j < frameLength; j++) {
            long idx = s + j;
            float v;
            if (idx >= 0 && idx < len) {
                v = src[index(idx, srcStart, srcCount)];
            } else {
                long pos = idx - pieceStart;
                switch (mode) {
                    case CONSTANT:
                        v = 0f;
                        break;
                    case EDGE:
                        v = src[index(idx < 0 ? 0 : len - 1, srcStart, srcCount)];
                        break;
                    default:
                        v = src[index(pieceStart + reflect(pos, pieceLen), srcStart, srcCount)];
                        break;
                }
            }
            dst[j] = v;
        }
    }

    /** numpy 'reflect' padding is the even periodic extension of period 2(n-1); a single sample repeats. */
    private static long reflect(long pos, long n) {
        if (n == 1) {
            return 0;
        }
        long period = 2 * (n - 1);
        long j = Math.floorMod(pos, period);
        return j >= n ? period - j : j;
    }

    private static int index(long signalIndex, long srcStart, int srcCount) {
        long i = signalIndex - srcStart;
        if (i < 0 || i >= srcCount) {
            throw new IllegalStateException("sample " + signalIndex + " is not buffered (have [" + srcStart + ", "
                    + (srcStart + srcCount) + "))");
        }
        return (int) i;
    }
}
