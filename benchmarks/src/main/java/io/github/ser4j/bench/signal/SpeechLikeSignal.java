package io.github.ser4j.bench.signal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic speech-like test audio: a band-limited glottal pulse train with a wandering f0, shaped by three moving
 * formant resonators, with syllable-like amplitude envelopes, fricative noise bursts, pauses and a low noise floor.
 *
 * <p>The same seed gives the same syllable schedule at every sample rate (the schedule is drawn in seconds, before any
 * sample is made), so the 48 kHz and 16 kHz versions are the same "utterance", and a shorter signal is a prefix of a
 * longer one. Sample values are reproducible across JVMs and platforms: {@link java.util.Random} is specified
 * exactly and only {@link StrictMath} is used. The harmonics stop at 7.6 kHz at every rate, so resampling a 48 kHz
 * version to 16 kHz keeps the whole spectrum.
 *
 * <p>Thread-safety: stateless; safe to call from any thread.
 */
public final class SpeechLikeSignal {
    /** Seed used by the benchmarks and the librosa script (through the dumped files). */
    public static final long DEFAULT_SEED = 20_261_123L;

    /** Highest harmonic frequency, below 8 kHz so 16 kHz audio holds the whole source. */
    private static final double MAX_HARMONIC_HZ = 7600;
    /** Fixed output gain (not a peak normalisation, which would break the prefix property): peaks stay near 0.5. */
    private static final double GAIN = 0.0155;

    private enum Kind { PAUSE, FRICATIVE, VOICED }

    private record Segment(Kind kind, double start, double end, double amp, double f0, double f1, double f2,
                           double f3) {
    }

    private SpeechLikeSignal() {
    }

    /**
     * @param seconds    duration, positive
     * @param sampleRate samples per second, at least 8000
     * @return {@code round(seconds * sampleRate)} mono samples with {@link #DEFAULT_SEED}
     */
    public static float[] generate(double seconds, int sampleRate) {
        return generate(seconds, sampleRate, DEFAULT_SEED);
    }

    /**
     * @param seconds    duration, positive
     * @param sampleRate samples per second, at least 8000
     * @param seed       seed of the syllable schedule and the noise
     * @return {@code round(seconds * sampleRate)} mono samples, peaks below 1
     * @throws IllegalArgumentException if the duration or rate is out of range
     */
    public static float[] generate(double seconds, int sampleRate, long seed) {
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new IllegalArgumentException("seconds must be in (0, 3600], got " + seconds);
        }
        if (sampleRate < 8000) {
            throw new IllegalArgumentException("sampleRate must be at least 8000 Hz, got " + sampleRate);
        }
        List<Segment> schedule = schedule(seconds, new Random(seed));
        Random noise = new Random(seed ^ 0x5DEECE66DL ^ sampleRate);
        int n = (int) Math.round(seconds * sampleRate);
        float[] out = new float[n];

        double dt = 1.0 / sampleRate;
        // one-pole smoothing toward segment targets: f0 glides in ~40 ms, formants in ~30 ms
        double glideF0 = 1 - StrictMath.exp(-dt / 0.040);
        double glideFormant = 1 - StrictMath.exp(-dt / 0.030);
        double tilt = StrictMath.exp(-2 * StrictMath.PI * 700 * dt); // glottal spectral tilt, -6 dB/oct above 700 Hz
        double[] bandwidth = {90, 130, 210};
        double[] radius = new double[3];
        for (int k = 0; k < 3; k++) {
            radius[k] = StrictMath.exp(-StrictMath.PI * bandwidth[k] * dt);
        }
        double f0 = 140;
        double[] formant = {500, 1500, 2500};
        double[] y1 = new double[3];
        double[] y2 = new double[3];
        double phase = 0;
        double source = 0;
        double fricPrev = 0;
        int seg = 0;

        for (int i = 0; i < n; i++) {
            double t = i * dt;
            while (seg < schedule.size() - 1 && t >= schedule.get(seg).end) {
                seg++;
            }
            Segment s = schedule.get(seg);
            double edge = Math.min(t - s.start, s.end - t);

            // voice source: f0 glides toward the syllable's target, with vibrato and declination
            if (s.kind == Kind.VOICED) {
                f0 += (s.f0 - f0) * glideF0;
                formant[0] += (s.f1 - formant[0]) * glideFormant;
                formant[1] += (s.f2 - formant[1]) * glideFormant;
                formant[2] += (s.f3 - formant[2]) * glideFormant;
            }
            double f = f0 * (1 + 0.015 * StrictMath.sin(2 * StrictMath.PI * 5.5 * t)) * (1 - 0.01 * (t % 3.0));
            phase += 2 * StrictMath.PI * f * dt;
            if (phase >= 2 * StrictMath.PI) {
                phase -= 2 * StrictMath.PI;
            }
            int harmonics = Math.max(1, (int) (Math.min(0.5 * sampleRate * 0.95, MAX_HARMONIC_HZ) / f));
            double half = StrictMath.sin(0.5 * phase);
            // Dirichlet kernel: sum_{k=1..K} cos(k phase), a band-limited pulse train
            double pulse = Math.abs(half) < 1e-9 ? harmonics
                    : StrictMath.sin((harmonics + 0.5) * phase) / (2 * half) - 0.5;
            source = tilt * source + (1 - tilt) * pulse;

            double voicedEnv = s.kind == Kind.VOICED ? s.amp * ramp(edge, 0.025) : 0;
            double x = source * voicedEnv;
            // cascade of three resonators with unit gain at DC
            for (int k = 0; k < 3; k++) {
                double r = radius[k];
                double a1 = -2 * r * StrictMath.cos(2 * StrictMath.PI * formant[k] * dt);
                double a2 = r * r;
                double y = (1 + a1 + a2) * x - a1 * y1[k] - a2 * y2[k];
                y2[k] = y1[k];
                y1[k] = y;
                x = y;
            }

            double white = noise.nextGaussian();
            double fric = 0;
            if (s.kind == Kind.FRICATIVE) {
                fric = (white - 0.85 * fricPrev) * 0.10 * s.amp * ramp(edge, 0.015);
            }
            fricPrev = white;
            double floor = 0.002 * noise.nextGaussian();
            out[i] = (float) (GAIN * x + fric + floor);
        }
        return out;
    }

    private static double ramp(double edgeSeconds, double rampSeconds) {
        if (edgeSeconds >= rampSeconds) {
            return 1;
        }
        double u = Math.max(0, edgeSeconds) / rampSeconds;
        return 0.5 - 0.5 * StrictMath.cos(StrictMath.PI * u);
    }

    private static List<Segment> schedule(double seconds, Random rnd) {
        List<Segment> segments = new ArrayList<>();
        double t = 0;
        segments.add(new Segment(Kind.PAUSE, 0, 0.06, 0, 0, 0, 0, 0));
        t = 0.06;
        double speakerF0 = 110 + 60 * rnd.nextDouble();
        while (t < seconds) {
            double r = rnd.nextDouble();
            double duration;
            Kind kind;
            if (r < 0.14) {
                kind = Kind.PAUSE;
                duration = 0.08 + 0.17 * rnd.nextDouble();
            } else if (r < 0.30) {
                kind = Kind.FRICATIVE;
                duration = 0.06 + 0.08 * rnd.nextDouble();
            } else {
                kind = Kind.VOICED;
                duration = 0.12 + 0.20 * rnd.nextDouble();
            }
            double amp = 0.55 + 0.45 * rnd.nextDouble();
            double f0 = speakerF0 * (0.8 + 0.5 * rnd.nextDouble());
            double f1 = 300 + 550 * rnd.nextDouble();
            double f2 = 900 + 1400 * rnd.nextDouble();
            double f3 = 2300 + 900 * rnd.nextDouble();
            segments.add(new Segment(kind, t, t + duration, amp, f0, f1, f2, f3));
            t += duration;
        }
        return segments;
    }
}
