package io.github.ser4j.examples.quickstart;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.BackendNotFoundException;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.PcmEncoding;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.StreamOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the push quickstart on the PCM of a sample clip, cut into random chunks, and checks its segments against the
 * pull-style stream of the same file through the audio backend.
 */
class PushQuickstartTest {
    private static final Path CLIP = Path.of("samples/conversation.wav");

    /** The bytes of the 'data' chunk, found by walking the RIFF chunks here (16 kHz mono 16-bit, checked). */
    static byte[] pcmOf(Path wav) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        int at = 12;
        while (at + 8 <= b.limit()) {
            String id = new String(b.array(), at, 4, StandardCharsets.US_ASCII);
            int size = b.getInt(at + 4);
            if (id.equals("fmt ")) {
                assertEquals(1, b.getShort(at + 8), "PCM");
                assertEquals(1, b.getShort(at + 10), "mono");
                assertEquals(16000, b.getInt(at + 12), "16 kHz");
                assertEquals(16, b.getShort(at + 22), "16 bits");
            }
            if (id.equals("data")) {
                return Arrays.copyOfRange(b.array(), at + 8, at + 8 + size);
            }
            at += 8 + size + (size & 1);
        }
        throw new AssertionError("no data chunk in " + wav);
    }

    @Test
    void quickstartGivesTheFilesStreamedSegments() throws Exception {
        EmotionRecognizer ser;
        try {
            ser = EmotionRecognizer.create();
        } catch (BackendNotFoundException e) {
            Assumptions.abort("no default model on the class path: " + e.getMessage());
            return;
        }
        Assumptions.assumeFalse(AudioSource.backend().name().startsWith("fake"), "ser-audio-javasound is absent");
        try (ser) {
            List<EmotionSegment> expected = new ArrayList<>();
            ser.stream(AudioSource.open(CLIP), StreamOptions.defaults(), expected::add);
            assertTrue(expected.size() >= 3, "the clip has speech segments: " + expected);
            byte[] pcm = pcmOf(CLIP);
            for (long seed = 1; seed <= 3; seed++) {
                List<EmotionSegment> got = new ArrayList<>();
                PushQuickstart.feed(ser, new ByteArrayInputStream(pcm), PcmFormat.mono(16000), PcmEncoding.S16LE,
                        new Random(seed), got::add);
                assertEquals(expected, got, "seed " + seed);
            }
        }
    }

    @Test
    void mainPrintsOneLinePerSegment() throws Exception {
        try (EmotionRecognizer probe = EmotionRecognizer.create()) {
            Assumptions.assumeTrue(probe != null);
        } catch (BackendNotFoundException e) {
            Assumptions.abort("no default model on the class path: " + e.getMessage());
        }
        List<EmotionSegment> expected = new ArrayList<>();
        try (EmotionRecognizer ser = EmotionRecognizer.create()) {
            PushQuickstart.feed(ser, new ByteArrayInputStream(pcmOf(CLIP)), PcmFormat.mono(16000),
                    PcmEncoding.S16LE, new Random(1), expected::add);
        }
        InputStream in = System.in;
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(pcmOf(CLIP)));
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            PushQuickstart.main(new String[]{"16000", "1", "s16le"});
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
        String[] lines = printed.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(expected.size(), lines.length, String.join("\n", lines));
        for (int i = 0; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            assertEquals(expected.get(i).startSeconds(), Double.parseDouble(f[0]), 0.005);
            assertEquals(expected.get(i).prediction().label(), f[2]);
        }
    }
}
