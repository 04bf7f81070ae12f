package io.github.ser4j.audio.codecs;

import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.UnsupportedAudioException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ffmpeg provider: real decoding where ffmpeg is installed, and its failure modes with stand-in executables. */
class FfmpegProviderTest {
    static final Path M4A = FixtureDecodeTest.DIR.resolve("aac_mono_16k.m4a");

    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        System.clearProperty("ser4j.ffmpeg");
        System.clearProperty("ser4j.ffmpeg.timeoutSeconds");
    }

    static void requireFfmpeg() {
        Assumptions.assumeTrue(Signals.onPath("ffmpeg"), "ffmpeg is not installed: decoding through it is not tested "
                + "(apt-get install ffmpeg)");
    }

    @Test
    void m4aIsDecodedThroughFfmpeg() throws Exception {
        requireFfmpeg();
        long before = leftoverTempFiles();
        Signals.Decoded d = Signals.decode(AudioSource.open(M4A));
        assertEquals(16000, d.rate());
        assertEquals(1, d.channels());
        double seconds = d.frames() / 16000.0;
        assertTrue(seconds > 0.79 && seconds < 0.85, seconds + " s");
        float[] y = d.channel(0);
        assertEquals(440, Signals.peakFrequency(y, 3200, 8000, 16000, 400, 480), 1.0);
        assertEquals(0.5 / Math.sqrt(2), Signals.rms(y, 3200, 8000), 0.025);
        assertEquals(before, leftoverTempFiles(), "the temporary copy is deleted");
    }

    @Test
    void webmMadeAtTestTimeIsDecoded() throws Exception {
        requireFfmpeg();
        Path webm = dir.resolve("tone.webm");
        Signals.run(Signals.list("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "aevalsrc=0.5*sin(2*PI*300*t)|0.5*sin(2*PI*500*t):s=48000:d=1", "-c:a", "libopus", "-b:a", "64k",
                webm.toString()));
        Signals.Decoded d = Signals.decode(AudioSource.open(Files.newInputStream(webm)));
        assertEquals(48000, d.rate());
        assertEquals(2, d.channels());
        assertEquals(300, Signals.peakFrequency(d.channel(0), 9600, 24000, 48000, 250, 350), 1.0);
        assertEquals(500, Signals.peakFrequency(d.channel(1), 9600, 24000, 48000, 450, 550), 1.0);
    }

    @Test
    void withoutFfmpegTheErrorSaysWhatToInstall() {
        System.setProperty("ser4j.ffmpeg", dir.resolve("no-such-ffmpeg").toString());
        UnsupportedAudioException e = assertThrows(UnsupportedAudioException.class, () -> AudioSource.open(M4A));
        String m = e.getMessage();
        assertTrue(m.contains(M4A.toString()) && m.contains("MP4/M4A") && m.contains("install ffmpeg"), m);
    }

    @Test
    void aStalledFfmpegIsKilledAfterTheTimeout() throws Exception {
        Path fake = script("exec sleep 60");
        System.setProperty("ser4j.ffmpeg", fake.toString());
        System.setProperty("ser4j.ffmpeg.timeoutSeconds", "1");
        long t0 = System.nanoTime();
        AudioException e = assertThrows(AudioException.class, () -> AudioSource.open(M4A));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(e.getMessage().contains("killed") && e.getMessage().contains(M4A.toString()), e.getMessage());
        assertTrue(seconds < 10, "gave up after " + seconds + " s");
    }

    @Test
    void ffmpegsOwnErrorIsReportedInOneLine() throws Exception {
        Path fake = script("echo 'pipe:1: Invalid data found when processing input' >&2\necho second line >&2\nexit 1");
        System.setProperty("ser4j.ffmpeg", fake.toString());
        CorruptAudioException e = assertThrows(CorruptAudioException.class, () -> AudioSource.open(M4A));
        assertTrue(e.getMessage().contains("Invalid data found") && !e.getMessage().contains("second line")
                && e.getMessage().contains("exit 1"), e.getMessage());
    }

    @Test
    void ffmpegGetsAnArgumentListWithOnlyTheFileProtocolAndTheSniffedDemuxer() throws Exception {
        Path args = dir.resolve("args.txt");
        Path fake = script("for a in \"$@\"; do printf '%s\\n' \"$a\" >> '" + args + "'; done\nexit 1");
        System.setProperty("ser4j.ffmpeg", fake.toString());
        assertThrows(CorruptAudioException.class, () -> AudioSource.open(M4A));
        List<String> a = Files.readAllLines(args);
        int input = a.indexOf("-i");
        assertTrue(input > 0, a.toString());
        assertEquals("file", a.get(a.indexOf("-protocol_whitelist") + 1), a.toString());
        assertTrue(a.indexOf("-protocol_whitelist") < input, a.toString());
        assertEquals("mov", a.get(a.indexOf("-f") + 1), "the demuxer of the recognised container: " + a);
        assertTrue(a.contains("-nostdin"), a.toString());
        // the input is a private copy, not the caller's path, and is gone after the failure
        assertTrue(a.get(input + 1).contains("ser4j-ffmpeg-"), a.toString());
        assertTrue(Files.notExists(Path.of(a.get(input + 1))), "the temporary copy is deleted");
    }

    private Path script(String body) throws IOException {
        Path p = dir.resolve("fake-ffmpeg");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static long leftoverTempFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("ser4j-ffmpeg-")).count();
        }
    }
}
