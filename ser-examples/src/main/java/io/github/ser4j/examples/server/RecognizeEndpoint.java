package io.github.ser4j.examples.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioLimitException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.InferenceException;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.RecordingPrediction;
import io.github.ser4j.api.SegmentStream;
import io.github.ser4j.api.StreamOptions;
import io.github.ser4j.api.UnsupportedAudioException;
import io.github.ser4j.dsp.signal.AudioSources;
import io.github.ser4j.dsp.signal.CountingAudioSource;
import io.github.ser4j.examples.analysis.ResultJson;
import io.github.ser4j.examples.analysis.Segments;
import io.github.ser4j.examples.io.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /api/v1/recognize[?timeline=true][&name=N][&denoise=B]}: the body (raw audio or a
 * {@code multipart/form-data} part named {@code file}) is read whole under the upload limit before a recognition slot is taken, decoded under the
 * decoded-sample cap, and answered as {@code ser analyze --format json} does, by the recogniser of the request's
 * denoise choice (the server's by default). Thread-safe.
 */
final class RecognizeEndpoint {
    private final Recognizers recognizers;
    private final StreamOptions streamOptions;
    private final ServerConfig config;
    private final Semaphore slots;
    private final Semaphore uploads;

    RecognizeEndpoint(Recognizers recognizers, StreamOptions streamOptions, ServerConfig config,
                      Semaphore slots, Semaphore uploads) {
        this.recognizers = recognizers;
        this.streamOptions = streamOptions;
        this.config = config;
        this.slots = slots;
        this.uploads = uploads;
    }

    /** Decoded samples accepted for an upload: {@code maxAudioSeconds} of 48 kHz stereo. */
    static long maxDecodedSamples(ServerConfig config) {
        return (long) Math.min(Long.MAX_VALUE / 2,
                Math.ceil(config.maxAudioSeconds() * SerServer.SAMPLES_PER_AUDIO_SECOND));
    }

    void handle(HttpExchange ex) throws IOException, HttpError {
        Map<String, String> query = Requests.query(ex.getRequestURI().getRawQuery());
        String name = query.getOrDefault("name", "upload");
        long declared = Requests.contentLength(ex.getRequestHeaders());
        boolean timeline;
        Boolean denoise;
        try {
            timeline = Requests.flag(query, "timeline");
            denoise = Requests.optionalFlag(query, "denoise");
            recognizers.check(denoise);
        } catch (HttpError e) {
            throw Requests.refuse(ex, e.status, e.getMessage());
        }
        if (declared > config.maxUploadBytes()) {
            throw Requests.refuse(ex, 413, "upload of " + declared + " bytes exceeds the limit of "
                    + config.maxUploadBytes() + " bytes");
        }
        if (!uploads.tryAcquire()) {
            throw Requests.refuse(ex, 429, "too many uploads at once (limit " + (4 * config.maxConcurrent() + 4)
                    + "); retry shortly");
        }
        try {
            // the body first, under the request deadline: a client that stalls holds no recognition slot
            byte[] body = Requests.readBody(ex.getRequestBody(), config.maxUploadBytes());
            if (Multipart.isFormData(ex.getRequestHeaders().getFirst("Content-Type"))) {
                Multipart.Part part = Multipart.filePart(ex.getRequestHeaders().getFirst("Content-Type"), body);
                body = part.data();
                if (part.fileName() != null && !part.fileName().isBlank() && !query.containsKey("name")) {
                    name = part.fileName();
                }
            }
            if (body.length == 0) {
                throw new HttpError(400, "empty request body: POST the audio file's bytes "
                        + "(WAV, AIFF, AU, FLAC, MP3, Ogg, Opus...)");
            }
            if (!slots.tryAcquire()) {
                throw new HttpError(429, "too many concurrent recognitions (limit " + config.maxConcurrent()
                        + "); retry shortly");
            }
            try {
                Answers.sendJson(ex, 200, analyze(recognizers.forRequest(denoise), name, body, timeline));
            } finally {
                slots.release();
            }
        } finally {
            uploads.release();
        }
    }

    private ObjectNode analyze(EmotionRecognizer recognizer, String name, byte[] body, boolean timeline)
            throws HttpError {
        try {
            Decoded audio = decode(recognizer, body);
            RecordingPrediction whole = recognizer.analyze(AudioSource.of(audio.mono, audio.rate));
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("file", name);
            o.put("ok", true);
            o.put("duration_s", ResultJson.round(audio.seconds));
            ResultJson.putRecording(o, whole.speechSeconds(), whole.windows());
            ResultJson.putPrediction(o, whole.prediction());
            if (timeline) {
                List<EmotionSegment> segments = new ArrayList<>();
                try (SegmentStream s = recognizer.stream(AudioSource.of(audio.mono, audio.rate), streamOptions)) {
                    s.forEachRemaining(segments::add);
                }
                ResultJson.putSegments(o, Segments.mergeSameSpans(segments));
            }
            return o;
        } catch (AudioLimitException e) {
            throw new HttpError(413, "audio too large when decoded: " + e.getMessage());
        } catch (UnsupportedAudioException e) {
            throw new HttpError(415, "unsupported audio: " + e.getMessage());
        } catch (CorruptAudioException | IllegalArgumentException e) {
            throw new HttpError(422, "unusable audio: " + e.getMessage());
        } catch (AudioException e) {
            throw new HttpError(422, "cannot read the audio: " + e.getMessage());
        } catch (InferenceException e) {
            throw new HttpError(500, "the model failed: " + e.getMessage());
        }
    }

    /** An upload decoded to mono at the model's rate; {@code seconds} is its duration at its own rate. */
    private record Decoded(float[] mono, int rate, double seconds) {
    }

    /**
     * Decodes an upload under the decoded-sample cap, mixed down and resampled to the model's rate while decoding:
     * memory is at most {@code maxAudioSeconds} of mono at that rate, whatever the upload's channels and rate.
     */
    private Decoded decode(EmotionRecognizer recognizer, byte[] body) throws HttpError {
        try (CountingAudioSource source = new CountingAudioSource(AudioSources.limit(
                AudioSource.open(new ByteArrayInputStream(body)), maxDecodedSamples(config)))) {
            PcmFormat f = source.format();
            int rate = recognizer.model().sampleRate() > 0 ? recognizer.model().sampleRate() : f.sampleRate();
            long maxSourceFrames = (long) Math.ceil(config.maxAudioSeconds() * f.sampleRate());
            long maxFrames = (long) Math.min(Integer.MAX_VALUE - 8, Math.ceil(config.maxAudioSeconds() * rate) + 64);
            AudioSource mono = AudioSources.monoAt(source, rate);
            float[] data = new float[(int) Math.min(maxFrames, 1 << 16)];
            int n = 0;
            while (true) {
                if (n == data.length) {
                    if (n >= maxFrames) {
                        throw tooLong();
                    }
                    data = Arrays.copyOf(data, (int) Math.min(maxFrames, 2L * data.length));
                }
                int r = mono.read(data, n, data.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
                if (source.framesRead() > maxSourceFrames) {
                    throw tooLong();
                }
            }
            if (n == 0 || source.framesRead() == 0) {
                throw new HttpError(422, "the audio holds no samples");
            }
            return new Decoded(Arrays.copyOf(data, n), rate, source.framesRead() / (double) f.sampleRate());
        } catch (IOException e) {
            throw new HttpError(422, "cannot read the audio: " + e.getMessage());
        }
    }

    private HttpError tooLong() {
        return new HttpError(413, "audio longer than the limit of " + config.maxAudioSeconds() + " s");
    }
}
