package io.github.ser4j.examples.cli;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.dsp.feature.MelSpectrogram;
import io.github.ser4j.dsp.feature.Mfcc;
import io.github.ser4j.dsp.feature.Npy;
import io.github.ser4j.dsp.spectral.DctNorm;
import io.github.ser4j.dsp.spectral.MelNorm;
import io.github.ser4j.dsp.spectral.PadMode;
import io.github.ser4j.dsp.spectral.Stft;
import io.github.ser4j.dsp.spectral.Window;
import io.github.ser4j.examples.io.AudioFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ser features}: librosa-compatible features of one file, saved as a float32 {@code .npy}. The audio is loaded
 * as {@code librosa.load(path, sr=SR)} does (mono = mean of the channels, resampled to SR), then the feature is
 * computed as the librosa function of the same name with the same parameters.
 */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Computes librosa-compatible features of an audio file and saves them as a float32 .npy of "
                + "shape (features, frames), for checking parity with Python:",
                "  y, sr = librosa.load(AUDIO, sr=SR)      # mono, resampled (SR 0 = sr=None, the file's rate)",
                "  stft:           np.abs(librosa.stft(y, ...)) ** power          (power default 1: magnitude)",
                "  melspectrogram: librosa.feature.melspectrogram(y=y, sr=sr, ...)  (power default 2)",
                "  mfcc:           librosa.feature.mfcc(S=librosa.power_to_db(",
                "                      librosa.feature.melspectrogram(y=y, sr=sr, norm=MEL_NORM, ...), "
                        + "top_db=TOP_DB), n_mfcc=N, norm=NORM, lifter=L)",
                "                  (the same as librosa.feature.mfcc(y=y, sr=sr, ...) with the default top_db 80)",
                "Option names and defaults are librosa's (n_fft -> --n-fft)."})
public final class FeaturesCommand implements Callable<Integer> {
    /** The feature to compute. */
    enum Kind { stft, melspectrogram, mfcc }

    @Spec
    CommandSpec spec;

    @Option(names = "--kind", required = true, paramLabel = "KIND",
            description = "stft, melspectrogram or mfcc.")
    Kind kind;

    @Parameters(index = "0", paramLabel = "AUDIO", description = "The audio file (WAV, AIFF, AU, FLAC).")
    Path audio;

    @Option(names = "--out", required = true, paramLabel = "OUT.npy", description = "Where to save the features.")
    Path out;

    @Option(names = "--sr", paramLabel = "SR", defaultValue = "22050",
            description = "Sample rate to load at, as librosa.load(sr=SR); 0 keeps the file's rate (sr=None). "
                    + "Default: ${DEFAULT-VALUE} (librosa's).")
    int sr;

    @Option(names = "--n-fft", paramLabel = "N", defaultValue = "2048", description = "Default: ${DEFAULT-VALUE}.")
    int nFft;

    @Option(names = "--hop-length", paramLabel = "N", description = "Default: win_length // 4.")
    Integer hopLength;

    @Option(names = "--win-length", paramLabel = "N", description = "Default: n_fft.")
    Integer winLength;

    @Option(names = "--window", paramLabel = "NAME", defaultValue = "hann",
            description = "hann, hamming or boxcar (periodic, as scipy.signal.get_window), or hann_symmetric, "
                    + "hamming_symmetric. Default: ${DEFAULT-VALUE}.")
    String window;

    @Option(names = "--center", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Pad so that frame t is centred at t * hop_length (--no-center: no padding). Default: on.")
    boolean center;

    @Option(names = "--pad-mode", paramLabel = "MODE", defaultValue = "constant",
            description = "constant, reflect or edge (np.pad modes used with --center). Default: ${DEFAULT-VALUE} "
                    + "(librosa >= 0.10).")
    String padMode;

    @Option(names = "--power", paramLabel = "P",
            description = "Exponent of the magnitude spectrogram. Default: 1 for stft (magnitude), 2 for "
                    + "melspectrogram and mfcc (librosa's).")
    Double power;

    @Option(names = "--n-mels", paramLabel = "N", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
    int nMels;

    @Option(names = "--fmin", paramLabel = "HZ", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    double fmin;

    @Option(names = "--fmax", paramLabel = "HZ", description = "Default: sr / 2.")
    Double fmax;

    @Option(names = "--htk", description = "HTK mel scale instead of Slaney's.")
    boolean htk;

    @Option(names = "--norm", paramLabel = "NORM",
            description = "melspectrogram: mel filter normalisation, slaney or none (default slaney). mfcc: DCT "
                    + "normalisation, ortho or none (default ortho), as librosa's norm argument of each.")
    String norm;

    @Option(names = "--mel-norm", paramLabel = "NORM",
            description = "mfcc only: mel filter normalisation, slaney or none (librosa's mel_norm). "
                    + "Default: slaney.")
    String melNorm;

    @Option(names = "--n-mfcc", paramLabel = "N", defaultValue = "20", description = "Default: ${DEFAULT-VALUE}.")
    int nMfcc;

    @Option(names = "--lifter", paramLabel = "L", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    double lifter;

    @Option(names = "--top-db", paramLabel = "DB", defaultValue = "80",
            description = "mfcc only: power_to_db's top_db; 'none' for no clamping. Default: ${DEFAULT-VALUE}.")
    String topDb;

    /** Creates the command; picocli fills in its fields. */
    public FeaturesCommand() {
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        checkOptions(cl);
        AudioFiles.Mono loaded = AudioFiles.load(audio, sr);
        float[][] rows;
        try {
            rows = compute(loaded.samples(), loaded.sampleRate());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "invalid feature parameters for " + audio + ": "
                    + e.getMessage(), e);
        }
        int frames = rows.length == 0 ? 0 : rows[0].length;
        float[] data = FeatureMatrix.of(rows).toArray();
        Npy.writeFloat32(out, rows.length, frames, data);
        PrintWriter err = cl.getErr();
        err.println(String.format(Locale.ROOT, "%s: %s of %.3f s at %d Hz -> %s, shape (%d, %d) float32", audio,
                kind, loaded.samples().length / (double) loaded.sampleRate(), loaded.sampleRate(), out, rows.length,
                frames));
        err.flush();
        return ExitCodes.OK;
    }

    private void checkOptions(CommandLine cl) {
        if (sr < 0) {
            throw new CommandLine.ParameterException(cl, "--sr must be positive, or 0 for the file's rate; got "
                    + sr);
        }
        if (kind != Kind.mfcc && (melNorm != null || !"80".equals(topDb) || nMfcc != 20 || lifter != 0)) {
            throw new CommandLine.ParameterException(cl, "--mel-norm, --top-db, --n-mfcc and --lifter apply to "
                    + "--kind mfcc only");
        }
        if (kind == Kind.stft && (norm != null || htk || nMels != 128 || fmin != 0 || fmax != null)) {
            throw new CommandLine.ParameterException(cl, "--norm, --htk, --n-mels, --fmin and --fmax do not apply "
                    + "to --kind stft");
        }
        // librosa rejects these; ser-dsp's builders take 0 to mean "default", so check here.
        positive(cl, "--n-fft", nFft);
        if (hopLength != null) {
            positive(cl, "--hop-length", hopLength);
        }
        if (winLength != null) {
            positive(cl, "--win-length", winLength);
        }
        positive(cl, "--n-mels", nMels);
        positive(cl, "--n-mfcc", nMfcc);
        window(cl);
        padMode(cl);
    }

    private static void positive(CommandLine cl, String option, int value) {
        if (value < 1) {
            throw new CommandLine.ParameterException(cl, option + " must be a positive integer, got " + value);
        }
    }

    private float[][] compute(float[] y, int rate) {
        CommandLine cl = spec.commandLine();
        int win = winLength != null ? winLength : nFft;
        int hop = hopLength != null ? hopLength : win / 4;
        switch (kind) {
            case stft -> {
                Stft stft = Stft.builder().nFft(nFft).hopLength(hop).winLength(win).window(window(cl))
                        .center(center).padMode(padMode(cl)).build();
                return stft.spectrogram(y, power != null ? power : 1.0);
            }
            case melspectrogram -> {
                MelSpectrogram.Builder b = MelSpectrogram.builder().sr(rate).nFft(nFft).hopLength(hop)
                        .winLength(win).window(window(cl)).center(center).padMode(padMode(cl))
                        .power(power != null ? power : 2.0).nMels(nMels).fmin(fmin).htk(htk)
                        .norm(melNorm(cl, "--norm", norm));
                if (fmax != null) {
                    b.fmax(fmax);
                }
                return b.build().extract(y).toRows();
            }
            default -> {
                Mfcc.Builder b = Mfcc.builder().sr(rate).nFft(nFft).hopLength(hop).winLength(win)
                        .window(window(cl)).center(center).padMode(padMode(cl)).power(power != null ? power : 2.0)
                        .nMels(nMels).fmin(fmin).htk(htk).melNorm(melNorm(cl, "--mel-norm", melNorm))
                        .nMfcc(nMfcc).dctNorm(dctNorm(cl)).lifter(lifter).topDb(topDb(cl));
                if (fmax != null) {
                    b.fmax(fmax);
                }
                return b.build().extract(y).toRows();
            }
        }
    }

    private Window window(CommandLine cl) {
        try {
            return Window.named(window.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--window: " + e.getMessage(), e);
        }
    }

    private PadMode padMode(CommandLine cl) {
        try {
            return PadMode.of(padMode);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--pad-mode: " + e.getMessage(), e);
        }
    }

    private static MelNorm melNorm(CommandLine cl, String option, String value) {
        if (value == null || value.equalsIgnoreCase("slaney")) {
            return MelNorm.SLANEY;
        }
        if (value.equalsIgnoreCase("none")) {
            return MelNorm.NONE;
        }
        throw new CommandLine.ParameterException(cl, option + ": unsupported mel normalisation '" + value
                + "'; supported: slaney, none");
    }

    private DctNorm dctNorm(CommandLine cl) {
        if (norm == null || norm.equalsIgnoreCase("ortho")) {
            return DctNorm.ORTHO;
        }
        if (norm.equalsIgnoreCase("none")) {
            return DctNorm.NONE;
        }
        throw new CommandLine.ParameterException(cl, "--norm: unsupported DCT normalisation '" + norm
                + "' for mfcc; supported: ortho, none");
    }

    private Double topDb(CommandLine cl) {
        if (topDb.equalsIgnoreCase("none")) {
            return null;
        }
        try {
            double v = Double.parseDouble(topDb);
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(cl, "--top-db must be a non-negative number or 'none', got '"
                    + topDb + "'");
        }
    }
}
