package io.github.ser4j.dsp.feature;

import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.internal.Framer;
import io.github.ser4j.dsp.spectral.PadMode;

/**
 * The framing parameters shared by the builders of the time-domain features ({@link Rms}, {@link ZeroCrossingRate}),
 * with librosa's names and defaults: {@code frame_length=2048, hop_length=512, center=True}; {@code sr} 22050, only
 * reported by the extractor's {@code sampleRate()}.
 *
 * <p>Not thread-safe; subclasses are the builders of this package.
 *
 * @param <B> the concrete builder type
 */
public abstract class FrameBuilder<B extends FrameBuilder<B>> {
    int sr = 22050;
    int frameLength = 2048;
    int hopLength = 512;
    boolean center = true;

    FrameBuilder() {
    }

    abstract B self();

    /**
     * @param sr sample rate in Hz (default 22050; the feature does not depend on it)
     * @return this
     */
    public B sr(int sr) {
        this.sr = sr;
        return self();
    }

    /**
     * @param frameLength samples per frame (default 2048)
     * @return this
     */
    public B frameLength(int frameLength) {
        this.frameLength = frameLength;
        return self();
    }

    /**
     * @param hopLength samples between frames (default 512)
     * @return this
     */
    public B hopLength(int hopLength) {
        this.hopLength = hopLength;
        return self();
    }

    /**
     * @param center pad by {@code frame_length // 2} on both sides (default true; how is the extractor's
     *               {@code pad_mode})
     * @return this
     */
    public B center(boolean center) {
        this.center = center;
        return self();
    }

    /** {@return {@link #sr(int) sr}, checked} */
    int checkedSr() {
        if (sr < 1) {
            throw new IllegalArgumentException("sr=" + sr + " must be a positive sample rate in Hz");
        }
        return sr;
    }

    /** {@return the framing of these parameters, padding with {@code mode} when centred} */
    Framer framer(PadMode mode) {
        return new Framer(Checks.atLeast(frameLength, 1, "frame_length"), Checks.atLeast(hopLength, 1, "hop_length"),
                center, mode, false);
    }

    /** Copies an extractor's rate and framing (for {@code toBuilder()}). */
    B copyFraming(int sr, Framer framer) {
        this.sr = sr;
        frameLength = framer.frameLength();
        hopLength = framer.hop();
        center = framer.center();
        return self();
    }
}
