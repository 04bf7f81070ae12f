package io.github.ser4j.dsp.vad;

import java.util.Arrays;

/**
 * {@link EnergyVad}'s noise estimate per band: a running mean and variance in dB of the frames outside speech, each
 * step clipped to three standard deviations, plus minimum statistics over a noise window that pull the mean up when
 * the detector has been stuck in speech for a whole window.
 *
 * <p>Fixed-size state allocated at construction; not thread-safe.
 */
final class VadNoiseTracker {
    /** Blocks of minimum statistics in one noise window. */
    static final int NOISE_BLOCKS = 8;
    /** Prior standard deviation of a band's noise energy, in dB, before any noise has been seen. */
    static final double PRIOR_SIGMA_DB = 3.0;

    private final int bands;
    private final int framesPerBlock;
    private final double alpha;
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
    private boolean initialised;

    /**
     * @param framesPerBlock frames in one of the {@link #NOISE_BLOCKS} blocks of the noise window
     * @param alpha          the running averages' step, from their time constant
     */
    VadNoiseTracker(int bands, int framesPerBlock, double alpha) {
        this.bands = bands;
        this.framesPerBlock = framesPerBlock;
        this.alpha = alpha;
        this.noiseMean = new double[bands];
        this.noiseVar = new double[bands];
        this.blockMin = new double[bands * NOISE_BLOCKS];
        this.currentBlockMin = new double[bands];
        this.minimumOffset = new double[bands];
        reset();
    }

    /** {@return whether an audible frame has set the estimate} */
    boolean initialised() {
        return initialised;
    }

    /** {@return band {@code b}'s noise mean, in dB} */
    double mean(int b) {
        return noiseMean[b];
    }

    /** {@return band {@code b}'s noise standard deviation, in dB} */
    double sigma(int b) {
        return Math.sqrt(noiseVar[b]);
    }

    /**
     * Sets the estimate from the first audible frame: at the silence floor after a stretch of digital silence,
     * otherwise at the frame's own band energies, with the prior spread.
     */
    void initialise(double[] bandDb, boolean afterSilence) {
        initialised = true;
        for (int b = 0; b < bands; b++) {
            noiseMean[b] = afterSilence ? EnergyVad.DIGITAL_SILENCE_DB : bandDb[b];
            noiseVar[b] = PRIOR_SIGMA_DB * PRIOR_SIGMA_DB;
        }
    }

    /** Adds an audible frame to the minimum statistics; {@code learning} is false for a frame in speech. */
    void trackBlocks(double[] bandDb, boolean learning) {
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

    /**
     * Updates the estimate after an audible frame has been decided.
     *
     * @param speech          whether the detector is in speech after this frame
     * @param speechRunFrames how many frames the detector has been in speech before this one
     */
    void learn(double[] bandDb, boolean speech, long speechRunFrames) {
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
    }

    /**
     * Lets the estimate sink towards the silence floor at the usual rate after a frame of digital silence outside
     * speech, so that clean speech between exact zeros is measured against a low floor. (Noise that follows a long
     * stretch of silence may then be taken for speech, for one noise window at most.)
     */
    void sinkTowardsSilence() {
        for (int b = 0; b < bands; b++) {
            double limit = 3 * Math.sqrt(noiseVar[b]);
            noiseMean[b] += alpha * Math.max(-limit, EnergyVad.DIGITAL_SILENCE_DB - noiseMean[b]);
        }
    }

    void reset() {
        Arrays.fill(noiseMean, 0);
        Arrays.fill(noiseVar, PRIOR_SIGMA_DB * PRIOR_SIGMA_DB);
        Arrays.fill(blockMin, Double.POSITIVE_INFINITY);
        Arrays.fill(currentBlockMin, Double.POSITIVE_INFINITY);
        Arrays.fill(minimumOffset, 0);
        speechInBlock = false;
        offsetBlocks = 0;
        blocksFilled = 0;
        blockIndex = 0;
        framesInBlock = 0;
        audibleFrames = 0;
        initialised = false;
    }

    private double windowMinimum(int band) {
        double m = Double.POSITIVE_INFINITY;
        for (int i = band * NOISE_BLOCKS, end = i + blocksFilled; i < end; i++) {
            m = Math.min(m, blockMin[i]);
        }
        return m;
    }
}
