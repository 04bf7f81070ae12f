package io.github.ser4j.examples.quickstart;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.PcmEncoding;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.RecognitionSession;
import io.github.ser4j.api.StreamOptions;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Quickstart: push-style recognition of raw PCM that arrives in buffers of whatever size the transport delivers (a
 * WebSocket, a telephony stack, a recorder callback). It reads raw PCM from standard input in chunks of random sizes
 * and prints one line per segment as soon as its window is complete:
 *
 * <pre>
 * ffmpeg -i call.mp3 -f s16le -ac 1 -ar 16000 - | java -cp ser.jar io.github.ser4j.examples.quickstart.PushQuickstart 16000
 * java -cp ser.jar io.github.ser4j.examples.quickstart.PushQuickstart 8000 1 ULAW &lt; call.ulaw
 * </pre>
 *
 * Arguments: sample rate (default 16000), channels (1), encoding ({@code S16LE}, {@code ULAW}, {@code ALAW},
 * {@code F32LE}).
 */
public final class PushQuickstart {
    private PushQuickstart() {
    }

    public static void main(String[] args) throws IOException {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 16000;
        int channels = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        PcmEncoding encoding = args.length > 2 ? PcmEncoding.valueOf(args[2].toUpperCase(Locale.ROOT))
                : PcmEncoding.S16LE;
        try (EmotionRecognizer ser = EmotionRecognizer.create()) {
            feed(ser, System.in, new PcmFormat(rate, channels), encoding, new Random(),
                    s -> System.out.printf(Locale.ROOT, "%7.2f %7.2f %-10s %.3f%n", s.startSeconds(),
                            s.endSeconds(), s.prediction().label(), s.prediction().confidence()));
        }
    }

    /**
     * Feeds a byte stream to a push session in chunks of random sizes (1 to 8192 bytes, cutting through samples and
     * frames as a network would), then finishes it.
     *
     * @param ser        the recogniser
     * @param pcm        raw PCM bytes
     * @param format     their sample rate and channel count
     * @param encoding   their encoding
     * @param chunkSizes where the chunk sizes come from
     * @param segments   receives the segments, on this thread, as their windows complete
     * @throws IOException if reading {@code pcm} fails
     */
    public static void feed(EmotionRecognizer ser, InputStream pcm, PcmFormat format, PcmEncoding encoding,
                            Random chunkSizes, Consumer<EmotionSegment> segments) throws IOException {
        byte[] buffer = new byte[8192];
        try (RecognitionSession session = ser.session(format, encoding, StreamOptions.defaults(), segments)) {
            int n;
            while ((n = pcm.read(buffer, 0, 1 + chunkSizes.nextInt(buffer.length))) > 0) {
                session.accept(buffer, 0, n);
            }
            session.finish();
        }
    }
}
