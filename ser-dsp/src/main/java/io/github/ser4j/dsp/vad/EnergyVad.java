package io.github.ser4j.dsp.vad;

import io.github.ser4j.api.vad.VoiceActivityDetector;

/**
 * The default voice-activity detector: band energies in dB against adaptive noise floors, with hysteresis, onset
 * confirmation and hangover.
 *
 * <p>Per frame of {@link #frameSize()} samples (10 ms by default) the detector
 * <ol>
 *   <li>splits the signal into octave bands from 200 Hz up (200-400, 400-800, 800-1600, 1600-3200 and 3200-6400 Hz,
 *       as far as the sample rate allows; fourth-order Butterworth-like band-passes) and measures each band's energy
 *       over the last 20 ms in dB. Speech concentrates its energy in a few bands (its harmonics and formants) while
 *       broadband noise spreads over all of them, so a band's signal-to-noise ratio is far better than the
 *       full-band one: this is what keeps the detector usable at 0 dB SNR;</li>
 *   <li>measures the full-band level (after a 100 Hz high-pass) in dB relative to a full-scale square wave (a
 *       full-scale sine is -3 dB); frames below {@value #DIGITAL_SILENCE_DB} dB are digital silence: never speech,
 *       not learned as noise (they only let the noise estimate sink), so zero padding and clean synthetic speech
 *       work;</li>
 *   <li>tracks each band's noise: a running mean and variance (in dB, time constant 1 s, a plain average while
 *       warming up) of the frames outside speech, each step clipped to three standard deviations so that speech
 *       onsets or a drop into silence cannot drag it. If the detector has been in speech for a whole
 *       {@link Builder#noiseWindowSeconds(double) noiseWindowSeconds} window, the noise may have risen: the noise
 *       mean is raised to at least the window's minimum plus the usual distance between a minimum and the mean of
 *       pure noise (minimum statistics), so the detector can never stay stuck in speech, while real speech, which
 *       dips to the noise floor between words, is left alone;</li>
 *   <li>calls a frame voiced when, in at least one band, the energy exceeds the band's noise mean by
 *       {@code max(startDb, noiseSigmas * sigma)} (by the lower {@code max(stopDb, noiseSigmas * sigma / 2)} when the
 *       previous frame was voiced: hysteresis), and the full-band level reaches
 *       {@link Builder#minLevelDb(double) minLevelDb};</li>
 *   <li>enters speech after {@link Builder#onsetSeconds(double) onsetSeconds} of consecutive voiced frames (clicks do
 *       not start speech) and leaves it after {@link Builder#hangoverSeconds(double) hangoverSeconds} without a
 *       voiced frame (pauses between syllables do not end it).</li>
 * </ol>
 * {@link #isSpeech(float[], int)} reports the smoothed state (including onset delay and hangover);
 * {@link #lastFrameVoiced()} and {@link #voicedRunFrames()} report the raw per-frame decisions, which
 * {@link SpeechSegmenter} uses to place segment boundaries on the confirmed voiced frames themselves rather than on
 * the onset delay and the hangover. Only a run of onset frames refreshes the hangover, so an isolated noise spike
 * cannot stretch a segment.
 *
 * <p>No allocation per frame: all state is fixed-size and allocated at construction.
 *
 * <p>Thread-safety: not thread-safe; one detector per stream, used by one thread at a time (like every
 * {@link VoiceActivityDetector}). The {@link Builder} is not thread-safe either; the {@link Builder#factory() factory}
 * it makes is immutable and thread-safe.
 */
public final class EnergyVad implements VoiceActivityDetector {
    /** The name of this detector as a {@link io.github.ser4j.api.spi.VadProvider}. */
    public static final String NAME = "energy";
    /** Frames quieter than this (dB re full scale) are treated as digital silence. */
    public static final double DIGITAL_SILENCE_DB = -90.0;
    /** Lowest sample rate supported, in Hz. */
    public static final int MIN_SAMPLE_RATE = 1000;

    private static final double INTEGRATION_SECONDS = 0.020;
    /** Cap on the standard deviation of a band's noise energy used in the thresholds, in dB. */
    private static final double MAX_SIGMA_DB = 4.0;
    /** Frames of digital silence at the start after which the noise floor starts at the silence floor. */
    private static final int SILENT_START_FRAMES = 10;

    private final int sampleRate;
    private final int frameSize;
    private final Builder config;
    private final int onsetFrames;
    private final int hangoverFrames;
    private final int integrationFrames;
    private final int bands;
    private final VadFilterBank filters;
    private final VadNoiseTracker noise;

    private int settleLeft;
    private int silentFrames;
    private boolean speech;
    private boolean lastVoiced;
    private int voicedRun;
    private int hangoverLeft;
    private long speechRunFrames;
    private double lastDb;
    private long frames;

    private EnergyVad(Builder config, int sampleRate) {
        if (sampleRate < MIN_SAMPLE_RATE || sampleRate > io.github.ser4j.api.PcmFormat.MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("sampleRate must be " + MIN_SAMPLE_RATE + ".."
                    + io.github.ser4j.api.PcmFormat.MAX_SAMPLE_RATE + " Hz, got " + sampleRate);
        }
        this.config = config.copy();
        this.sampleRate = sampleRate;
        this.frameSize = Math.max(1, (int) Math.round(config.frameSeconds * sampleRate));
        double frameSec = (double) frameSize / sampleRate;
        this.onsetFrames = Math.max(1, (int) Math.round(config.onsetSeconds / frameSec));
        this.hangoverFrames = (int) Math.round(config.hangoverSeconds / frameSec);
        int framesPerBlock = Math.max(1,
                (int) Math.round(config.noiseWindowSeconds / frameSec / VadNoiseTracker.NOISE_BLOCKS));
        this.integrationFrames = Math.max(1, (int) Math.round(INTEGRATION_SECONDS / frameSec));
        double alpha = 1 - Math.exp(-frameSec / config.noiseAdaptSeconds);
        this.filters = new VadFilterBank(sampleRate, frameSize, integrationFrames);
        this.bands = filters.bands();
        this.noise = new VadNoiseTracker(bands, framesPerBlock, alpha);
        reset();
    }

    /** {@return a builder holding the defaults described in {@link Builder}} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param sampleRate the stream's rate in Hz, at least {@value #MIN_SAMPLE_RATE}
     * @return a detector with the default settings
     * @throws IllegalArgumentException if the rate is out of range
     */
    public static EnergyVad create(int sampleRate) {
        return new Builder().build(sampleRate);
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int frameSize() {
        return frameSize;
    }

    /** {@return the duration of one decision frame in seconds} */
    public double frameSeconds() {
        return (double) frameSize / sampleRate;
    }

    /** {@return the number of frames of hangover after the last voiced frame} */
    public int hangoverFrames() {
        return hangoverFrames;
    }

    /** {@return the number of consecutive voiced frames needed to enter speech} */
    public int onsetFrames() {
        return onsetFrames;
    }

    /**
     * {@return how many frames late the end of voice is reported: band energies integrate the last 20 ms, so the frame
     * after the last one with voice may still be voiced}
     */
    public int endLagFrames() {
        return integrationFrames - 1;
    }

    /** {@return the number of frequency bands analysed at this sample rate} */
    public int bandCount() {
        return bands;
    }

    /**
     * @throws IllegalArgumentException if {@code samples} does not hold {@link #frameSize()} samples from
     *                                  {@code offset}
     */
    @Override
    public boolean isSpeech(float[] samples, int offset) {
        if (offset < 0 || offset > samples.length - frameSize) {
            throw new IllegalArgumentException("a frame of " + frameSize + " samples from offset " + offset
                    + " does not fit in an array of " + samples.length);
        }
        frames++;
        double db = filters.measure(samples, offset);
        lastDb = db;
        double[] bandDb = filters.bandDb();

        boolean digitalSilence = db < DIGITAL_SILENCE_DB;
        if (digitalSilence && !noise.initialised()) {
            silentFrames++;
            settleLeft = 0; // silence before the signal primes the filters as well as any warm-up could
        }
        if (!digitalSilence && settleLeft > 0) {
            // the filters and the 20 ms integration start from silence: their first outputs are not the signal's
            settleLeft--;
            lastVoiced = false;
            return speech;
        }
        if (!digitalSilence) {
            noise.trackBlocks(bandDb, !speech);
            if (!noise.initialised()) {
                // after a stretch of digital silence the floor is the silence itself; otherwise the first frame is
                // the best guess (the spread prior keeps the thresholds wide until real noise has been seen)
                noise.initialise(bandDb, silentFrames >= SILENT_START_FRAMES);
            }
        }
        boolean voiced = false;
        if (!digitalSilence && db >= config.minLevelDb) {
            for (int b = 0; b < bands && !voiced; b++) {
                // the spread term is capped: speech that goes undetected is learned as noise and widens the
                // spread, which must not run away into a threshold nothing can reach
                double sigma = Math.min(noise.sigma(b), MAX_SIGMA_DB);
                double margin = lastVoiced
                        ? Math.max(config.stopDb, 0.5 * config.noiseSigmas * sigma)
                        : Math.max(config.startDb, config.noiseSigmas * sigma);
                voiced = bandDb[b] > noise.mean(b) + margin;
            }
        }
        lastVoiced = voiced;
        speechRunFrames = speech ? speechRunFrames + 1 : 0;
        if (voiced) {
            voicedRun++;
            // Only a run of onsetFrames voiced frames starts speech or refreshes the hangover: a noise spike during
            // the hangover must not stretch the speech. A shorter run merely pauses the hangover's countdown.
            if (voicedRun >= onsetFrames) {
                speech = true;
                hangoverLeft = hangoverFrames;
            }
        } else {
            voicedRun = 0;
            if (speech) {
                if (hangoverLeft > 0) {
                    hangoverLeft--;
                } else {
                    speech = false;
                }
            }
        }
        if (!digitalSilence) {
            noise.learn(bandDb, speech, speechRunFrames);
        } else if (noise.initialised() && !speech) {
            noise.sinkTowardsSilence();
        }
        return speech;
    }

    /** {@return whether the last frame classified was itself voiced (above threshold), ignoring onset and hangover} */
    public boolean lastFrameVoiced() {
        return lastVoiced;
    }

    /**
     * {@return the number of consecutive voiced frames ending with the last frame classified (0 if it was not voiced);
     * a run of at least {@link #onsetFrames()} is confirmed speech}
     */
    public int voicedRunFrames() {
        return voicedRun;
    }

    /** {@return the full-band level of the last frame classified, in dB re full scale (after a 100 Hz high-pass)} */
    public double lastFrameDb() {
        return lastDb;
    }

    /**
     * @param band a band index, 0 to {@link #bandCount()} - 1 (band 0 is 200-400 Hz, each next one an octave higher)
     * @return the band's current noise estimate in dB re full scale ({@link Double#NaN} before the first audible
     * frame)
     * @throws IndexOutOfBoundsException if the band does not exist
     */
    public double noiseLevelDb(int band) {
        java.util.Objects.checkIndex(band, bands);
        return noise.initialised() ? noise.mean(band) : Double.NaN;
    }

    /**
     * @param band a band index, 0 to {@link #bandCount()} - 1
     * @return the band's energy over the last 20 ms, in dB re full scale
     * @throws IndexOutOfBoundsException if the band does not exist
     */
    public double lastBandDb(int band) {
        java.util.Objects.checkIndex(band, bands);
        return filters.bandDb()[band];
    }

    /** {@return the number of frames classified since creation or the last {@link #reset()}} */
    public long framesProcessed() {
        return frames;
    }

    @Override
    public void reset() {
        filters.reset();
        noise.reset();
        settleLeft = integrationFrames + 1;
        silentFrames = 0;
        speech = false;
        lastVoiced = false;
        voicedRun = 0;
        hangoverLeft = 0;
        speechRunFrames = 0;
        lastDb = Double.NEGATIVE_INFINITY;
        frames = 0;
    }

    /**
     * Settings of an {@link EnergyVad}. Defaults: 10 ms frames, start 4 dB / stop 2 dB above a band's noise mean (or
     * 4 / 2 of its standard deviations if larger), 30 ms onset, 250 ms hangover, 3 s noise window, minimum level
     * -60 dB.
     *
     * <p>Not thread-safe; {@link #factory()} and {@link #build(int)} take a snapshot, so later changes to the builder do
     * not affect detectors or factories already made.
     */
    public static final class Builder {
        private double frameSeconds = 0.010;
        private double startDb = 4;
        private double stopDb = 2;
        private double noiseSigmas = 4;
        private double onsetSeconds = 0.030;
        private double hangoverSeconds = 0.250;
        private double noiseWindowSeconds = 3.0;
        private double noiseAdaptSeconds = 1.0;
        private double minLevelDb = -60;

        private Builder() {
        }

        private Builder copy() {
            Builder b = new Builder();
            b.frameSeconds = frameSeconds;
            b.startDb = startDb;
            b.stopDb = stopDb;
            b.noiseSigmas = noiseSigmas;
            b.onsetSeconds = onsetSeconds;
            b.hangoverSeconds = hangoverSeconds;
            b.noiseWindowSeconds = noiseWindowSeconds;
            b.noiseAdaptSeconds = noiseAdaptSeconds;
            b.minLevelDb = minLevelDb;
            return b;
        }

        /**
         * @param seconds decision frame length, 0.005 to 0.1 s (default 0.010)
         * @return this builder
         */
        public Builder frameSeconds(double seconds) {
            this.frameSeconds = range("frameSeconds", seconds, 0.005, 0.1);
            return this;
        }

        /**
         * @param db minimum margin above the noise mean, in dB, for a frame to start speech, 0.5 to 40 (default 4)
         * @return this builder
         */
        public Builder startDb(double db) {
            this.startDb = range("startDb", db, 0.5, 40);
            return this;
        }

        /**
         * @param db minimum margin above the noise mean, in dB, for a frame to stay in speech, 0 to 40 (default 2);
         *           must not exceed {@link #startDb(double)} when the detector is built
         * @return this builder
         */
        public Builder stopDb(double db) {
            this.stopDb = range("stopDb", db, 0, 40);
            return this;
        }

        /**
         * @param sigmas how many standard deviations of a band's noise energy a frame must exceed to start speech
         *               (half as many to stay in it), 0 to 10 (default 4); makes the threshold follow fluctuating
         *               noise
         * @return this builder
         */
        public Builder noiseSigmas(double sigmas) {
            this.noiseSigmas = range("noiseSigmas", sigmas, 0, 10);
            return this;
        }

        /**
         * @param seconds consecutive voiced time needed to enter speech, 0 to 0.5 s (default 0.03; at least one frame)
         * @return this builder
         */
        public Builder onsetSeconds(double seconds) {
            this.onsetSeconds = range("onsetSeconds", seconds, 0, 0.5);
            return this;
        }

        /**
         * @param seconds time speech lasts after the last voiced frame, 0 to 5 s (default 0.25)
         * @return this builder
         */
        public Builder hangoverSeconds(double seconds) {
            this.hangoverSeconds = range("hangoverSeconds", seconds, 0, 5);
            return this;
        }

        /**
         * @param seconds length of speech after which the detector checks whether the noise rose, re-estimating it
         *                from the minimum over that window, 0.5 to 30 s (default 3); about the longest time a sudden
         *                rise in noise is mistaken for speech
         * @return this builder
         */
        public Builder noiseWindowSeconds(double seconds) {
            this.noiseWindowSeconds = range("noiseWindowSeconds", seconds, 0.5, 30);
            return this;
        }

        /**
         * @param db absolute level, in dB re full scale, below which a frame is never voiced, -90 to 0 (default -60)
         * @return this builder
         */
        public Builder minLevelDb(double db) {
            this.minLevelDb = range("minLevelDb", db, -90, 0);
            return this;
        }

        /**
         * @param sampleRate the stream's rate in Hz, at least {@value EnergyVad#MIN_SAMPLE_RATE}
         * @return a new detector with these settings
         * @throws IllegalArgumentException if the rate is out of range or stopDb exceeds startDb
         */
        public EnergyVad build(int sampleRate) {
            checkConsistent();
            return new EnergyVad(this, sampleRate);
        }

        /**
         * @return an immutable, thread-safe factory making detectors with a snapshot of these settings
         * @throws IllegalArgumentException if stopDb exceeds startDb
         */
        public VoiceActivityDetector.Factory factory() {
            checkConsistent();
            Builder snapshot = copy();
            return rate -> new EnergyVad(snapshot, rate);
        }

        private void checkConsistent() {
            if (stopDb > startDb) {
                throw new IllegalArgumentException("stopDb " + stopDb + " exceeds startDb " + startDb);
            }
        }

        private static double range(String name, double v, double lo, double hi) {
            if (!(v >= lo && v <= hi)) {
                throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
            }
            return v;
        }
    }
}
