package io.github.ser4j.dsp.spectral;

import io.github.ser4j.dsp.internal.Checks;
import io.github.ser4j.dsp.internal.NumpyMath;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code librosa.power_to_db(S, ref=ref, amin=amin, top_db=top_db)}: {@code 10 log10(max(amin, S) / ref)}, floored at
 * {@code max - top_db}, in float32 arithmetic like librosa's for float32 input.
 *
 * <p>{@code ref} is a positive scalar (default 1.0) or the maximum of {@code S} ({@link Builder#refMax()}, librosa's
 * {@code ref=np.max}). {@code top_db} defaults to 80; {@code null} is librosa's {@code top_db=None} (no floor).
 *
 * <p>Thread-safety: immutable.
 */
public final class PowerToDb {
    private final double ref;
    private final boolean refMax;
    private final double amin;
    private final Double topDb;
    private final float aminF;
    private final double refDb;

    private PowerToDb(Builder b) {
        ref = b.ref;
        refMax = b.refMax;
        amin = Checks.positive(b.amin, "amin");
        topDb = b.topDb;
        if (topDb != null && !(topDb >= 0 && !topDb.isInfinite())) {
            throw new IllegalArgumentException("top_db must be a finite number >= 0 or null (None), got " + topDb);
        }
        if (!refMax && !Double.isFinite(ref)) {
            throw new IllegalArgumentException("ref must be finite, got " + ref);
        }
        aminF = (float) amin;
        // numpy: 10 * log10(max(amin, |ref|)) in float64 for a Python scalar ref
        refDb = 10.0 * Math.log10(Math.max(amin, Math.abs(ref)));
    }

    /** {@return a builder with librosa's defaults: {@code ref=1.0, amin=1e-10, top_db=80}} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these parameters} */
    public Builder toBuilder() {
        Builder b = new Builder().amin(amin).topDb(topDb);
        return refMax ? b.refMax() : b.ref(ref);
    }

    /** {@return the scalar reference ({@code NaN} when {@link #isRefMax()})} */
    public double ref() {
        return refMax ? Double.NaN : ref;
    }

    /** {@return true if the reference is the maximum of the input ({@code ref=np.max})} */
    public boolean isRefMax() {
        return refMax;
    }

    /** {@return {@code amin}} */
    public double amin() {
        return amin;
    }

    /** {@return {@code top_db}, or null for None} */
    public Double topDb() {
        return topDb;
    }

    /**
     * {@return true if the result of a frame depends only on that frame (scalar ref, no top_db): then         {@link
     * #applyFrame(float[], float[], int)} gives the final values and streaming is exact}
     */
    public boolean isFrameLocal() {
        return !refMax && topDb == null;
    }

    /**
     * {@code librosa.power_to_db} of a whole matrix.
     *
     * @param s power spectrogram (any rows x frames, non-negative); not modified
     * @return the dB values, same shape
     * @throws IllegalArgumentException if not rectangular or not finite
     */
    public float[][] apply(float[][] s) {
        int cols = Checks.matrix(s, -1, "S");
        int rows = s.length;
        float[] flat = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(s[r], 0, flat, r * cols, cols);
        }
        applyInPlace(flat, flat.length);
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }

    /**
     * {@code librosa.power_to_db} of the first {@code n} values of {@code data}, in place (the max and top_db clamp
     * are taken over these values, i.e. over the whole matrix they hold).
     *
     * @param data power values, replaced by dB values
     * @param n    number of values
     */
    public void applyInPlace(float[] data, int n) {
        // ref=max needs the input's maximum first; a scalar ref is already inside logPower (x - 0f == x exactly)
        float refDb32 = 0f;
        if (refMax && n > 0) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, data[i]);
            }
            refDb32 = 10f * NumpyMath.log10f(Math.max(aminF, max));
        }
        // one pass for the logarithms that also finds the maximum the top_db floor needs, then the floor
        float dbMax = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float db = logPower(data[i]) - refDb32;
            data[i] = db;
            dbMax = Math.max(dbMax, db);
        }
        if (topDb != null && n > 0) {
            floor(data, n, dbMax - (float) topDb.doubleValue());
        }
    }

    /**
     * The per-element part: {@code 10 log10(max(amin, S))} minus the scalar reference. Exact final values when
     * {@link #isFrameLocal()}; otherwise {@link #applyInPlace} must be used on the whole matrix.
     *
     * @param in  power values
     * @param out receives the dB values (may be {@code in})
     * @param n   number of values
     * @throws IllegalStateException if the reference is the maximum ({@code ref=np.max}), which needs the whole input
     */
    public void applyFrame(float[] in, float[] out, int n) {
        if (refMax) {
            throw new IllegalStateException("ref=max needs the whole spectrogram, not one frame");
        }
        for (int i = 0; i < n; i++) {
            out[i] = logPower(in[i]);
        }
    }

    /**
     * Applies the {@code top_db} floor ({@code max(x, x.max() - top_db)}) to dB values, in place; no-op when top_db
     * is None.
     *
     * @param db dB values
     * @param n  number of values
     */
    public void clamp(float[] db, int n) {
        if (topDb == null || n == 0) {
            return;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, db[i]);
        }
        floor(db, n, max - (float) topDb.doubleValue());
    }

    private static void floor(float[] db, int n, float floor) {
        for (int i = 0; i < n; i++) {
            db[i] = Math.max(db[i], floor);
        }
    }

    private float logPower(float s) {
        float db = 10f * NumpyMath.log10f(Math.max(aminF, s));
        // a Python scalar ref: float64 subtraction, stored as float32 (a no-op when ref = 1)
        return refMax ? db : (float) (db - refDb);
    }

    /** {@return librosa-named parameters: ref ({@code "max"} or the number), amin, top_db} */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("ref", refMax ? "max" : (Object) ref);
        p.put("amin", amin);
        p.put("top_db", topDb);
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PowerToDb p && refMax == p.refMax && Double.compare(ref, p.ref) == 0 && amin == p.amin
                && Objects.equals(topDb, p.topDb);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ref, refMax, amin, topDb);
    }

    @Override
    public String toString() {
        return "PowerToDb" + parameters();
    }

    /** Builder with librosa's defaults. Not thread-safe. */
    public static final class Builder {
        private double ref = 1.0;
        private boolean refMax;
        private double amin = 1e-10;
        private Double topDb = 80.0;

        private Builder() {
        }

        /**
         * @param ref scalar reference power (default 1.0); its absolute value is used, as librosa does
         * @return this
         */
        public Builder ref(double ref) {
            this.ref = ref;
            this.refMax = false;
            return this;
        }

        /** {@return this, with the maximum of the input as reference ({@code ref=np.max})} */
        public Builder refMax() {
            this.ref = Double.NaN;
            this.refMax = true;
            return this;
        }

        /**
         * @param amin floor of the input power, {@code > 0} (default 1e-10)
         * @return this
         */
        public Builder amin(double amin) {
            this.amin = amin;
            return this;
        }

        /**
         * @param topDb dynamic range below the maximum, {@code >= 0} (default 80); null for None
         * @return this
         */
        public Builder topDb(Double topDb) {
            this.topDb = topDb;
            return this;
        }

        /**
         * @return the converter
         * @throws IllegalArgumentException if amin is not positive, top_db negative or ref not finite
         */
        public PowerToDb build() {
            return new PowerToDb(this);
        }
    }
}
