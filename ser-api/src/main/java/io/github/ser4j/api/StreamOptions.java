package io.github.ser4j.api;

import io.github.ser4j.api.vad.VoiceActivityDetector;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How a recogniser walks a stream: sliding windows of {@link #windowSeconds()} every {@link #hopSeconds()} (unset:
 * the model card's streaming defaults), gated by voice activity so silence is skipped, optionally smoothed across
 * windows, and optionally stopped after a stretch of silence.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class StreamOptions {
    private static final StreamOptions DEFAULTS = builder().build();

    private final double windowSeconds;
    private final double hopSeconds;
    private final boolean vadEnabled;
    private final VoiceActivityDetector.Factory vad;
    private final int smoothing;
    private final double silenceStopSeconds;
    private final boolean adaptation;

    private StreamOptions(Builder b) {
        this.windowSeconds = b.windowSeconds;
        this.hopSeconds = b.hopSeconds;
        this.vadEnabled = b.vadEnabled;
        this.vad = b.vad;
        this.smoothing = b.smoothing;
        this.silenceStopSeconds = b.silenceStopSeconds;
        this.adaptation = b.adaptation;
    }

    /** {@return options that use the model's window and hop, gate on the default VAD, no smoothing, no auto-stop} */
    public static StreamOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the analysis window, if set; otherwise the model card's default applies} */
    public OptionalDouble windowSeconds() {
        return Double.isNaN(windowSeconds) ? OptionalDouble.empty() : OptionalDouble.of(windowSeconds);
    }

    /** {@return the hop between windows, if set; otherwise the model card's default applies} */
    public OptionalDouble hopSeconds() {
        return Double.isNaN(hopSeconds) ? OptionalDouble.empty() : OptionalDouble.of(hopSeconds);
    }

    /** {@return whether windows without speech are skipped (default true)} */
    public boolean vadEnabled() {
        return vadEnabled;
    }

    /** {@return the detector factory, if set; otherwise the highest-priority {@code VadProvider} is used} */
    public Optional<VoiceActivityDetector.Factory> vad() {
        return Optional.ofNullable(vad);
    }

    /**
     * @return the configured detector factory, or else the highest-priority
     * {@link io.github.ser4j.api.spi.VadProvider} on the class path
     * @throws BackendNotFoundException if none is set and none is on the class path
     */
    public VoiceActivityDetector.Factory vadFactory() {
        return vad != null ? vad : Backends.vad();
    }

    /** {@return how many consecutive windows' probabilities are averaged (1 = none, the default)} */
    public int smoothing() {
        return smoothing;
    }

    /**
     * {@return seconds of continuous silence after speech that end the stream; infinite (the default) never stops.
     * Live capture typically uses 2 s.}
     */
    public double silenceStopSeconds() {
        return silenceStopSeconds;
    }

    /**
     * {@return whether a stream adapts to its speaker (default true)}: for a model whose card adapts features to the
     * speaker ({@code features.adapt}), each stream or session keeps its own running statistics over the windows it
     * analyses, assuming <b>one speaker per stream</b>; false normalises each window as a clip without a
     * {@link SpeakerContext} (the card's prior and the window itself). No effect on models without adaptation.
     */
    public boolean adaptation() {
        return adaptation;
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private double windowSeconds = Double.NaN;
        private double hopSeconds = Double.NaN;
        private boolean vadEnabled = true;
        private VoiceActivityDetector.Factory vad;
        private int smoothing = 1;
        private double silenceStopSeconds = Double.POSITIVE_INFINITY;
        private boolean adaptation = true;

        private Builder() {
        }

        /**
         * @param enabled whether the stream adapts to its (single) speaker when the model's card asks for it; false
         *                normalises each window on its own with the card's prior
         * @return this builder
         */
        public Builder adaptation(boolean enabled) {
            this.adaptation = enabled;
            return this;
        }

        /**
         * @param seconds analysis window length, finite and positive, at most one hour
         * @return this builder
         */
        public Builder windowSeconds(double seconds) {
            this.windowSeconds = checkSeconds("windowSeconds", seconds);
            return this;
        }

        /**
         * @param seconds hop between window starts, finite and positive, at most one hour
         * @return this builder
         */
        public Builder hopSeconds(double seconds) {
            this.hopSeconds = checkSeconds("hopSeconds", seconds);
            return this;
        }

        /**
         * @param enabled whether to skip windows without speech
         * @return this builder
         */
        public Builder vadEnabled(boolean enabled) {
            this.vadEnabled = enabled;
            return this;
        }

        /**
         * @param factory the detector to gate windows with
         * @return this builder
         */
        public Builder vad(VoiceActivityDetector.Factory factory) {
            this.vad = java.util.Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * @param windows number of consecutive windows to average, 1 to 100
         * @return this builder
         */
        public Builder smoothing(int windows) {
            if (windows < 1 || windows > 100) {
                throw new IllegalArgumentException("smoothing must be 1..100 windows, got " + windows);
            }
            this.smoothing = windows;
            return this;
        }

        /**
         * @param seconds silence after speech that ends the stream; positive, or infinite for never
         * @return this builder
         */
        public Builder silenceStopSeconds(double seconds) {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("silenceStopSeconds must be positive, got " + seconds);
            }
            this.silenceStopSeconds = seconds;
            return this;
        }

        /** {@return the immutable options} */
        public StreamOptions build() {
            if (!Double.isNaN(windowSeconds) && !Double.isNaN(hopSeconds) && hopSeconds > windowSeconds) {
                throw new IllegalArgumentException("hopSeconds " + hopSeconds + " exceeds windowSeconds "
                        + windowSeconds + ": audio between windows would be ignored");
            }
            return new StreamOptions(this);
        }

        private static double checkSeconds(String name, double seconds) {
            if (!(seconds > 0 && seconds <= 3600)) {
                throw new IllegalArgumentException(name + " must be in (0, 3600] seconds, got " + seconds);
            }
            return seconds;
        }
    }
}
