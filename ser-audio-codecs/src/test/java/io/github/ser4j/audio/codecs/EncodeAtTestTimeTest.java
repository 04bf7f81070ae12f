package io.github.ser4j.audio.codecs;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.testing.Wav;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Speech (espeak-ng; a synthetic vowel where it is not installed) encoded at test time by the formats' own encoders
 * (lame, oggenc, opusenc), decoded here, and compared with the format's reference decoder and with the original.
 * Skipped, with the reason, where an encoder is missing (CI installs them: {@code .ci/run}).
 */
class EncodeAtTestTimeTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // encoder, file, min dB vs the reference decoder, min dB vs the original
            "lame,    speech.mp3,  40, 8",
            "oggenc,  speech.ogg,  70, 8",
            "opusenc, speech.opus, 55, 5",
    })
    void encodedSpeechDecodesAsTheReferenceDecoderDecodesIt(String encoder, String file, double minVsRef,
                                                           double minVsOriginal) throws Exception {
        Assumptions.assumeTrue(Signals.onPath(encoder), encoder + " is not installed: encoding at test time is "
                + "skipped (apt-get install lame vorbis-tools opus-tools); the committed fixtures are still tested");
        Path wav = dir.resolve("speech.wav");
        if (Signals.onPath("espeak-ng")) {
            Signals.run(List.of("espeak-ng", "-v", "en", "-s", "150", "-w", wav.toString(),
                    "The quick brown fox jumps over the lazy dog, twice."));
        } else {
            Wav.write(wav, Signals.vowel(16000, 2.5), 16000, 1);
        }
        Path encoded = dir.resolve(file);
        Signals.run(switch (encoder) {
            case "lame" -> List.of("lame", "--quiet", "-b", "64", wav.toString(), encoded.toString());
            case "oggenc" -> List.of("oggenc", "--quiet", "-q", "3", "-o", encoded.toString(), wav.toString());
            default -> List.of("opusenc", "--quiet", "--bitrate", "32", wav.toString(), encoded.toString());
        });
        float[] original = Signals.wavSamples(Files.readAllBytes(wav));
        int originalRate = java.nio.ByteBuffer.wrap(Files.readAllBytes(wav)).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt(24);
        Signals.Decoded d = Signals.decode(AudioSource.open(encoded));
        assertEquals(1, d.channels());
        int rate = d.rate();
        assertEquals(encoder.equals("opusenc") ? 48000 : originalRate, rate);
        float[] ours = d.channel(0);
        float[] ref = Signals.referenceDecode(encoded, rate, 1);
        Assumptions.assumeTrue(ref != null, "no reference decoder for " + file);
        int from = rate / 10;
        int to = Math.min(ref.length, ours.length) - rate / 10;
        assertEquals(ref.length, ours.length, file + ": samples against the reference decoder");
        double vsRef = Signals.alignedSnr(ref, ours, from, to, 0);
        System.out.printf("%s: %.1f dB against the reference decoder%n", file, vsRef);
        assertTrue(vsRef > minVsRef, file + ": " + vsRef + " dB against the reference decoder");
        if (rate == originalRate) {
            int end = Math.min(original.length, ours.length) - 3000;
            double vsOriginal = Signals.alignedSnr(original, ours, 3000, end, 0);
            System.out.printf("%s: %.1f dB against the original%n", file, vsOriginal);
            assertTrue(vsOriginal > minVsOriginal, file + ": " + vsOriginal + " dB against the original");
        }
    }
}
