package io.github.ser4j.examples.analysis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.examples.io.Json;

import java.util.List;

/**
 * The JSON form of results, shared by {@code ser analyze --format json} and the HTTP API so that both stay the same:
 *
 * <pre>
 * {"file": "a.wav", "ok": true, "duration_s": 12.1, "speech_s": 8.4, "windows": 11, "label": "happy",
 *  "confidence": 0.71, "speech": true, "probabilities": {"angry": 0.02, ...}}    (one prediction for the file)
 * {"file": "a.wav", "ok": true, "duration_s": 2.1, "segments": [{"start_s": 0.0, "end_s": 2.0, "label": ...,
 *  "confidence": ..., "speech": ..., "probabilities": {...}}, ...]}              (--timeline)
 * {"file": "b.wav", "ok": false, "error_type": "CorruptAudioException", "error": "..."}    (failure)
 * </pre>
 *
 * A file shorter than its header declares is analysed as far as it goes and gets {@code "truncated": true} and
 * {@code "declared_duration_s"} after {@code duration_s} (both absent otherwise).
 * For one prediction, {@code speech_s} is the seconds of speech the voice-activity detector found and
 * {@code windows} the number of windows the prediction aggregates: a file longer than the model's window is the mean
 * of its windows' probabilities weighted by their speech ({@code EmotionRecognizer.analyze}); a shorter one is one
 * clip ({@code windows} 1, or 0 without speech).
 * {@code arousal} and {@code valence} are added when the model gives them. Probabilities keep the model's label order.
 * Stateless and thread-safe.
 */
public final class ResultJson {
    private ResultJson() {
    }

    /**
     * @param r a result
     * @return its JSON object
     */
    public static ObjectNode of(AnalysisResult r) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("file", r.input());
        o.put("ok", r.ok());
        if (!r.ok()) {
            o.put("error_type", r.errorType());
            o.put("error", r.error());
            return o;
        }
        o.put("duration_s", round(r.duration()));
        if (r.truncated()) {
            o.put("truncated", true);
            o.put("declared_duration_s", round(r.declaredDuration()));
        }
        if (r.isTimeline()) {
            putSegments(o, r.segments());
        } else {
            putRecording(o, r.speech(), r.windows());
            putPrediction(o, r.prediction());
        }
        return o;
    }

    /**
     * @param o       where to put the fields
     * @param speech  seconds of speech ({@code speech_s}, rounded to the millisecond)
     * @param windows windows aggregated ({@code windows})
     */
    public static void putRecording(ObjectNode o, double speech, int windows) {
        o.put("speech_s", round(speech));
        o.put("windows", windows);
    }

    /**
     * @param o        where to put the {@code segments} array
     * @param segments the timeline: {@code start_s}, {@code end_s} and the prediction fields per segment
     */
    public static void putSegments(ObjectNode o, List<EmotionSegment> segments) {
        var array = o.putArray("segments");
        for (EmotionSegment s : segments) {
            ObjectNode so = array.addObject();
            so.put("start_s", round(s.startSeconds()));
            so.put("end_s", round(s.endSeconds()));
            putPrediction(so, s.prediction());
        }
    }

    /**
     * @param o where to put the fields
     * @param p the prediction: label, confidence, speech, probabilities and any arousal/valence
     */
    public static void putPrediction(ObjectNode o, EmotionPrediction p) {
        o.put("label", p.label());
        o.put("confidence", p.confidence());
        o.put("speech", p.isSpeech());
        ObjectNode probs = o.putObject("probabilities");
        List<String> labels = p.labels();
        float[] values = p.probabilities();
        for (int i = 0; i < values.length; i++) {
            probs.put(labels.get(i), values[i]);
        }
        p.arousal().ifPresent(a -> o.put("arousal", a));
        p.valence().ifPresent(v -> o.put("valence", v));
    }

    /**
     * Millisecond precision is plenty for times and avoids 2.0999999999 in the output.
     *
     * @param seconds a time
     * @return it rounded to the millisecond
     */
    public static double round(double seconds) {
        return Math.round(seconds * 1000.0) / 1000.0;
    }
}
