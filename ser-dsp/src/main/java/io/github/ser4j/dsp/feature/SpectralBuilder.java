package io.github.ser4j.dsp.feature;

import io.github.ser4j.dsp.spectral.PadMode;
import io.github.ser4j.dsp.spectral.Stft;
import io.github.ser4j.dsp.spectral.Window;

import java.util.Objects;

/**
 * The STFT parameters shared by the builders of the spectrogram-based features, with librosa's names and the defaults
 * of {@code librosa.feature.*}: {@code sr=22050, n_fft=2048, hop_length=512, win_length=n_fft, window='hann',
 * center=True, pad_mode='constant'}. (Unlike {@code librosa.stft}, whose default hop is {@code win_length // 4}, the
 * feature functions default to 512.)
 *
 * <p>Not thread-safe; subclasses are the builders of this package.
 *
 * @param <B> the concrete builder type
 */
public abstract class SpectralBuilder<B extends SpectralBuilder<B>> {
    int sr = 22050;
    int nFft = 2048;
    int hopLength = 512;
    int winLength;
    Window window = Window.hann();
    boolean center = true;
    PadMode padMode = PadMode.CONSTANT;

    SpectralBuilder() {
    }

    abstract B self();

    /**
     * @param sr sample rate of the input in Hz (default 22050, as librosa)
     * @return this
     */
    public B sr(int sr) {
        this.sr = sr;
        return self();
    }

    /**
     * @param nFft FFT length, any size (default 2048)
     * @return this
     */
    public B nFft(int nFft) {
        this.nFft = nFft;
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
     * @param winLength window length {@code <= n_fft} (default n_fft; a shorter window is centred in zeros); 0
     *                  restores the default
     * @return this
     */
    public B winLength(int winLength) {
        this.winLength = winLength;
        return self();
    }

    /**
     * @param window analysis window (default {@link Window#hann()})
     * @return this
     */
    public B window(Window window) {
        this.window = Objects.requireNonNull(window, "window");
        return self();
    }

    /**
     * @param center centre frames on {@code t * hop_length} by padding (default true)
     * @return this
     */
    public B center(boolean center) {
        this.center = center;
        return self();
    }

    /**
     * @param padMode padding when centred (default {@link PadMode#CONSTANT})
     * @return this
     */
    public B padMode(PadMode padMode) {
        this.padMode = Objects.requireNonNull(padMode, "padMode");
        return self();
    }

    B copyFrom(SpectralFeature other) {
        Stft s = other.stft;
        sr = other.sr;
        nFft = s.nFft();
        hopLength = s.hopLength();
        winLength = s.winLength();
        window = s.window();
        center = s.center();
        padMode = s.padMode();
        return self();
    }

    Stft stft() {
        if (sr < 1) {
            throw new IllegalArgumentException("sr=" + sr + " must be a positive sample rate in Hz");
        }
        if (hopLength < 1) {
            throw new IllegalArgumentException("hop_length=" + hopLength + " must be a positive integer");
        }
        return Stft.builder().nFft(nFft).hopLength(hopLength).winLength(winLength).window(window).center(center)
                .padMode(padMode).build();
    }
}
