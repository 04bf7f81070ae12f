package io.github.ser4j.onnx.pipeline;

import io.github.ser4j.api.FeatureExtractor;
import io.github.ser4j.dsp.feature.ChromaStft;
import io.github.ser4j.dsp.feature.MelSpectrogram;
import io.github.ser4j.dsp.feature.Mfcc;
import io.github.ser4j.dsp.feature.Rms;
import io.github.ser4j.dsp.feature.SpectralBandwidth;
import io.github.ser4j.dsp.feature.SpectralCentroid;
import io.github.ser4j.dsp.feature.SpectralRolloff;
import io.github.ser4j.dsp.feature.ZeroCrossingRate;
import io.github.ser4j.dsp.prosody.Functionals;
import io.github.ser4j.dsp.signal.Resampler;
import io.github.ser4j.dsp.spectral.DctNorm;
import io.github.ser4j.dsp.spectral.Delta;
import io.github.ser4j.dsp.spectral.MelNorm;
import io.github.ser4j.dsp.spectral.PadMode;
import io.github.ser4j.dsp.spectral.PowerToDb;
import io.github.ser4j.dsp.spectral.Stft;
import io.github.ser4j.dsp.spectral.Window;
import io.github.ser4j.onnx.card.ModelCard.Feature;

import java.util.List;

/**
 * Maps card features onto ser-dsp extractors (librosa-exact). Stateless; the computers it makes are immutable and
 * thread-safe.
 */
final class CardFeatures {
    private CardFeatures() {
    }

    /** Computes one stacked feature (with its deltas) of a prepared clip: rows x frames. */
    interface Computer {
        float[][] compute(float[] samples);
    }

    /** Samples {@code [outFrom, outFrom + outCount)} of {@code samples[0 .. length)} resampled. */
    static float[] resample(Resampler resampler, float[] samples, int length, int outFrom, int outCount) {
        return resampler.resampleRange(samples, length, outFrom, outCount);
    }

    static Computer computer(Feature f, int sr) {
        Computer base = baseComputer(f, sr);
        List<Integer> orders = f.deltaOrders();
        if (orders.isEmpty()) {
            return base;
        }
        int width = f.deltaWidth();
        return y -> {
            float[][] m = base.compute(y);
            float[][] out = new float[m.length * (1 + orders.size())][];
            System.arraycopy(m, 0, out, 0, m.length);
            for (int k = 0; k < orders.size(); k++) {
                float[][] d = Delta.delta(m, width, orders.get(k));
                System.arraycopy(d, 0, out, (k + 1) * m.length, m.length);
            }
            return out;
        };
    }

    private static Computer baseComputer(Feature f, int sr) {
        switch (f.kind()) {
            case WAVEFORM:
                return y -> new float[][] {y.clone()};
            case STFT: {
                Stft stft = stft(f);
                double power = f.doubleParam("power");
                return y -> stft.spectrogram(y, power);
            }
            case MELSPECTROGRAM:
                return extractor(mel(f, sr).build());
            case LOG_MELSPECTROGRAM: {
                PowerToDb.Builder db = PowerToDb.builder().amin(f.doubleParam("amin")).topDb(nullable(f, "top_db"));
                Object ref = f.params().get("ref");
                if ("max".equals(ref)) {
                    db.refMax();
                } else {
                    db.ref(((Number) ref).doubleValue());
                }
                return extractor(mel(f, sr).decibels(db.build()).build());
            }
            case MFCC: {
                Mfcc.Builder b = Mfcc.builder().sr(sr);
                spectral(b, f);
                b.power(f.doubleParam("power")).nMels(f.intParam("n_mels")).fmin(f.doubleParam("fmin"))
                        .htk((Boolean) f.params().get("htk"))
                        .melNorm(f.params().get("mel_norm") == null ? MelNorm.NONE : MelNorm.SLANEY)
                        .nMfcc(f.intParam("n_mfcc"))
                        .dctNorm(f.params().get("norm") == null ? DctNorm.NONE : DctNorm.ORTHO)
                        .lifter(f.doubleParam("lifter")).topDb(nullable(f, "top_db"));
                if (f.params().get("fmax") != null) {
                    b.fmax(f.doubleParam("fmax"));
                }
                return extractor(b.build());
            }
            case CHROMA_STFT: {
                ChromaStft.Builder b = ChromaStft.builder().sr(sr);
                spectral(b, f);
                b.nChroma(f.intParam("n_chroma")).tuning(nullable(f, "tuning")).norm(nullable(f, "norm"));
                if (f.doubleParam("power") != 2.0) {
                    throw new IllegalArgumentException("chroma_stft supports power=2.0 only (librosa's default), got "
                            + f.doubleParam("power"));
                }
                return extractor(b.build());
            }
            case RMS:
                return extractor(Rms.builder().sr(sr).frameLength(f.intParam("frame_length"))
                        .hopLength(f.intParam("hop_length")).center((Boolean) f.params().get("center"))
                        .padMode(PadMode.of((String) f.params().get("pad_mode"))).build());
            case ZERO_CROSSING_RATE:
                return extractor(ZeroCrossingRate.builder().sr(sr).frameLength(f.intParam("frame_length"))
                        .hopLength(f.intParam("hop_length")).center((Boolean) f.params().get("center"))
                        .threshold(f.doubleParam("threshold")).zeroPos((Boolean) f.params().get("zero_pos")).build());
            case SPECTRAL_CENTROID: {
                SpectralCentroid.Builder b = SpectralCentroid.builder().sr(sr);
                spectral(b, f);
                return extractor(b.build());
            }
            case SPECTRAL_BANDWIDTH: {
                SpectralBandwidth.Builder b = SpectralBandwidth.builder().sr(sr);
                spectral(b, f);
                b.p(f.doubleParam("p")).norm((Boolean) f.params().get("norm"));
                return extractor(b.build());
            }
            case SPECTRAL_ROLLOFF: {
                SpectralRolloff.Builder b = SpectralRolloff.builder().sr(sr);
                spectral(b, f);
                b.rollPercent(f.doubleParam("roll_percent"));
                return extractor(b.build());
            }
            case FUNCTIONALS: {
                if (sr != Functionals.SR) {
                    throw new IllegalArgumentException("functionals are defined at " + Functionals.SR + " Hz only");
                }
                Functionals fn = Functionals.create();
                return y -> {
                    float[] v = fn.compute(y);
                    float[][] out = new float[v.length][];
                    for (int i = 0; i < v.length; i++) {
                        out[i] = new float[] {v[i]};
                    }
                    return out;
                };
            }
            default:
                throw new AssertionError(f.kind());
        }
    }

    private static Double nullable(Feature f, String name) {
        Object v = f.params().get(name);
        return v == null ? null : ((Number) v).doubleValue();
    }

    private static Computer extractor(FeatureExtractor e) {
        return y -> e.extract(y).toRows();
    }

    private static MelSpectrogram.Builder mel(Feature f, int sr) {
        MelSpectrogram.Builder b = MelSpectrogram.builder().sr(sr);
        spectral(b, f);
        b.power(f.doubleParam("power")).nMels(f.intParam("n_mels")).fmin(f.doubleParam("fmin"))
                .htk((Boolean) f.params().get("htk"))
                .norm(f.params().get("norm") == null ? MelNorm.NONE : MelNorm.SLANEY);
        if (f.params().get("fmax") != null) {
            b.fmax(f.doubleParam("fmax"));
        }
        return b;
    }

    private static void spectral(io.github.ser4j.dsp.feature.SpectralBuilder<?> b, Feature f) {
        b.nFft(f.intParam("n_fft")).hopLength(f.hopLength()).winLength(f.winLength())
                .window(Window.named((String) f.params().get("window"))).center((Boolean) f.params().get("center"))
                .padMode(PadMode.of((String) f.params().get("pad_mode")));
    }

    private static Stft stft(Feature f) {
        return Stft.builder().nFft(f.intParam("n_fft")).hopLength(f.hopLength()).winLength(f.winLength())
                .window(Window.named((String) f.params().get("window"))).center((Boolean) f.params().get("center"))
                .padMode(PadMode.of((String) f.params().get("pad_mode"))).build();
    }
}
