package io.github.ser4j.dsp.signal;

import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.PcmFormat;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AudioSourcesTest {

    @Test
    void monoAtEqualsBatchDownmixThenResample() throws IOException {
        Random rnd = new Random(7);
        for (int[] c : new int[][]{{44100, 16000, 2}, {48000, 16000, 6}, {8000, 16000, 3}, {16000, 16000, 2},
                {22050, 16000, 1}, {8000, 192000, 2}}) {
            int rate = c[0];
            int target = c[1];
            int channels = c[2];
            float[] interleaved = multichannel(rnd, 30_011, channels, rate);
            float[] expected = Resampler.resample(Signals.toMono(interleaved, channels), rate, target);

            ChunkySource src = new ChunkySource(interleaved, new PcmFormat(rate, channels), rnd, false);
            AudioSource mono = AudioSources.monoAt(src, target);
            assertEquals(PcmFormat.mono(target), mono.format());
            assertEquals(expected.length, mono.frameLength());
            float[] got = readAll(mono, rnd);
            assertArrayEquals(expected, got, Arrays.toString(c));
            mono.close();
            assertTrue(src.closed, "closing the wrapper closes the source");

            float[] all = AudioSources.readAllMono(new ChunkySource(interleaved, new PcmFormat(rate, channels), rnd,
                    true), target, expected.length);
            assertArrayEquals(expected, all, "readAllMono " + Arrays.toString(c));
        }
    }

    @Test
    void resampleKeepsChannelsAligned() throws IOException {
        Random rnd = new Random(11);
        int n = 9000;
        float[] interleaved = multichannel(rnd, n, 2, 44100);
        float[][] split = new float[2][n];
        for (int i = 0; i < n; i++) {
            split[0][i] = interleaved[2 * i];
            split[1][i] = interleaved[2 * i + 1];
        }
        float[] left = Resampler.resample(split[0], 44100, 16000);
        float[] right = Resampler.resample(split[1], 44100, 16000);
        AudioSource r = AudioSources.resample(AudioSource.of(interleaved, new PcmFormat(44100, 2)), 16000);
        assertEquals(new PcmFormat(16000, 2), r.format());
        float[] got = new float[2 * (left.length + 1000)];
        int frames = 0;
        for (int k; (k = r.read(got, 2 * frames, 777)) > 0; ) {
            frames += k;
        }
        assertEquals(-1, r.read(new float[2], 0, 1), "stays at the end");
        assertEquals(left.length, frames);
        for (int i = 0; i < frames; i++) {
            assertEquals(left[i], got[2 * i], 0f);
            assertEquals(right[i], got[2 * i + 1], 0f);
        }
    }

    @Test
    void passThroughWhenAlreadyRight() {
        AudioSource mono16 = AudioSource.of(new float[10], 16000);
        assertSame(mono16, AudioSources.monoAt(mono16, 16000));
        assertSame(mono16, AudioSources.toMono(mono16));
        assertSame(mono16, AudioSources.resample(mono16, 16000));
    }

    @Test
    void readAllMonoRefusesTooLongAudio() {
        float[] y = new float[16000];
        AudioException known = assertThrows(AudioException.class,
                () -> AudioSources.readAllMono(AudioSource.of(y, 16000), 16000, 15999));
        assertTrue(known.getMessage().contains("maxFrames=15999"), known.getMessage());
        // a source that does not know its length is stopped when it goes past the limit
        ChunkySource unknown = new ChunkySource(new float[48000 * 2], new PcmFormat(48000, 2), new Random(1), true);
        assertThrows(AudioException.class, () -> AudioSources.readAllMono(unknown, 16000, 15000));
        assertEquals(16000, AudioSources.readAllMono(new ChunkySource(new float[48000 * 2], new PcmFormat(48000, 2),
                new Random(1), true), 16000, 16000).length);
        assertEquals(0, AudioSources.readAllMono(AudioSource.of(new float[0], 16000), 16000, 0).length);
        assertThrows(IllegalArgumentException.class,
                () -> AudioSources.readAllMono(AudioSource.of(y, 16000), 16000, -1));
    }

    @Test
    void nonFiniteSamplesAreCorruptAudio() {
        float[] y = new float[3000];
        y[2001] = Float.NaN;
        CorruptAudioException e = assertThrows(CorruptAudioException.class,
                () -> AudioSources.readAllMono(AudioSource.of(y, new PcmFormat(44100, 3)), 16000, 100_000));
        assertTrue(e.getMessage().contains("frame 667"), e.getMessage());
    }

    @Test
    void ioFailuresAreWrapped() {
        AudioSource failing = new AudioSource() {
            @Override
            public PcmFormat format() {
                return PcmFormat.mono(44100);
            }

            @Override
            public int read(float[] buffer, int offset, int frames) throws IOException {
                throw new IOException("disk on fire");
            }

            @Override
            public void close() {
            }
        };
        AudioException e = assertThrows(AudioException.class,
                () -> AudioSources.readAllMono(failing, 16000, 1000));
        assertTrue(e.getCause() instanceof IOException);
    }

    @Test
    void readArgumentsAreChecked() {
        AudioSource mono = AudioSources.monoAt(AudioSource.of(new float[200], new PcmFormat(44100, 2)), 16000);
        assertThrows(IllegalArgumentException.class, () -> mono.read(new float[10], 0, 0));
        assertThrows(IllegalArgumentException.class, () -> mono.read(new float[10], 5, 6));
        assertThrows(IllegalArgumentException.class, () -> AudioSources.monoAt(AudioSource.of(new float[10],
                768000), 100));
    }

    private static float[] readAll(AudioSource src, Random rnd) throws IOException {
        float[] out = new float[1 << 16];
        int n = 0;
        while (true) {
            int want = 1 + rnd.nextInt(rnd.nextBoolean() ? 5 : 3000);
            if (n + want > out.length) {
                out = Arrays.copyOf(out, 2 * (n + want));
            }
            int r = src.read(out, n, want);
            if (r < 0) {
                return Arrays.copyOf(out, n);
            }
            assertTrue(r >= 1 && r <= want);
            n += r;
        }
    }

    /** Channels of different tones plus noise, faded in. */
    private static float[] multichannel(Random rnd, int frames, int channels, int rate) {
        float[] y = new float[frames * channels];
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) {
                double f = 200 + 300 * c;
                y[i * channels + c] = (float) (0.3 * Math.sin(2 * Math.PI * f * i / rate + c)
                        + 0.05 * rnd.nextGaussian());
            }
        }
        return y;
    }

    /** Delivers frames in random-sized reads (1 to 5000 frames), like a decoder or a device would. */
    private static final class ChunkySource implements AudioSource {
        private final float[] samples;
        private final PcmFormat format;
        private final Random rnd;
        private final boolean unknownLength;
        private int pos;
        boolean closed;

        ChunkySource(float[] samples, PcmFormat format, Random rnd, boolean unknownLength) {
            this.samples = samples;
            this.format = format;
            this.rnd = new Random(rnd.nextLong());
            this.unknownLength = unknownLength;
        }

        @Override
        public PcmFormat format() {
            return format;
        }

        @Override
        public int read(float[] buffer, int offset, int frames) {
            int ch = format.channels();
            int left = (samples.length - pos) / ch;
            if (left == 0) {
                return -1;
            }
            int n = Math.min(Math.min(frames, left), 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 5000));
            System.arraycopy(samples, pos, buffer, offset, n * ch);
            pos += n * ch;
            return n;
        }

        @Override
        public long frameLength() {
            return unknownLength ? -1 : samples.length / format.channels();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
