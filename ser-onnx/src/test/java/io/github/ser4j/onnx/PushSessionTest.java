package io.github.ser4j.onnx;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.PcmEncoding;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.RecognitionSession;
import io.github.ser4j.api.StreamOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The push session against the pull stream: fed the same audio in chunks of random sizes (splitting frames and
 * samples for bytes), it must give exactly the stream's segments; and feeding it allocates nothing.
 */
class PushSessionTest {
    static OnnxEmotionRecognizer ser;

    @BeforeAll
    static void load() {
        ser = OnnxEmotionRecognizer.load(Fixtures.card("keras_cnn_logmel_nhwc")); // 1 s windows, hop 0.5 s
    }

    @AfterAll
    static void close() {
        ser.close();
    }

    static final double[][] BURSTS = {{0.7, 2.4}, {3.1, 3.5}, {5.2, 7.9}};

    static List<EmotionSegment> pulled(float[] interleaved, PcmFormat format, StreamOptions options) {
        return StreamingTest.collect(ser.stream(AudioSource.of(interleaved, format), options));
    }

    static List<EmotionSegment> pushedFloats(float[] interleaved, PcmFormat format, StreamOptions options, long seed) {
        List<EmotionSegment> out = new ArrayList<>();
        Random r = new Random(seed);
        int ch = format.channels();
        try (RecognitionSession s = ser.session(format, PcmEncoding.F32LE, options, out::add)) {
            int at = 0;
            while (at < interleaved.length) {
                int frames = Math.min((interleaved.length - at) / ch, 1 + r.nextInt(r.nextBoolean() ? 200 : 9000));
                s.accept(interleaved, at, frames * ch);
                at += frames * ch;
            }
            s.finish();
            assertTrue(s.isEnded());
            assertEquals((double) interleaved.length / ch / format.sampleRate(), s.positionSeconds(), 1e-12);
        }
        return out;
    }

    static List<EmotionSegment> pushedBytes(byte[] pcm, PcmFormat format, PcmEncoding enc, StreamOptions options,
                                            long seed) {
        Random r = new Random(seed);
        try (RecognitionSession s = ser.session(format, enc, options)) { // poll mode
            List<EmotionSegment> out = new ArrayList<>();
            int at = 0;
            while (at < pcm.length) {
                int n = Math.min(pcm.length - at, 1 + r.nextInt(r.nextBoolean() ? 7 : 20000));
                s.accept(pcm, at, n);
                at += n;
                for (EmotionSegment g; (g = s.poll()) != null; ) {
                    out.add(g);
                }
            }
            s.finish();
            for (EmotionSegment g; (g = s.poll()) != null; ) {
                out.add(g);
            }
            return out;
        }
    }

    static float[] stereo(float[] mono, long seed) {
        Random r = new Random(seed);
        float[] y = new float[2 * mono.length];
        for (int i = 0; i < mono.length; i++) {
            y[2 * i] = mono[i];
            y[2 * i + 1] = 0.7f * mono[i] + (float) (1e-3 * r.nextGaussian());
        }
        return y;
    }

    @Test
    void floatsInRandomChunksGiveTheStreamsSegments() {
        float[] mono16 = StreamingTest.bursts(16000, 9.3, BURSTS);
        float[] mono44 = StreamingTest.bursts(44100, 9.3, BURSTS);
        StreamOptions defaults = StreamOptions.defaults();
        StreamOptions smoothNoVad = StreamOptions.builder().smoothing(3).vadEnabled(false).build();
        StreamOptions shortHop = StreamOptions.builder().windowSeconds(1.0).hopSeconds(0.25).smoothing(2).build();
        Object[][] cases = {
                {mono16, PcmFormat.mono(16000), defaults},
                {mono16, PcmFormat.mono(16000), smoothNoVad},
                {mono44, PcmFormat.mono(44100), shortHop},
                {stereo(mono44, 3), new PcmFormat(44100, 2), defaults},
                {stereo(StreamingTest.bursts(8000, 9.3, BURSTS), 4), new PcmFormat(8000, 2), smoothNoVad},
        };
        for (Object[] c : cases) {
            float[] y = (float[]) c[0];
            PcmFormat f = (PcmFormat) c[1];
            StreamOptions o = (StreamOptions) c[2];
            List<EmotionSegment> expected = pulled(y, f, o);
            assertTrue(expected.size() >= 3, "the case yields segments: " + expected.size());
            for (long seed = 1; seed <= 3; seed++) {
                assertEquals(expected, pushedFloats(y, f, o, seed), f + " seed " + seed);
            }
        }
    }

    @Test
    void bytesSplitAnywhereGiveTheStreamsSegmentsOfTheDecodedSamples() {
        // the truth for each encoding is computed here, independently of PcmEncoding
        float[] mono = StreamingTest.bursts(8000, 9.3, BURSTS);
        float[] st = stereo(mono, 5);
        ByteBuffer s16 = ByteBuffer.allocate(2 * st.length).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer f32 = ByteBuffer.allocate(4 * st.length).order(ByteOrder.LITTLE_ENDIAN);
        float[] s16Truth = new float[st.length];
        for (int i = 0; i < st.length; i++) {
            short q = (short) Math.max(-32768, Math.min(32767, Math.round(st[i] * 32768)));
            s16.putShort(q);
            s16Truth[i] = q / 32768f;
            f32.putFloat(st[i]);
        }
        PcmFormat f = new PcmFormat(8000, 2);
        StreamOptions o = StreamOptions.builder().hopSeconds(0.25).build();
        List<EmotionSegment> s16Expected = pulled(s16Truth, f, o);
        List<EmotionSegment> f32Expected = pulled(st, f, o);
        assertTrue(s16Expected.size() >= 3);
        for (long seed = 1; seed <= 3; seed++) {
            assertEquals(s16Expected, pushedBytes(s16.array(), f, PcmEncoding.S16LE, o, seed), "s16 seed " + seed);
            assertEquals(f32Expected, pushedBytes(f32.array(), f, PcmEncoding.F32LE, o, seed), "f32 seed " + seed);
        }
    }

    @Test
    void telephonyMuLawBytesGiveTheStreamsSegments() {
        float[] mono = StreamingTest.bursts(8000, 9.3, BURSTS);
        byte[] ulaw = new byte[mono.length];
        float[] truth = new float[mono.length];
        for (int i = 0; i < mono.length; i++) {
            ulaw[i] = PcmEncodingReference.linearToUlaw((int) Math.round(mono[i] * 32767));
            truth[i] = PcmEncodingReference.ulawToLinear(ulaw[i] & 0xFF) / 32768f;
        }
        List<EmotionSegment> expected = pulled(truth, PcmFormat.mono(8000), StreamOptions.defaults());
        assertTrue(expected.size() >= 3);
        assertEquals(expected, pushedBytes(ulaw, PcmFormat.mono(8000), PcmEncoding.ULAW, StreamOptions.defaults(), 9));
    }

    @Test
    void feedingAllocatesNothingInSteadyState() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        // 20 ms telephony packets of a quiet line: every window is gated out by the VAD, so only feeding is measured
        Random r = new Random(7);
        byte[] packet = new byte[160];
        float[] floats = new float[441 * 2];
        for (int i = 0; i < packet.length; i++) {
            packet[i] = PcmEncodingReference.linearToUlaw((int) Math.round(18 * r.nextGaussian()));
        }
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) (5e-4 * r.nextGaussian());
        }
        int[] windows = new int[1];
        try (RecognitionSession ulaw = ser.session(PcmFormat.mono(8000), PcmEncoding.ULAW, StreamOptions.defaults(),
                g -> windows[0]++);
             RecognitionSession f44 = ser.session(new PcmFormat(44100, 2), PcmEncoding.F32LE,
                     StreamOptions.defaults(), g -> windows[0]++)) {
            for (int i = 0; i < 5_000; i++) { // warm-up: buffers reach their size, the JIT compiles
                ulaw.accept(packet, 0, packet.length);
                f44.accept(floats, 0, floats.length);
            }
            long before = mx.getThreadAllocatedBytes(tid);
            long after0 = mx.getThreadAllocatedBytes(tid);
            long overhead = after0 - before;
            for (int i = 0; i < 20_000; i++) { // 400 s of audio per session, 800 hops of 0.5 s each
                ulaw.accept(packet, 0, 77);
                ulaw.accept(packet, 77, packet.length - 77);
                f44.accept(floats, 0, floats.length);
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - after0 - overhead;
            System.out.printf("push session: 60 000 accept calls (1 600 hops) allocated %d bytes%n", allocated);
            assertEquals(0, windows[0], "the quiet line is gated out");
            assertTrue(allocated < 1024, "60 000 accept calls over 1 600 hops allocated " + allocated + " bytes");
        }
    }

    @Test
    void lifecycleAndBadArguments() {
        RecognitionSession s = ser.session(new PcmFormat(16000, 2), PcmEncoding.S16LE, StreamOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> s.accept(new float[3], 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> s.accept(new byte[4], 2, 4));
        s.accept(new byte[6], 0, 6); // one frame and a half (4-byte frames): the half waits
        assertEquals(1 / 16000.0, s.positionSeconds(), 1e-12);
        s.finish();
        s.finish(); // idempotent
        assertTrue(s.isEnded());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.accept(new float[2], 0, 2));
        assertTrue(e.getMessage().contains("finished"), e.getMessage());
        assertNull(s.poll());
        s.close();
        s.close();
        assertTrue(assertThrows(IllegalStateException.class, () -> s.accept(new byte[2], 0, 2)).getMessage()
                .contains("closed"));
        try (OnnxEmotionRecognizer other = OnnxEmotionRecognizer.load(Fixtures.card("keras_cnn_logmel_nhwc"))) {
            other.close();
            assertThrows(IllegalStateException.class,
                    () -> other.session(PcmFormat.mono(8000), PcmEncoding.ULAW, StreamOptions.defaults()));
        }
    }

    @Test
    void silenceStopEndsTheSession() {
        float[] y = StreamingTest.bursts(16000, 8.0, new double[][]{{0.5, 2.0}});
        StreamOptions o = StreamOptions.builder().silenceStopSeconds(1.5).build();
        List<EmotionSegment> got = new ArrayList<>();
        try (RecognitionSession s = ser.session(PcmFormat.mono(16000), PcmEncoding.F32LE, o, got::add)) {
            int at = 0;
            while (at < y.length && !s.isEnded()) {
                s.accept(y, at, 320);
                at += 320;
            }
            assertTrue(s.isEnded(), "stopped by silence");
            double stoppedAt = at / 16000.0;
            assertTrue(stoppedAt > 3.4 && stoppedAt < 4.2, "stopped at " + stoppedAt + " s");
            s.accept(y, 0, 320); // ignored, not an error
            assertEquals(stoppedAt, s.positionSeconds(), 1e-9);
            s.finish();
        }
        assertFalse(got.isEmpty());
        assertTrue(got.stream().allMatch(g -> g.startSeconds() < 2.5), got.toString());
    }
}
