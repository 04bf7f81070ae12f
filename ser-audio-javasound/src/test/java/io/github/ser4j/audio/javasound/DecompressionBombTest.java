package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioLimitException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.testing.FlacSilence;
import io.github.ser4j.dsp.signal.Resampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs that are small encoded and huge decoded: the {@code maxSamples} forms refuse them by decoded samples
 * (frames x channels), from the header when it declares a length and while decoding otherwise, with bounded memory
 * and time. The FLAC files are written at test time by {@link FlacSilence}.
 */
class DecompressionBombTest {
    /** 10 minutes of 48 kHz stereo. */
    static final long LIMIT = 600L * 48000 * 2;

    @TempDir
    Path dir;

    @Test
    void theSilenceWriterWritesFlacThatDecodesToExactlyItsFrames() throws IOException {
        Path f = FlacSilence.write(dir.resolve("s.flac"), 8000, 2, 10_000);
        assertEquals(10_000, JavaSoundAudio.probe(f).frameCount());
        try (AudioSource s = JavaSoundAudio.open(f)) {
            float[] all = TestAudio.readAll(s, 777);
            assertEquals(20_000, all.length);
            for (float v : all) {
                assertEquals(0f, v);
            }
        }
    }

    @Test
    void eightChannelsAt192kHzForTenMinutesIsRefusedFromItsHeader() throws IOException {
        Path bomb = FlacSilence.write(dir.resolve("bomb-8ch-192k-10min.flac"), 192_000, 8, 600L * 192_000);
        assertTrue(Files.size(bomb) < 1_000_000, "under 1 MB: " + Files.size(bomb));
        AudioLimitException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(
                AudioLimitException.class, () -> JavaSoundAudio.openMono(bomb, 16000, LIMIT)));
        assertTrue(e.getMessage().contains("bomb-8ch-192k-10min.flac") && e.getMessage().contains("115200000 frames")
                && e.getMessage().contains("8 channel") && e.getMessage().contains("921600000")
                && e.getMessage().contains(Long.toString(LIMIT)), e.getMessage());
    }

    @Test
    void thirtySixHoursOfMonoIsRefusedFromItsHeader() throws IOException {
        Path bomb = FlacSilence.write(dir.resolve("bomb-36h.flac"), 16_000, 1, 36L * 3600 * 16_000);
        AudioLimitException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(
                AudioLimitException.class, () -> JavaSoundAudio.openMono(bomb, 16000, LIMIT)));
        assertTrue(e.getMessage().contains("2073600000 frames"), e.getMessage());
    }

    @Test
    void aBombThatHidesItsLengthIsStoppedAtTheLimitWhileDecoding() throws IOException {
        Path bomb = FlacSilence.write(dir.resolve("bomb-no-total.flac"), 192_000, 8, 600L * 192_000, false);
        byte[] bytes = Files.readAllBytes(bomb);
        for (AudioSource s : new AudioSource[] {JavaSoundAudio.openMono(bomb, 16000, LIMIT),
                JavaSoundAudio.openMono(new ByteArrayInputStream(bytes), 16000, LIMIT)}) {
            long[] delivered = new long[1];
            AudioLimitException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(
                    AudioLimitException.class, () -> {
                        float[] buf = new float[4096];
                        int n;
                        while ((n = s.read(buf, 0, buf.length)) > 0) {
                            delivered[0] += n;
                        }
                    }));
            s.close();
            assertTrue(e.getMessage().contains("more than " + LIMIT / 8 + " frames"), e.getMessage());
            // at most the limit's worth of audio reached the caller, resampled to 16 kHz mono
            assertTrue(delivered[0] <= LIMIT / 8 / 12 + 1, "delivered " + delivered[0]);
        }
    }

    @Test
    void audioExactlyAtTheLimitIsReadWholeAndOneSampleLessRefuses() throws IOException {
        Path f = FlacSilence.write(dir.resolve("ten-s.flac"), 44_100, 2, 441_000);
        long exact = 441_000L * 2;
        try (AudioSource s = JavaSoundAudio.openMono(f, 16000, exact)) {
            assertEquals(Resampler.of(44_100, 16_000).outputLength(441_000), TestAudio.readAll(s, 1000).length);
        }
        assertThrows(AudioLimitException.class, () -> JavaSoundAudio.openMono(f, 16000, exact - 1));
        // a WAV states its length: refused at open; a stream of the same WAV is stopped while reading
        byte[] wav = Bytes.goodWav(16_000);
        assertThrows(AudioLimitException.class, () -> JavaSoundAudio.limit(JavaSoundAudio.open(wav), 15_999));
        try (AudioSource s = JavaSoundAudio.limit(JavaSoundAudio.open(new ByteArrayInputStream(wav)), 15_999)) {
            assertThrows(AudioLimitException.class, () -> TestAudio.readAll(s, 4096));
        }
        try (AudioSource s = JavaSoundAudio.limit(JavaSoundAudio.open(new ByteArrayInputStream(wav)), 16_000)) {
            assertEquals(16_000, TestAudio.readAll(s, 4096).length);
        }
    }
}
