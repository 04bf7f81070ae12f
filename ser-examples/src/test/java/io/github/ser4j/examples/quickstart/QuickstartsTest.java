package io.github.ser4j.examples.quickstart;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs each quickstart's {@code main} on a committed sample and checks what it prints against the library's own
 * answer for the same clip. The default model and ser-audio-javasound are dependencies of this module, so nothing
 * here is skipped.
 */
class QuickstartsTest {
    private static final Path HELLO = Path.of("samples/hello.wav");
    private static final Path CONVERSATION = Path.of("samples/conversation.wav");

    interface Main {
        void run() throws Exception;
    }

    /** Runs {@code main} with standard output captured; returns its lines. */
    static List<String> printed(Main main) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            main.run();
        } finally {
            System.setOut(out);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void recognizeFilePrintsTheLabelThenEveryProbability() throws Exception {
        EmotionPrediction expected;
        try (EmotionRecognizer ser = EmotionRecognizer.create()) {
            expected = ser.recognize(HELLO);
        }
        List<String> lines = printed(() -> RecognizeFile.main(new String[] {HELLO.toString()}));
        assertTrue(expected.isSpeech(), "the sample is speech");
        assertEquals(String.format(Locale.ROOT, "%s %.3f", expected.label(), expected.confidence()), lines.get(0));
        assertEquals(1 + expected.labels().size(), lines.size(), String.join("\n", lines));
        for (int i = 0; i < expected.labels().size(); i++) {
            String[] f = lines.get(1 + i).trim().split("\\s+");
            assertEquals(expected.labels().get(i), f[0]);
            assertEquals(expected.probabilities()[i], Double.parseDouble(f[1]), 0.0005);
        }
    }

    @Test
    void streamTimelinePrintsOneLinePerSegment() throws Exception {
        List<EmotionSegment> expected;
        try (EmotionRecognizer ser = EmotionRecognizer.create(); AudioSource audio = AudioSource.open(CONVERSATION)) {
            expected = ser.timeline(audio);
        }
        assertTrue(expected.size() >= 3, "the sample has several segments: " + expected);
        List<String> lines = printed(() -> StreamTimeline.main(new String[] {CONVERSATION.toString()}));
        assertEquals(expected.size(), lines.size(), String.join("\n", lines));
        for (int i = 0; i < lines.size(); i++) {
            EmotionSegment s = expected.get(i);
            assertEquals(String.format(Locale.ROOT, "%7.2f %7.2f %-10s %.3f", s.startSeconds(), s.endSeconds(),
                    s.prediction().label(), s.prediction().confidence()), lines.get(i));
        }
    }

    @Test
    void bringYourOwnModelLoadsACardFromADirectory(@TempDir Path dir) throws Exception {
        // the default model's ensemble card, member cards and weights, copied out of their jar: a folder of cards
        // and models loads so
        for (String name : List.of("card.json", "cnn.card.json", "cnn.onnx", "cnn2.card.json", "cnn2.onnx",
                "functionals-adapted.card.json", "functionals-adapted.onnx")) {
            try (InputStream in = QuickstartsTest.class.getResourceAsStream(
                    "/io/github/ser4j/defaultmodel/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        EmotionPrediction expected;
        try (EmotionRecognizer ser = EmotionRecognizer.create()) {
            expected = ser.recognize(HELLO);
        }
        Path card = dir.resolve("card.json");
        List<String> lines = printed(() -> BringYourOwnModel.main(new String[] {card.toString(), HELLO.toString()}));
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("ser4j-default "), lines.get(0));
        assertTrue(lines.get(0).endsWith(" at 16000 Hz, 3.0 s windows"), lines.get(0));
        assertEquals(String.format(Locale.ROOT, "%s %.3f", expected.label(), expected.confidence()), lines.get(1));
    }
}
