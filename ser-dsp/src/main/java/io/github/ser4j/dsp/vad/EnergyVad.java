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

    private static final double[] BAND_EDGES_HZ = {200, 400, 800, 1600, 3200, 6400};
    private static final double LEVEL_HIGH_PASS_HZ = 100;
    private static final double INTEGRATION_SECONDS = 0.020;
    private static final int NOISE_BLOCKS = 8;
    /** Prior standard deviation of a band's noise energy, in dB, before any noise has been seen. */
    private static final double PRIOR_SIGMA_DB = 3.0;
    /** Cap on the standard deviation of a band's noise energy used in the thresholds, in dB. */
    private static final double MAX_SIGMA_DB = 4.0;
    /** Frames of digital silence at the start after which the noise floor starts at the silence floor. */
    private static final int SILENT_START_FRAMES = 10;
    /** Mean-square floor so that log10 never sees zero. */
    private static final double TINY = 1e-20;

    private final int sampleRate;
    private final int frameSize;
    private final Builder config;
    private final int onsetFrames;
    private final int hangoverFrames;
    private final int framesPerBlock;
    private final int integrationFrames;
    private final double alpha;
    private final int bands;

    /** Biquad coefficients {b0, b1, b2, a1, a2}: the level high-pass, then two sections per band. */
    private final double[] coef;
    /** Biquad states {x1, x2, y1, y2}, same layout as {@link #coef}. */
    private final double[] state;

    private final double[] bandFrameEnergy; // [band * integrationFrames + slot]
    private int ringSlot;
    private final double[] bandDb;
    private final double[] noiseMean;
    private final double[] noiseVar;
    // minimum statistics of the band energies (dB) over the last noise window: the minimum of each completed block
    private final double[] blockMin; // [band * NOISE_BLOCKS + block]
    private final double[] currentBlockMin;
    /** How far the noise mean sits above a block's minimum, learned from blocks of pure noise. */
    private final double[] minimumOffset;
    private boolean speechInBlock;
    private int offsetBlocks;
    private int blocksFilled;
    private int blockIndex;
    private int framesInBlock;
    /** Audible frames since the noise estimate was initialised: drives the warm-up of the running averages. */
    private long audibleFrames;

    private boolean noiseInitialised;
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
        this.framesPerBlock = Math.max(1, (int) Math.round(config.noiseWindowSeconds / frameSec / NOISE_BLOCKS));
        this.integrationFrames = Math.max(1, (int) Math.round(INTEGRATION_SECONDS / frameSec));
        this.alpha = 1 - Math.exp(-frameSec / config.noiseAdaptSeconds);

        int n = 0;
        double nyquistLimit = 0.45 * sampleRate;
        while (n + 1 < BAND_EDGES_HZ.length && BAND_EDGES_HZ[n + 1] <= nyquistLimit) {
            n++;
        }
        if (n == 0) {
            // very low rates: one band from 200 Hz (or a third of the limit) up to the limit
            n = 1;
        }
        this.bands = n;
        this.coef = new double[5 * (1 + 2 * bands)];
        this.state = new double[4 * (1 + 2 * bands)];
        highPass(coef, 0, Math.min(LEVEL_HIGH_PASS_HZ, 0.2 * sampleRate), sampleRate);
        for (int b = 0; b < bands; b++) {
            double lo = Math.min(BAND_EDGES_HZ[b], nyquistLimit / 3);
            double hi = Math.min(BAND_EDGES_HZ[b + 1], nyquistLimit);
            // two identical second-order band-passes in cascade: steeper skirts, so strong low-frequency noise does
            // not leak into the speech bands
            bandPass(coef, 5 * (1 + 2 * b), lo, hi, sampleRate);
            bandPass(coef, 5 * (2 + 2 * b), lo, hi, sampleRate);
        }
        this.bandFrameEnergy = new double[bands * integrationFrames];
        this.bandDb = new double[bands];
        this.noiseMean = new double[bands];
        this.noiseVar = new double[bands];
        this.blockMin = new double[bands * NOISE_BLOCKS];
        this.currentBlockMin = new double[bands];
        this.minimumOffset = new double[bands];
        reset();
    }

    /** @return a builder holding the defaults described in {@link Builder} */
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

    /** @return the duration of one decision frame in seconds */
    public double frameSeconds() {
        return (double) frameSize / sampleRate;
    }

    /** @return the number of frames of hangover after the last voiced frame */
    public int hangoverFrames() {
        return hangoverFrames;
    }

    /** @return the number of consecutive voiced frames needed to enter speech */
    public int onsetFrames() {
        return onsetFrames;
    }

    /**
     * @return how many frames late the end of voice is reported: band energies integrate the last 20 ms, so the frame
     * after the last one with voice may still be voiced
     */
    public int endLagFrames() {
        return integrationFrames - 1;
    }

    /** @return the number of frequency bands analysed at this sample rate */
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
        double level = meanSquare(samples, offset, 0, 0);
        boolean finite = level < Double.POSITIVE_INFINITY;
        for (int b = 0; b < bands; b++) {
            double e = 0;
            if (finite) {
                e = meanSquare(samples, offset, 1 + 2 * b, 2 + 2 * b);
            }
            bandFrameEnergy[b * integrationFrames + ringSlot] = e;
        }
        ringSlot = (ringSlot + 1) % integrationFrames;
        if (!finite) {
            // NaN or infinite input: forget the filters' state and treat the frame as silence
            java.util.Arrays.fill(state, 0);
            java.util.Arrays.fill(bandFrameEnergy, 0);
            level = 0;
        }
        double db = 10 * Math.log10(level + TINY);
        lastDb = db;
        for (int b = 0; b < bands; b++) {
            double sum = 0;
            for (int i = b * integrationFrames, end = i + integrationFrames; i < end; i++) {
                sum += bandFrameEnergy[i];
            }
            bandDb[b] = 10 * Math.log10(sum / integrationFrames + TINY);
        }

        boolean digitalSilence = db < DIGITAL_SILENCE_DB;
        if (digitalSilence && !noiseInitialised) {
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
            trackBlocks(!speech);
            if (!noiseInitialised) {
                noiseInitialised = true;
                // after a stretch of digital silence the floor is the silence itself; otherwise the first frame is
                // the best guess (the spread prior keeps the thresholds wide until real noise has been seen)
                boolean afterSilence = silentFrames >= SILENT_START_FRAMES;
                for (int b = 0; b < bands; b++) {
                    noiseMean[b] = afterSilence ? DIGITAL_SILENCE_DB : bandDb[b];
                    noiseVar[b] = PRIOR_SIGMA_DB * PRIOR_SIGMA_DB;
                }
            }
        }
        boolean voiced = false;
        if (!digitalSilence && db >= config.minLevelDb) {
            for (int b = 0; b < bands && !voiced; b++) {
                // the spread term is capped: speech that goes undetected is learned as noise and widens the
                // spread, which must not run away into a threshold nothing can reach
                double sigma = Math.min(Math.sqrt(noiseVar[b]), MAX_SIGMA_DB);
                double margin = lastVoiced
                        ? Math.max(config.stopDb, 0.5 * config.noiseSigmas * sigma)
                        : Math.max(config.startDb, config.noiseSigmas * sigma);
                voiced = bandDb[b] > noiseMean[b] + margin;
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
            // Learn from every frame outside confirmed speech, voiced or not: leaving out the loud ones would bias
            // the estimates low and invite more false alarms. Steps are clipped to three standard deviations (and
            // outliers left out of the spread) so that the few unconfirmed onset frames of real speech, or a sudden
            // drop into digital silence, cannot drag the estimates away.
            boolean learn = !speech;
            // warm-up: plain running averages over the first audible frames, until the time constant takes over
            // (counted in time, not in frames learned, so that speech never gets the weight of a first observation)
            double warmMean = 1.0 / (audibleFrames + 1);
            double warmVar = 1.0 / (audibleFrames + 2);
            audibleFrames++;
            // A detector that has been "in speech" for longer than a whole noise window is presumed stuck (the
            // noise rose, or the start was misjudged): only then is the estimate pulled up, see below.
            boolean stuck = speech && speechRunFrames > NOISE_BLOCKS * framesPerBlock;
            for (int b = 0; b < bands; b++) {
                if (learn) {
                    double limit = 3 * Math.sqrt(noiseVar[b]);
                    double d = bandDb[b] - noiseMean[b];
                    if (Math.abs(d) <= limit) {
                        noiseVar[b] += Math.max(alpha, warmVar) * (d * d - noiseVar[b]);
                    }
                    noiseMean[b] += Math.max(alpha, warmMean) * Math.max(-limit, Math.min(limit, d));
                }
                if (stuck && blocksFilled == NOISE_BLOCKS) {
                    // Every frame of a whole window has been taken for speech and nothing was learned: the noise
                    // may have risen. The window's minimum plus the usual distance from a minimum to the noise mean
                    // is the noise now. Real speech that merely had no long pause still dips to the noise floor
                    // between words, so for it this changes next to nothing.
                    double above = offsetBlocks > 0 ? minimumOffset[b] : 2 * Math.sqrt(noiseVar[b]);
                    noiseMean[b] = Math.max(noiseMean[b], windowMinimum(b) + above);
                }
            }
        } else if (noiseInitialised && !speech) {
            // Digital silence holds no noise at all: let the estimates sink towards the silence floor at the usual
            // rate, so that clean speech between exact zeros is measured against a low floor. (Noise that follows a
            // long stretch of silence may then be taken for speech, for one noise window at most.)
            for (int b = 0; b < bands; b++) {
                double limit = 3 * Math.sqrt(noiseVar[b]);
                noiseMean[b] += alpha * Math.max(-limit, DIGITAL_SILENCE_DB - noiseMean[b]);
            }
        }
        return speech;
    }

    /** @return whether the last frame classified was itself voiced (above threshold), ignoring onset and hangover */
    public boolean lastFrameVoiced() {
        return lastVoiced;
    }

    /**
     * @return the number of consecutive voiced frames ending with the last frame classified (0 if it was not voiced);
     * a run of at least {@link #onsetFrames()} is confirmed speech
     */
    public int voicedRunFrames() {
        return voicedRun;
    }

    /** @return the full-band level of the last frame classified, in dB re full scale (after a 100 Hz high-pass) */
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
        return noiseInitialised ? noiseMean[band] : Double.NaN;
    }

    /**
     * @param band a band index, 0 to {@link #bandCount()} - 1
     * @return the band's energy over the last 20 ms, in dB re full scale
     * @throws IndexOutOfBoundsException if the band does not exist
     */
    public double lastBandDb(int band) {
        java.util.Objects.checkIndex(band, bands);
        return bandDb[band];
    }

    /** @return the number of frames classified since creation or the last {@link #reset()} */
    public long framesProcessed() {
        return frames;
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(state, 0);
        java.util.Arrays.fill(bandFrameEnergy, 0);
        ringSlot = 0;
        java.util.Arrays.fill(bandDb, DIGITAL_SILENCE_DB);
        java.util.Arrays.fill(noiseMean, 0);
        java.util.Arrays.fill(noiseVar, PRIOR_SIGMA_DB * PRIOR_SIGMA_DB);
        java.util.Arrays.fill(blockMin, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(currentBlockMin, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(minimumOffset, 0);
        speechInBlock = false;
        offsetBlocks = 0;
        blocksFilled = 0;
        blockIndex = 0;
        framesInBlock = 0;
        audibleFrames = 0;
        noiseInitialised = false;
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
     * Filters one frame through biquad section {@code s1} (and {@code s2} in cascade, unless equal) and returns the
     * mean square of the output. Filter state carries over to the next frame.
     */
    private double meanSquare(float[] samples, int offset, int s1, int s2) {
        int c1 = 5 * s1;
        int c2 = 5 * s2;
        double b10 = coef[c1];
        double b11 = coef[c1 + 1];
        double b12 = coef[c1 + 2];
        double a11 = coef[c1 + 3];
        double a12 = coef[c1 + 4];
        double b20 = coef[c2];
        double b21 = coef[c2 + 1];
        double b22 = coef[c2 + 2];
        double a21 = coef[c2 + 3];
        double a22 = coef[c2 + 4];
        boolean cascade = s2 != s1;
        int t1 = 4 * s1;
        int t2 = 4 * s2;
        double x11 = state[t1];
        double x12 = state[t1 + 1];
        double y11 = state[t1 + 2];
        double y12 = state[t1 + 3];
        double x21 = state[t2];
        double x22 = state[t2 + 1];
        double y21 = state[t2 + 2];
        double y22 = state[t2 + 3];
        double sum = 0;
        for (int i = offset, end = offset + frameSize; i < end; i++) {
            double x = samples[i];
            double y = b10 * x + b11 * x11 + b12 * x12 - a11 * y11 - a12 * y12;
            x12 = x11;
            x11 = x;
            y12 = y11;
            y11 = y;
            if (cascade) {
                double z = b20 * y + b21 * x21 + b22 * x22 - a21 * y21 - a22 * y22;
                x22 = x21;
                x21 = y;
                y22 = y21;
                y21 = z;
                y = z;
            }
            sum += y * y;
        }
        state[t1] = x11;
        state[t1 + 1] = x12;
        state[t1 + 2] = flush(y11);
        state[t1 + 3] = flush(y12);
        if (cascade) {
            state[t2] = x21;
            state[t2 + 1] = x22;
            state[t2 + 2] = flush(y21);
            state[t2 + 3] = flush(y22);
        }
        return sum / frameSize;
    }

    /** Flushes denormals, so that long digital silence cannot slow the filters down. */
    private static double flush(double v) {
        return Math.abs(v) < 1e-30 ? 0 : v;
    }

    private static void highPass(double[] c, int at, double fc, int rate) {
        // RBJ audio-EQ-cookbook high-pass, Q = 1/sqrt(2) (Butterworth)
        double w0 = 2 * Math.PI * fc / rate;
        double cos = Math.cos(w0);
        double alpha = Math.sin(w0) / (2 * Math.sqrt(0.5));
        double a0 = 1 + alpha;
        c[at] = (1 + cos) / 2 / a0;
        c[at + 1] = -(1 + cos) / a0;
        c[at + 2] = (1 + cos) / 2 / a0;
        c[at + 3] = -2 * cos / a0;
        c[at + 4] = (1 - alpha) / a0;
    }

    private static void bandPass(double[] c, int at, double lo, double hi, int rate) {
        // RBJ band-pass with 0 dB peak gain, centred on the geometric mean of the edges
        double fc = Math.sqrt(lo * hi);
        double q = fc / (hi - lo);
        double w0 = 2 * Math.PI * fc / rate;
        double alpha = Math.sin(w0) / (2 * q);
        double a0 = 1 + alpha;
        c[at] = alpha / a0;
        c[at + 1] = 0;
        c[at + 2] = -alpha / a0;
        c[at + 3] = -2 * Math.cos(w0) / a0;
        c[at + 4] = (1 - alpha) / a0;
    }

    private void trackBlocks(boolean learning) {
        for (int b = 0; b < bands; b++) {
            if (bandDb[b] < currentBlockMin[b]) {
                currentBlockMin[b] = bandDb[b];
            }
        }
        speechInBlock |= !learning;
        if (++framesInBlock == framesPerBlock) {
            for (int b = 0; b < bands; b++) {
                blockMin[b * NOISE_BLOCKS + blockIndex] = currentBlockMin[b];
                if (!speechInBlock) {
                    // a block of pure noise: how far its minimum lies below the noise mean
                    double a = offsetBlocks == 0 ? 1 : 0.2;
                    minimumOffset[b] += a * (noiseMean[b] - currentBlockMin[b] - minimumOffset[b]);
                }
                currentBlockMin[b] = Double.POSITIVE_INFINITY;
            }
            if (!speechInBlock) {
                offsetBlocks++;
            }
            speechInBlock = false;
            blockIndex = (blockIndex + 1) % NOISE_BLOCKS;
            if (blocksFilled < NOISE_BLOCKS) {
                blocksFilled++;
            }
            framesInBlock = 0;
        }
    }

    private double windowMinimum(int band) {
        double m = Double.POSITIVE_INFINITY;
        for (int i = band * NOISE_BLOCKS, end = i + blocksFilled; i < end; i++) {
            m = Math.min(m, blockMin[i]);
        }
        return m;
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
