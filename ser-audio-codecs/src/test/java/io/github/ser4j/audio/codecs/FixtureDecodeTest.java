package io.github.ser4j.audio.codecs;

import io.github.ser4j.api.AudioSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed fixtures (synthetic tones, {@code src/test/fixtures/make_fixtures.sh}) decoded through
 * {@link AudioSource#open(Path)} and checked against what was encoded: rate, channels, duration, each channel's
 * frequency and RMS; and, where it is installed, against the reference decoder of the format (libvorbis's oggdec,
 * libopus's opusdec, ffmpeg for MP3).
 */
class FixtureDecodeTest {
    static final Path DIR = Path.of("src/test/resources/fixtures");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // file, rate, channels, seconds, Hz left, amplitude left, Hz right, amplitude right, min dB vs reference,
            // whether the file states its exact length (mp3_mono_16k has no LAME "Info" frame: encoder delay and
            // padding stay, as in ffmpeg's decoding)
            "mp3_mono_16k.mp3,        16000, 1, 0.8, 440, 0.5,   0, 0,    40, false",
            "mp3_stereo_44k_id3.mp3,  44100, 2, 0.6, 440, 0.5, 660, 0.25, 40, true",
            "vorbis_mono_16k.ogg,     16000, 1, 0.8, 440, 0.5,   0, 0,    70, true",
            "vorbis_stereo_44k.ogg,   44100, 2, 0.6, 440, 0.5, 660, 0.25, 70, true",
            "opus_mono_16k.opus,      48000, 1, 0.8, 440, 0.5,   0, 0,    55, true",
            "opus_stereo_48k.opus,    48000, 2, 0.8, 440, 0.5, 660, 0.25, 55, true",
    })
    void decodesTheToneThatWasEncoded(String file, int rate, int channels, double seconds, double hzL, double ampL,
                                      double hzR, double ampR, double minDb, boolean exact) throws Exception {
        Path path = DIR.resolve(file);
        Signals.Decoded d = Signals.decode(AudioSource.open(path));
        assertEquals(rate, d.rate(), "rate");
        assertEquals(channels, d.channels(), "channels");
        double duration = d.frames() / (double) rate;
        // encoder delay and padding are trimmed (MP3: by the LAME tag; Vorbis, Opus: by granule positions)
        if (exact) {
            assertEquals(seconds, duration, 0.5 / rate, "duration");
        } else {
            assertTrue(duration >= seconds && duration < seconds + 0.15, "duration " + duration + " s");
        }
        int from = (int) (0.2 * rate);
        int to = (int) (0.5 * rate);
        double[] hz = {hzL, hzR};
        double[] amp = {ampL, ampR};
        for (int c = 0; c < channels; c++) {
            float[] y = d.channel(c);
            assertEquals(hz[c], Signals.peakFrequency(y, from, to, rate, hz[c] - 40, hz[c] + 40), 1.0,
                    file + " channel " + c + " frequency");
            assertEquals(amp[c] / Math.sqrt(2), Signals.rms(y, from, to), 0.05 * amp[c],
                    file + " channel " + c + " RMS");
        }
        // the same bytes through a stream give the same samples
        Signals.Decoded fromStream = Signals.decode(AudioSource.open(Files.newInputStream(path)));
        assertArrayEquals(d.samples(), fromStream.samples(), file + " from a stream");

        float[] ref = Signals.referenceDecode(path, rate, channels);
        Assumptions.assumeTrue(ref != null, "the reference decoder (oggdec, opusdec or ffmpeg) is not installed: the"
                + " comparison with it is skipped (apt-get install vorbis-tools opus-tools ffmpeg)");
        // the same length and no lag: ffmpeg (LAME tag, ID3v1 tag ignored), libvorbis and libopus trim alike
        assertEquals(ref.length / channels, d.frames(), file + " frames against the reference decoder");
        for (int c = 0; c < channels; c++) {
            double snr = Signals.alignedSnr(Signals.channel(ref, channels, c), d.channel(c), from, to, 0);
            System.out.printf("%s channel %d: %.1f dB against the reference decoder%n", file, c, snr);
            assertTrue(snr > minDb, file + " channel " + c + ": " + snr + " dB against the reference decoder");
        }
    }
}
