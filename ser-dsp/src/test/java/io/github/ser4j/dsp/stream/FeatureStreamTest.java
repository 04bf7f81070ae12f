package io.github.ser4j.dsp.stream;

import io.github.ser4j.api.FeatureExtractor;
import io.github.ser4j.api.FeatureMatrix;
import io.github.ser4j.dsp.feature.ChromaStft;
import io.github.ser4j.dsp.feature.MelSpectrogram;
import io.github.ser4j.dsp.feature.Mfcc;
import io.github.ser4j.dsp.feature.Rms;
import io.github.ser4j.dsp.feature.SpectralBandwidth;
import io.github.ser4j.dsp.feature.SpectralCentroid;
import io.github.ser4j.dsp.feature.SpectralRolloff;
import io.github.ser4j.dsp.feature.ZeroCrossingRate;
import io.github.ser4j.dsp.golden.Golden;
import io.github.ser4j.dsp.spectral.PadMode;
import io.github.ser4j.dsp.spectral.PowerToDb;
import io.github.ser4j.dsp.spectral.Stft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streaming gives exactly the batch frames for any chunking, and allocates nothing per frame. */
class FeatureStreamTest {

    /** A batch extractor and the equivalent stream. */
    record Subject(String label, FeatureExtractor batch, Supplier<FeatureStream> stream) {
        @Override
        public String toString() {
            return label;
        }
    }

    static List<Subject> subjects() {
        List<Subject> s = new ArrayList<>();
        for (PadMode mode : new PadMode[] {PadMode.CONSTANT, PadMode.REFLECT}) {
            for (boolean center : new boolean[] {true, false}) {
                String tag = mode.librosaName() + (center ? "/center" : "/no-center");
                Mfcc mfcc = Mfcc.builder().sr(16000).nFft(512).hopLength(160).nMels(64).nMfcc(40).topDb(null)
                        .center(center).padMode(mode).build();
                s.add(new Subject("mfcc 512/160 " + tag, mfcc, mfcc::newStream));
                MelSpectrogram mel = MelSpectrogram.builder().sr(16000).nFft(400).hopLength(160).nMels(40)
                        .center(center).padMode(mode).build();
                s.add(new Subject("mel 400/160 " + tag, mel, mel::newStream));
                Rms rms = Rms.builder().frameLength(256).hopLength(100).center(center).padMode(mode).build();
                s.add(new Subject("rms 256/100 " + tag, rms, rms::newStream));
            }
        }
        // librosa.stft's separately padded tail with reflect and a hop of at least half a frame
        MelSpectrogram quirk = MelSpectrogram.builder().sr(16000).nFft(16).hopLength(10).nMels(4)
                .padMode(PadMode.REFLECT).build();
        s.add(new Subject("mel 16/10 reflect (tail piece)", quirk, quirk::newStream));
        MelSpectrogram skip = MelSpectrogram.builder().sr(16000).nFft(64).hopLength(150).nMels(8).build();
        s.add(new Subject("mel 64/150 (hop > n_fft)", skip, skip::newStream));
        MelSpectrogram odd = MelSpectrogram.builder().sr(16000).nFft(1001).hopLength(333).nMels(32)
                .padMode(PadMode.REFLECT).decibels(PowerToDb.builder().ref(2.0).topDb(null).build()).build();
        s.add(new Subject("mel dB 1001/333 reflect", odd, odd::newStream));
        Mfcc lifter = Mfcc.builder().sr(22050).topDb(null).lifter(22).build();
        s.add(new Subject("mfcc librosa defaults + lifter", lifter, lifter::newStream));
        ZeroCrossingRate zcr = ZeroCrossingRate.builder().frameLength(512).hopLength(160).build();
        s.add(new Subject("zcr 512/160", zcr, zcr::newStream));
        ZeroCrossingRate zcrNc = ZeroCrossingRate.builder().frameLength(300).hopLength(301).center(false).build();
        s.add(new Subject("zcr 300/301 no-center", zcrNc, zcrNc::newStream));
        SpectralCentroid centroid = SpectralCentroid.builder().sr(16000).nFft(512).hopLength(160).build();
        s.add(new Subject("centroid", centroid, centroid::newStream));
        SpectralBandwidth bandwidth = SpectralBandwidth.builder().sr(16000).nFft(512).hopLength(160).build();
        s.add(new Subject("bandwidth", bandwidth, bandwidth::newStream));
        SpectralRolloff rolloff = SpectralRolloff.builder().sr(16000).nFft(512).hopLength(160).build();
        s.add(new Subject("rolloff", rolloff, rolloff::newStream));
        ChromaStft chroma = ChromaStft.builder().sr(16000).nFft(1024).hopLength(256).tuning(0.0).build();
        s.add(new Subject("chroma tuning=0", chroma, chroma::newStream));
        Stft stft = Stft.builder().nFft(512).hopLength(128).padMode(PadMode.REFLECT).build();
        s.add(new Subject("stft power 512/128 reflect", new StftExtractor(stft), () -> stft.newStream(2.0)));
        return s;
    }

    static Stream<Arguments> subjectsAndSignals() {
        Random random = new Random(42);
        List<Arguments> args = new ArrayList<>();
        List<float[]> signals = new ArrayList<>();
        signals.add(Golden.signal("speech_a_16k"));
        signals.add(Golden.signal("short_301_16k"));
        signals.add(Golden.signal("tiny_7_16k"));
        signals.add(Golden.signal("quirk_50_16k"));
        for (int n : new int[] {1, 2, 9, 64, 513, 1000, 1001, 4099}) {
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = (float) random.nextGaussian() * 0.2f;
            }
            signals.add(y);
        }
        for (Subject subject : subjects()) {
            for (float[] y : signals) {
                args.add(Arguments.of(subject, y.length, y));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("subjectsAndSignals")
    void randomChunkingsGiveTheBatchFrames(Subject subject, int length, float[] y) {
        FeatureMatrix batch;
        try {
            batch = subject.batch().extract(y);
        } catch (IllegalArgumentException e) {
            // too short for center=false: the stream must then yield nothing
            List<float[]> frames = run(subject.stream().get(), y, new Random(1), 7);
            assertEquals(0, frames.size(), subject + ": batch raised " + e.getMessage());
            return;
        }
        Random random = new Random(length * 31L + subject.label().hashCode());
        for (int attempt = 0; attempt < 6; attempt++) {
            int maxChunk = attempt == 0 ? 1 : attempt == 1 ? length + 10 : 1 + random.nextInt(700);
            List<float[]> frames = run(subject.stream().get(), y, random, maxChunk);
            assertEquals(batch.columns(), frames.size(), subject + " frame count, chunks <= " + maxChunk);
            for (int t = 0; t < frames.size(); t++) {
                float[] expected = new float[batch.rows()];
                for (int r = 0; r < batch.rows(); r++) {
                    expected[r] = batch.get(r, t);
                }
                assertArrayEquals(expected, frames.get(t), subject + " frame " + t + ", chunks <= " + maxChunk);
            }
        }
    }

    private static List<float[]> run(FeatureStream stream, float[] y, Random random, int maxChunk) {
        List<float[]> frames = new ArrayList<>();
        FrameSink sink = (index, frame) -> {
            assertEquals(frames.size(), index);
            frames.add(frame.clone());
        };
        int pos = 0;
        while (pos < y.length) {
            int n = Math.min(y.length - pos, 1 + random.nextInt(maxChunk));
            if (random.nextInt(10) == 0) {
                stream.push(y, pos, 0, sink);
            }
            stream.push(y, pos, n, sink);
            pos += n;
        }
        stream.finish(sink);
        assertEquals(y.length, stream.samplesPushed());
        assertEquals(frames.size(), stream.framesEmitted());
        return frames;
    }

    @Test
    void resetStartsAgainAndFinishIsFinal() {
        Mfcc mfcc = Mfcc.builder().sr(16000).nFft(512).hopLength(160).nMels(64).nMfcc(13).topDb(null).build();
        float[] y = Golden.signal("speech_b_16k");
        FeatureStream stream = mfcc.newStream();
        List<float[]> first = new ArrayList<>();
        stream.push(y, (i, f) -> first.add(f.clone()));
        stream.finish((i, f) -> first.add(f.clone()));
        assertThrows(IllegalStateException.class, () -> stream.push(y, (i, f) -> { }));
        assertThrows(IllegalStateException.class, () -> stream.finish((i, f) -> { }));
        stream.reset();
        List<float[]> second = new ArrayList<>();
        stream.push(y, (i, f) -> second.add(f.clone()));
        stream.finish((i, f) -> second.add(f.clone()));
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), second.get(i));
        }
    }

    @Test
    void nonFiniteChunkIsRejectedWithoutConsumingIt() {
        FeatureStream stream = Mfcc.builder().topDb(null).build().newStream();
        stream.push(new float[100], (i, f) -> { });
        assertThrows(IllegalArgumentException.class, () -> stream.push(new float[] {0, Float.NaN}, (i, f) -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> stream.push(new float[] {Float.POSITIVE_INFINITY}, (i, f) -> { }));
        assertEquals(100, stream.samplesPushed());
        assertThrows(IndexOutOfBoundsException.class, () -> stream.push(new float[4], 2, 5, (i, f) -> { }));
    }

    @Test
    void streamsThatCannotBeExactAreRefused() {
        assertThrows(IllegalStateException.class, () -> Mfcc.builder().build().newStream());
        assertThrows(IllegalStateException.class, () -> MelSpectrogram.builder()
                .decibels(PowerToDb.builder().refMax().topDb(null).build()).build().newStream());
        assertThrows(IllegalStateException.class, () -> ChromaStft.builder().build().newStream());
    }

    private static final FrameSink DISCARD = (index, frame) -> { };

    @ParameterizedTest(name = "n_fft={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {512, 400})
    void steadyStateAllocatesNothing(int nFft) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Mfcc mfcc = Mfcc.builder().sr(16000).nFft(nFft).hopLength(160).nMels(64).nMfcc(40).topDb(null).build();
        FeatureStream stream = mfcc.newStream();
        float[] chunk = new float[160];
        Random random = new Random(3);
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (float) random.nextGaussian() * 0.1f;
        }
        // warm up so that the JIT has compiled the loop
        for (int i = 0; i < 20_000; i++) {
            stream.push(chunk, 0, 1 + i % 160, DISCARD);
        }
        long id = Thread.currentThread().getId();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemoryEnabled(),
                "thread allocation accounting unavailable");
        // the probe must see a known allocation: 64 arrays of 1,000 floats
        long probeStart = threads.getThreadAllocatedBytes(id);
        float[][] sink = new float[64][];
        for (int i = 0; i < sink.length; i++) {
            sink[i] = new float[1000 + i];
        }
        long probe = threads.getThreadAllocatedBytes(id) - probeStart;
        assertTrue(probe >= 64 * 4000 && sink[63].length == 1063, "probe saw " + probe + " bytes");
        long before = threads.getThreadAllocatedBytes(id);
        long baseline = threads.getThreadAllocatedBytes(id) - before;
        long start = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 2_000; i++) {
            stream.push(chunk, 0, chunk.length, DISCARD);
            stream.push(chunk, 0, 7, DISCARD);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - start - baseline;
        assertTrue(stream.framesEmitted() > 10_000, "frames " + stream.framesEmitted());
        // 2,000 pushes of 167 samples = ~2,100 frames: any per-frame allocation would cost >= 16 bytes each
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for ~2,100 frames");
    }

    /** Adapts an Stft power spectrogram to FeatureExtractor for the comparison. */
    private record StftExtractor(Stft stft) implements FeatureExtractor {
        @Override
        public String name() {
            return "stft";
        }

        @Override
        public java.util.Map<String, Object> parameters() {
            return stft.parameters();
        }

        @Override
        public int sampleRate() {
            return 16000;
        }

        @Override
        public int featureCount() {
            return stft.binCount();
        }

        @Override
        public int frameCount(int sampleCount) {
            return stft.frameCount(sampleCount);
        }

        @Override
        public FeatureMatrix extract(float[] samples) {
            return FeatureMatrix.of(stft.power(samples));
        }
    }
}
