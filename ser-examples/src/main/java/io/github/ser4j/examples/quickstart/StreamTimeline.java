package io.github.ser4j.examples.quickstart;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.StreamOptions;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Quickstart: a timeline, one line per speech segment as soon as its window is complete, from a file or, without an
 * argument, from the default microphone until Ctrl-C.
 *
 * <pre>
 * java -cp ser-examples/target/ser.jar io.github.ser4j.examples.quickstart.StreamTimeline ser-examples/samples/conversation.wav
 * java -cp ser-examples/target/ser.jar io.github.ser4j.examples.quickstart.StreamTimeline
 * </pre>
 */
public final class StreamTimeline {
    private StreamTimeline() {
    }

    public static void main(String[] args) throws Exception {
        try (EmotionRecognizer ser = EmotionRecognizer.create();
             AudioSource audio = args.length > 0
                     ? AudioSource.open(Path.of(args[0]))
                     : AudioSource.microphone(null, ser.model().sampleRate())) {
            // VAD-gated windows: silence is skipped, long speech is cut into windows of the card's length
            ser.stream(audio, StreamOptions.defaults(), s -> System.out.printf(Locale.ROOT, "%7.2f %7.2f %-10s %.3f%n",
                    s.startSeconds(), s.endSeconds(), s.prediction().label(), s.prediction().confidence()));
        }
    }
}
