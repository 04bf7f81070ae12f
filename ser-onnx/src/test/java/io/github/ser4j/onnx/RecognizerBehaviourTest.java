package io.github.ser4j.onnx;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.PcmFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad audio, silence, batching and audio sources on a loaded model. */
class RecognizerBehaviourTest {
    static OnnxEmotionRecognizer mfcc;
    static OnnxEmotionRecognizer logmel;

    @BeforeAll
    static void load() {
        mfcc = OnnxEmotionRecognizer.load(Fixtures.card("torch_cnn_mfcc_nchw"));
        logmel = OnnxEmotionRecognizer.load(Fixtures.card("keras_cnn_logmel_nhwc"));
    }

    @AfterAll
    static void close() {
        mfcc.close();
        logmel.close();
    }

    private static float[] noise(int n, double rms, long seed) {
        Random r = new Random(seed);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (float) (rms * r.nextGaussian());
        }
        return y;
    }

    @Test
    void silenceIsNoSpeechNeverAConfidentEmotion() {
        for (float[] silent : List.of(new float[16000], noise(16000, 1e-4, 1) /* -80 dBFS */,
                noise(800, 0.002, 2) /* -54 dBFS */, new float[1])) {
            for (OnnxEmotionRecognizer ser : List.of(mfcc, logmel)) {
                long runs = ser.modelRuns();
                EmotionPrediction p = ser.recognize(silent, 16000);
                assertFalse(p.isSpeech());
                assertEquals(EmotionPrediction.NO_SPEECH, p.label());
                assertEquals(0f, p.confidence());
                assertEquals(runs, ser.modelRuns(), "the model is not run on silence");
            }
        }
        // just above the floor (-50 dBFS) in a single 25 ms frame: speech
        float[] y = new float[16000];
        float[] burst = noise(400, 0.01, 3); // -40 dBFS
        System.arraycopy(burst, 0, y, 8000, burst.length);
        assertTrue(logmel.recognize(y, 16000).isSpeech());
    }

    @Test
    void badSamplesAreIllegalArgumentsNamingTheSample() {
        float[] y = Fixtures.clip("vowel");
        y[123] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mfcc.recognize(y, 16000));
        assertTrue(e.getMessage().contains("sample 123") && e.getMessage().contains("NaN"), e.getMessage());
        y[123] = Float.POSITIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> mfcc.recognize(y, 16000));
        assertThrows(IllegalArgumentException.class, () -> mfcc.recognize(new float[0], 16000));
        assertThrows(IllegalArgumentException.class, () -> mfcc.recognize(Fixtures.clip("vowel"), 0));
        List<float[]> clips = List.of(Fixtures.clip("chirp"), y);
        e = assertThrows(IllegalArgumentException.class, () -> mfcc.recognizeAll(clips, 16000));
        assertTrue(e.getMessage().startsWith("clip 1: "), e.getMessage());
    }

    @Test
    void clipTooShortForTheFeaturesSaysHowManySamplesAreNeeded(@TempDir Path dir) {
        // 20 MFCC + deltas of width 9, hop 160: at least 8 * 160 = 1280 samples
        float[] shortClip = Arrays.copyOf(Fixtures.clip("vowel"), 1000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mfcc.recognize(shortClip, 16000));
        assertTrue(e.getMessage().contains("delta width 9") && e.getMessage().contains("1280 samples"),
                e.getMessage());
        // a fixed-length card pads instead: any length works
        assertTrue(logmel.recognize(Arrays.copyOf(Fixtures.clip("vowel"), 100), 16000).isSpeech());
        // center=false: a clip shorter than one frame
        Path card = Fixtures.copy("torch_conv1d_logits_ntc", dir, c -> {
            for (var f : c.get("features").get("stack")) {
                ((ObjectNode) f.get("params")).put("center", false);
            }
        });
        try (OnnxEmotionRecognizer ser = OnnxEmotionRecognizer.load(card)) {
            e = assertThrows(IllegalArgumentException.class, () -> ser.recognize(Arrays.copyOf(
                    Fixtures.clip("vowel"), 300), 16000));
            assertTrue(e.getMessage().contains("shorter than one frame") && e.getMessage().contains("512 samples"),
                    e.getMessage());
            assertTrue(ser.recognize(Arrays.copyOf(Fixtures.clip("vowel"), 512), 16000).isSpeech());
        }
    }

    @Test
    void callerArraysAreNotModified() {
        float[] y = Fixtures.clip("am_bursts");
        float[] copy = y.clone();
        mfcc.recognize(y, 16000); // peak normalisation inside must not touch the caller's array
        logmel.recognizeAll(List.of(y, y), 16000);
        assertArrayEquals(copy, y);
    }

    @Test
    void batchesOfEqualShapesRunOnceAndMatchSingleCalls() {
        List<float[]> clips = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            clips.add(Fixtures.clip(Fixtures.CLIPS.get(i % Fixtures.CLIPS.size())));
        }
        long runs = mfcc.modelRuns();
        List<EmotionPrediction> all = mfcc.recognizeAll(clips, 16000);
        long speech = clips.stream().filter(c -> mfcc.pipeline().apply(c, 16000).speech()).count();
        // all inputs are 1 x 60 x 50: ceil(speech / 64) runs
        assertEquals((speech + OnnxEmotionRecognizer.MAX_BATCH - 1) / OnnxEmotionRecognizer.MAX_BATCH,
                mfcc.modelRuns() - runs);
        for (int i = 0; i < Fixtures.CLIPS.size(); i++) {
            EmotionPrediction single = mfcc.recognize(clips.get(i), 16000);
            assertEquals(single.isSpeech(), all.get(i).isSpeech());
            assertArrayEquals(single.probabilities(), all.get(i).probabilities(), 1e-6f);
        }
        assertTrue(mfcc.recognizeAll(List.of(), 16000).isEmpty());
    }

    @Test
    void audioSourcesAreMixedDownAndResampled() {
        float[] mono = Arrays.copyOf(Fixtures.clip("chirp"), 16000); // within the card's 1 s window: one clip
        float[] stereo = new float[mono.length * 2];
        for (int i = 0; i < mono.length; i++) {
            stereo[2 * i] = mono[i];
            stereo[2 * i + 1] = mono[i];
        }
        EmotionPrediction direct = logmel.recognize(mono, 16000);
        EmotionPrediction fromSource = logmel.recognize(AudioSource.of(stereo, new PcmFormat(16000, 2)));
        assertArrayEquals(direct.probabilities(), fromSource.probabilities(), 0f);
        assertThrows(IllegalArgumentException.class, () -> logmel.recognize(AudioSource.of(new float[0], 16000)));
    }

    @Test
    void modelInfoComesFromTheCard() {
        assertEquals("torch_cnn_mfcc_nchw", mfcc.model().name());
        assertEquals(List.of("neutral", "happy", "sad", "angry", "fearful"), mfcc.labels());
        assertEquals(16000, mfcc.model().sampleRate());
        assertEquals(1.0, mfcc.model().windowSeconds());
        assertEquals(0.5, mfcc.model().hopSeconds());
        assertEquals("Apache-2.0", mfcc.model().license());
        EmotionPrediction p = mfcc.recognize(Fixtures.clip("chirp"), 16000);
        assertTrue(p.arousal().isPresent() && p.valence().isPresent(), "arousal_valence per label in the card");
    }
}
