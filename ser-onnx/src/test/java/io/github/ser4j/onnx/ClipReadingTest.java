package io.github.ser4j.onnx;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code recognize(AudioSource)} keeps only what the card uses: it resamples while reading, keeps the card's window
 * of a source of known length (so a source of 40 hours is recognised in the memory of 0.8 s), and gives the result
 * of the whole clip.
 */
class ClipReadingTest {
    /** offset 0.1 s, 0.8 s cropped at the centre, 16 kHz. */
    static OnnxEmotionRecognizer centre;
    /** 1 s cropped at the start. */
    static OnnxEmotionRecognizer start;

    @BeforeAll
    static void load() {
        centre = OnnxEmotionRecognizer.load(Fixtures.card("keras_mlp_mfcc_mean"));
        start = OnnxEmotionRecognizer.load(Fixtures.card("keras_cnn_logmel_nhwc"));
    }

    @AfterAll
    static void close() {
        centre.close();
        start.close();
    }

    /** A voiced, amplitude-modulated signal whose value depends only on the absolute index. */
    static float voice(long i, int rate) {
        double t = i / (double) rate;
        double env = 0.2 + 0.15 * Math.sin(2 * Math.PI * 0.7 * t);
        return (float) (env * (Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 360 * t + 1)
                + 0.25 * Math.sin(2 * Math.PI * 1230 * t)));
    }

    @Test
    void stereoAtAnotherRateGivesTheResultOfTheWholeMonoClip() {
        int rate = 44100;
        int frames = 5 * rate + 123;
        float[] stereo = new float[2 * frames];
        float[] mono = new float[frames];
        for (int i = 0; i < frames; i++) {
            stereo[2 * i] = voice(i, rate);
            stereo[2 * i + 1] = 0.5f * voice(i + 777, rate);
            mono[i] = (stereo[2 * i] + stereo[2 * i + 1]) / 2;
        }
        for (OnnxEmotionRecognizer ser : new OnnxEmotionRecognizer[] {centre, start}) {
            EmotionPrediction whole = ser.recognize(mono, rate); // batch resampling, crop on the whole clip
            EmotionPrediction read = ser.recognize(AudioSource.of(stereo, new PcmFormat(rate, 2)));
            assertTrue(whole.isSpeech());
            assertArrayEquals(whole.probabilities(), read.probabilities(), 1e-5f, ser.model().name());
        }
    }

    @Test
    void aFortyHourSourceIsRecognisedFromTheCentreWindowAlone() {
        int rate = 16000;
        long length = 40L * 3600 * rate; // 2.3 billion samples: more than any Java array holds
        long offset = rate / 10;
        long n = 12800;
        long windowStart = offset + (length - offset - n) / 2;
        long from = windowStart - offset; // the truth below is a clip whose offset lands on the window
        long to = windowStart + n;
        AudioSource source = new AudioSource() {
            long pos;

            @Override
            public PcmFormat format() {
                return PcmFormat.mono(rate);
            }

            @Override
            public long frameLength() {
                return length;
            }

            @Override
            public int read(float[] buffer, int off, int frames) {
                if (pos >= length) {
                    return -1;
                }
                int k = (int) Math.min(frames, length - pos);
                if (pos + k <= from || pos >= to) {
                    Arrays.fill(buffer, off, off + k, 0f);
                } else {
                    for (int i = 0; i < k; i++) {
                        long j = pos + i;
                        buffer[off + i] = j >= from && j < to ? voice(j, rate) : 0f;
                    }
                }
                pos += k;
                return k;
            }

            @Override
            public void close() {
            }
        };
        float[] truth = new float[(int) (to - from)];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = voice(from + i, rate);
        }
        EmotionPrediction expected = centre.recognize(truth, rate);
        EmotionPrediction got = centre.recognize(source);
        assertTrue(expected.isSpeech());
        assertArrayEquals(expected.probabilities(), got.probabilities(), 0f);
    }

    @Test
    void aSourceDeliveringOtherThanItsStatedLengthIsCorrupt() {
        AudioSource liar = new AudioSource() {
            boolean done;

            @Override
            public PcmFormat format() {
                return PcmFormat.mono(16000);
            }

            @Override
            public long frameLength() {
                return 32000;
            }

            @Override
            public int read(float[] buffer, int off, int frames) {
                if (done) {
                    return -1;
                }
                done = true;
                int k = Math.min(frames, 8000);
                for (int i = 0; i < k; i++) {
                    buffer[off + i] = voice(i, 16000);
                }
                return k;
            }

            @Override
            public void close() {
            }
        };
        CorruptAudioException e = assertThrows(CorruptAudioException.class, () -> centre.recognize(liar));
        assertTrue(e.getMessage().contains("8000") && e.getMessage().contains("32000"), e.getMessage());
    }

    @Test
    void nonFiniteSamplesAreTheSameErrorInClipsAndStreams() throws IOException {
        float[] y = new float[3 * 16000];
        for (int i = 0; i < y.length; i++) {
            y[i] = voice(i, 16000);
        }
        y[20000] = Float.NaN;
        CorruptAudioException clip = assertThrows(CorruptAudioException.class,
                () -> start.recognize(AudioSource.of(y, 16000)));
        assertTrue(clip.getMessage().contains("NaN") && clip.getMessage().contains("frame 20000"), clip.getMessage());
        y[20000] = Float.POSITIVE_INFINITY;
        try (SegmentStream s = start.stream(AudioSource.of(y, 16000), StreamOptions.builder().vadEnabled(false).build())) {
            CorruptAudioException stream = assertThrows(CorruptAudioException.class,
                    () -> s.forEachRemaining(seg -> { }));
            assertTrue(stream.getMessage().contains("Infinity") && stream.getMessage().contains("frame 20000"),
                    stream.getMessage());
        }
    }
}
