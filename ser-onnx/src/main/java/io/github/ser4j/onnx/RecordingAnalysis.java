package io.github.ser4j.onnx;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.RecordingPrediction;
import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.api.StreamOptions;

import java.io.IOException;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@link OnnxEmotionRecognizer#analyze(AudioSource)}: reads a source once, chunk by chunk, into a {@link WindowEngine}
 * (mix-down, streaming resampler, voice activity, one window of samples). While no more than one window has arrived
 * nothing is analysed; if the source ends there, those samples are one clip. Past one window, every window is analysed
 * as the stream would, and the probabilities are accumulated weighted by each window's speech seconds. The
 * voice-activity detector catches up on the held samples only once they are known to be more than a clip (or when a
 * clip's speech seconds are asked for), so a clip costs what it cost before recordings were analysed whole. Memory is the
 * engine's window plus one chunk, whatever the source's length (known or not). Not thread-safe; one per call.
 */
final class RecordingAnalysis {
    private final OnnxEmotionRecognizer recognizer;
    private final List<String> labels;
    private final double[] weighted;
    private double weightSum;
    private double arousalSum;
    private double valenceSum;
    private boolean affect = true;
    private int windows;

    /** The caller's speaker context, or null: a clip on its own, the windows with a context of their own. */
    private final SpeakerContext speaker;

    private RecordingAnalysis(OnnxEmotionRecognizer recognizer, SpeakerContext speaker) {
        this.recognizer = recognizer;
        this.speaker = speaker;
        this.labels = recognizer.labelList();
        this.weighted = new double[labels.size()];
    }

    /**
     * @param recognizer the model
     * @param source     read to its end, not closed
     * @throws IOException              if reading fails
     * @throws CorruptAudioException    for non-finite samples, or another number of frames than the source stated
     * @throws IllegalArgumentException if the source delivers no samples
     */
    static RecordingPrediction analyze(OnnxEmotionRecognizer recognizer, AudioSource source) throws IOException {
        return new RecordingAnalysis(recognizer, null).run(source, true);
    }

    /**
     * {@code analyze(recognizer, source).prediction()}, without running the voice-activity detector over a source
     * that turns out to be one clip (its speech seconds are not needed).
     *
     * @param speaker the speaker's context the clip or each window updates, or null: a clip on its own, the
     *                windows of a longer recording with one context of their own
     */
    static EmotionPrediction recognize(OnnxEmotionRecognizer recognizer, AudioSource source, SpeakerContext speaker)
            throws IOException {
        return new RecordingAnalysis(recognizer, speaker).run(source, false).prediction();
    }

    private RecordingPrediction run(AudioSource source, boolean clipSpeech) throws IOException {
        int sourceRate = source.format().sampleRate();
        int channels = source.format().channels();
        SpeakerContext stats = speaker != null ? speaker : recognizer.windowContext();
        WindowEngine engine = new WindowEngine(recognizer, source.format(), StreamOptions.defaults(), stats);
        engine.deferVad(); // a clip needs the detector only for its speech seconds
        int window = engine.windowLength();
        long known = source.frameLength();
        float[] chunk = new float[WindowEngine.CHUNK_FRAMES * channels];
        long frames = 0;
        boolean recording = false;
        int got;
        while ((got = source.read(chunk, 0, WindowEngine.CHUNK_FRAMES)) > 0) {
            if (got > WindowEngine.CHUNK_FRAMES) {
                throw new IllegalStateException("the audio source " + source + " returned " + got
                        + " frames for a read of at most " + WindowEngine.CHUNK_FRAMES);
            }
            engine.append(chunk, 0, got); // non-finite samples: CorruptAudioException
            frames += got;
            if (known >= 0 && frames > known) {
                throw lengthMismatch(source, frames + " frames or more", known);
            }
            if (!recording && engine.total() > window) {
                recording = true;
                engine.resumeVad();
            }
            if (recording) {
                drain(engine);
            }
        }
        if (known >= 0 && frames != known) {
            throw lengthMismatch(source, frames + " frames", known);
        }
        engine.end(true);
        double duration = frames / (double) sourceRate;
        if (!recording && engine.total() <= window) {
            float[] clip = engine.heldSamples();
            if (clip.length == 0) {
                throw new IllegalArgumentException("the audio source delivered no samples");
            }
            EmotionPrediction p = recognizer.recognizeClip(clip, clip.length, engine.rate(), speaker);
            double speech = 0;
            if (clipSpeech) {
                engine.resumeVad();
                speech = engine.speechSeconds();
            }
            return new RecordingPrediction(p, duration, speech, p.isSpeech() ? 1 : 0);
        }
        engine.resumeVad();
        drain(engine);
        add(engine.lastWindow(), engine);
        return new RecordingPrediction(mean(), duration, engine.speechSeconds(), weightSum > 0 ? windows : 0);
    }

    private static CorruptAudioException lengthMismatch(AudioSource source, String delivered, long stated) {
        return new CorruptAudioException("the audio source " + source + " delivered " + delivered + " but stated "
                + stated + " (a truncated or damaged input?)");
    }

    private void drain(WindowEngine engine) {
        while (engine.windowReady()) {
            add(engine.nextWindow(), engine);
        }
    }

    private void add(EmotionSegment segment, WindowEngine engine) {
        if (segment == null) {
            return;
        }
        double w = engine.lastWindowSpeechSeconds();
        EmotionPrediction p = segment.prediction();
        float[] probabilities = p.probabilities();
        for (int i = 0; i < weighted.length; i++) {
            weighted[i] += w * probabilities[i];
        }
        OptionalDouble a = p.arousal();
        OptionalDouble v = p.valence();
        affect &= a.isPresent() && v.isPresent();
        if (affect) {
            arousalSum += w * a.getAsDouble();
            valenceSum += w * v.getAsDouble();
        }
        weightSum += w;
        windows++;
    }

    /** The speech-weighted mean of the analysed windows, or no speech when none was analysed. */
    private EmotionPrediction mean() {
        if (windows == 0 || !(weightSum > 0)) {
            return EmotionPrediction.noSpeech(labels);
        }
        return EmotionPrediction.of(labels, weightedMean(weighted, weightSum),
                affect ? arousalSum / weightSum : Double.NaN, affect ? valenceSum / weightSum : Double.NaN);
    }

    /**
     * @param sums  per label, the sum of weight x probability
     * @param total the sum of the weights, positive
     * @return {@code sums / total} as probabilities (clamped to [0, 1] against rounding)
     */
    static float[] weightedMean(double[] sums, double total) {
        float[] p = new float[sums.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) Math.min(1.0, Math.max(0.0, sums[i] / total));
        }
        return p;
    }
}
