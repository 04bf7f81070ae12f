package io.github.ser4j.dsp.signal;

/**
 * The Kaiser-windowed sinc low-pass filter behind a {@link Resampler}, as polyphase coefficient rows.
 *
 * <p>Output sample {@code k} sits at input position {@code k * down / up = q + phase / up}; it is the dot product of
 * row {@code phase} with the {@link #taps} input samples {@code x[q - halfWidth + 1 .. q + halfWidth]}. Row entry
 * {@code j} is {@code h(phase / up + halfWidth - 1 - j)}, where {@code h(t)} (t in input samples, symmetric, zero for
 * {@code |t| >= halfWidth}) is {@code 2 fc sinc(2 fc t) * I0(beta sqrt(1 - (t / halfWidth)^2)) / I0(beta)}.
 *
 * <p>Rows are precomputed exactly when {@code up * taps} is at most {@link #MAX_BANK_COEFFICIENTS}; rarer pairs with
 * many phases (e.g. 44101 Hz to 16000 Hz, 44101 phases) interpolate rows linearly from a table of {@code h} sampled
 * {@link #TABLE_STEPS_PER_ZERO_CROSSING} times per zero crossing, which keeps memory bounded for any pair.
 *
 * <p>Immutable after construction, thread-safe.
 */
final class ResamplerKernel {
    /** Passband edge as a fraction of the lower Nyquist frequency. */
    static final double PASSBAND_EDGE = 0.913;
    /** Stopband edge as a fraction of the lower Nyquist frequency: nothing above it may alias into the output. */
    static final double STOPBAND_EDGE = 1.0;
    /** Design stopband attenuation in dB (Kaiser's formulas). */
    static final double ATTENUATION_DB = 125.0;
    /** Largest precomputed polyphase bank, in coefficients (4 MiB of floats). */
    static final int MAX_BANK_COEFFICIENTS = 1 << 20;
    /** Table resolution for pairs whose bank would be larger. */
    static final int TABLE_STEPS_PER_ZERO_CROSSING = 4096;

    final int up;
    final int down;
    final int halfWidth;
    final int taps;
    /** Cut-off (the -6 dB point, midway through the transition band) in cycles per input sample. */
    final double cutoff;
    final double beta;
    /** {@code up} rows of {@code taps} coefficients, or null when {@link #table} is used. */
    private final float[] bank;
    private final float[] table;
    private final double tableStepsPerSample;

    /** The filter of a one-stage conversion: band edges {@link #PASSBAND_EDGE}, {@link #STOPBAND_EDGE} of the lower
     * Nyquist frequency. */
    ResamplerKernel(int up, int down) {
        this(up, down, 0.5 * Math.min(1.0, (double) up / down) * (PASSBAND_EDGE + STOPBAND_EDGE) / 2,
                Math.PI * (STOPBAND_EDGE - PASSBAND_EDGE) * Math.min(1.0, (double) up / down), false);
    }

    /**
     * A filter with the given band: cut-off {@code cutoff} (cycles per input sample, at most 0.5) and transition
     * width {@code transition} (radians per input sample), at {@link #ATTENUATION_DB}.
     *
     * @param periodic  precompute the {@link #periodRows} schedule (for short filters, such as the first of two
     *                  stages)
     */
    ResamplerKernel(int up, int down, double cutoff, double transition, boolean periodic) {
        this.up = up;
        this.down = down;
        this.cutoff = cutoff;
        this.beta = 0.1102 * (ATTENUATION_DB - 8.7);
        double length = (ATTENUATION_DB - 7.95) / (2.285 * transition) + 1;
        this.halfWidth = (int) Math.ceil(length / 2);
        this.taps = 2 * halfWidth;
        double i0Beta = besselI0(beta);
        if ((long) up * taps <= MAX_BANK_COEFFICIENTS) {
            bank = new float[up * taps];
            for (int p = 0; p < up; p++) {
                double base = (double) p / up + halfWidth - 1;
                for (int j = 0; j < taps; j++) {
                    bank[p * taps + j] = (float) h(base - j, i0Beta);
                }
            }
            table = null;
            tableStepsPerSample = 0;
            if (periodic) {
                periodRows = new float[up * taps];
                periodStart = new int[up];
                for (int i = 0; i < up; i++) {
                    int phase = (int) ((long) i * down % up);
                    periodStart[i] = (int) ((long) i * down / up) - halfWidth + 1;
                    System.arraycopy(bank, phase * taps, periodRows, i * taps, taps);
                }
            } else {
                periodRows = null;
                periodStart = null;
            }
            fftDecimation = up == 1 && down > 1 ? FftDecimation.of(bank, down) : null;
            if (up == 1 && down > 1 && fftDecimation == null) {
                decimationRows = new double[down][];
                for (int r = 0; r < down; r++) {
                    double[] row = new double[(taps - r + down - 1) / down];
                    for (int m = 0; m < row.length; m++) {
                        row[m] = bank[r + down * m];
                    }
                    decimationRows[r] = row;
                }
            } else {
                decimationRows = null;
            }
        } else {
            periodRows = null;
            periodStart = null;
            decimationRows = null;
            fftDecimation = null;
            bank = null;
            tableStepsPerSample = 2 * cutoff * TABLE_STEPS_PER_ZERO_CROSSING;
            int size = (int) Math.ceil(halfWidth * tableStepsPerSample) + 2;
            table = new float[size];
            for (int i = 0; i < size; i++) {
                table[i] = (float) h(i / tableStepsPerSample, i0Beta);
            }
        }
    }

    /**
     * The filter of an integer decimation ({@code up == 1}) split by input phase: row {@code r} holds
     * {@code h} entries {@code r, r + down, r + 2 down, ...} of the bank's single row, as doubles. Output {@code k} is
     * then {@code sum over r, m of rows[r][m] * x[start_k + r + down * m]}: per phase, a sliding dot product over every
     * {@code down}-th input, which vectorises across consecutive outputs. Null unless {@code up == 1} with a bank
     * and no {@link #fftDecimation} (a decimation whose FFT would exceed {@link FftDecimation#MAX_SIZE}).
     */
    final double[][] decimationRows;
    /**
     * Sums by period (null unless built {@code periodic} with a bank): the {@code up} outputs
     * {@code n * up + i} ({@code i = 0..up-1}) of period {@code n} use row {@code i} of this array ({@code taps}
     * coefficients, the bank's row of phase {@code i * down mod up}) on the inputs from
     * {@code n * down + periodStart[i]}. Output {@code k}'s value is {@code sum_t row[t] * x[start + t]} summed in
     * double in tap order (as the bank's direct form), whether it is computed alone or with others.
     */
    final float[] periodRows;
    /** See {@link #periodRows}. */
    final int[] periodStart;

    /** Integer decimation by overlap-save FFT convolution (up = 1), or null: the direct form then. */
    final FftDecimation fftDecimation;

    /** {@return whether rows come from the precomputed bank ({@link #bank()}) rather than {@link #row}} */
    boolean precomputed() {
        return bank != null;
    }

    /** {@return the bank, rows of {@link #taps} for phases 0..up-1; never modified by callers} */
    float[] bank() {
        return bank;
    }

    /**
     * Fills {@code dst[0..taps)} with the row of a phase by interpolating the table (table mode only).
     *
     * @param phase 0..up-1
     * @param dst   at least {@link #taps} long
     */
    void row(int phase, float[] dst) {
        double base = (double) phase / up + halfWidth - 1;
        float[] tab = table;
        double scale = tableStepsPerSample;
        int last = tab.length - 2;
        for (int j = 0; j < taps; j++) {
            double pos = Math.abs(base - j) * scale;
            int i = (int) pos;
            if (i > last) {
                dst[j] = 0f;
            } else {
                double f = pos - i;
                dst[j] = (float) (tab[i] + f * (tab[i + 1] - tab[i]));
            }
        }
    }

    private double h(double t, double i0Beta) {
        double u = t / halfWidth;
        if (Math.abs(u) >= 1.0) {
            return 0.0;
        }
        double x = 2 * cutoff * t;
        double sinc = x == 0 ? 1.0 : Math.sin(Math.PI * x) / (Math.PI * x);
        return 2 * cutoff * sinc * besselI0(beta * Math.sqrt(1 - u * u)) / i0Beta;
    }

    /** Modified Bessel function of the first kind, order 0, by its power series (converges fast for x below 50). */
    static double besselI0(double x) {
        double q = x * x / 4;
        double term = 1;
        double sum = 1;
        for (int k = 1; k < 500; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }
}
