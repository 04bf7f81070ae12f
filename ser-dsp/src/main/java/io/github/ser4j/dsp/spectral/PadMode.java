package io.github.ser4j.dsp.spectral;

import java.util.Locale;

/**
 * How a signal is extended beyond its ends when frames are centred ({@code center=True}), as {@code numpy.pad} modes.
 *
 * <p>Thread-safety: immutable.
 */
public enum PadMode {
    /** {@code 'constant'}: zeros (librosa's default for {@code stft}, {@code melspectrogram}, {@code rms} since 0.10). */
    CONSTANT("constant"),
    /**
     * {@code 'reflect'}: mirror about the edge sample without repeating it ({@code [1,2,3]} padded by 2 on both sides
     * is {@code [3,2,1,2,3,2,1]}); pads longer than the signal keep reflecting, as numpy does.
     */
    REFLECT("reflect"),
    /** {@code 'edge'}: repeat the edge sample (what {@code librosa.feature.zero_crossing_rate} always uses). */
    EDGE("edge");

    private final String librosaName;

    PadMode(String librosaName) {
        this.librosaName = librosaName;
    }

    /** {@return the numpy / librosa name, e.g. {@code "constant"}} */
    public String librosaName() {
        return librosaName;
    }

    /**
     * @param name a numpy pad mode name: {@code constant}, {@code reflect} or {@code edge} (case-insensitive)
     * @return the mode
     * @throws IllegalArgumentException for any other name
     */
    public static PadMode of(String name) {
        for (PadMode mode : values()) {
            if (mode.librosaName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("pad_mode='" + name + "' is not supported; use constant, reflect or edge");
    }
}
