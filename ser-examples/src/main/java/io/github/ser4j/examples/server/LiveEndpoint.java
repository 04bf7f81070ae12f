package io.github.ser4j.examples.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.github.ser4j.api.InferenceException;
import io.github.ser4j.examples.analysis.ResultJson;
import io.github.ser4j.examples.io.Json;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The live-session endpoints over {@link LiveSessions}: {@code POST /api/v1/live?rate=R[&denoise=B]} opens one
 * (on the recogniser of the request's denoise choice, the server's by default),
 * {@code POST /api/v1/live/{id}[?end=true]} feeds it a PCM chunk (under the upload limit and a recognition slot),
 * {@code DELETE /api/v1/live/{id}} drops it. Thread-safe.
 */
final class LiveEndpoint {
    private final LiveSessions live;
    private final Recognizers recognizers;
    private final ServerConfig config;
    private final Semaphore slots;
    private final Semaphore uploads;

    LiveEndpoint(LiveSessions live, Recognizers recognizers, ServerConfig config, Semaphore slots,
                 Semaphore uploads) {
        this.live = live;
        this.recognizers = recognizers;
        this.config = config;
        this.slots = slots;
        this.uploads = uploads;
    }

    /** {@code POST /api/v1/live?rate=R[&denoise=true|false]}: a new live session. */
    void open(HttpExchange ex) throws IOException, HttpError {
        Map<String, String> query = Requests.query(ex.getRequestURI().getRawQuery());
        int rate;
        try {
            rate = Integer.parseInt(query.getOrDefault("rate", ""));
        } catch (NumberFormatException e) {
            rate = -1;
        }
        if (rate < 4000 || rate > 192_000) {
            throw Requests.refuse(ex, 400, "parameter rate must be the PCM's sample rate in Hz, 4000-192000, got '"
                    + query.getOrDefault("rate", "") + "'");
        }
        Boolean denoise;
        try {
            denoise = Requests.optionalFlag(query, "denoise");
            recognizers.check(denoise);
        } catch (HttpError e) {
            throw Requests.refuse(ex, e.status, e.getMessage());
        }
        if (!Requests.dropArrived(ex)) {
            throw new HttpError(400, "POST /api/v1/live takes no body (send the PCM to /api/v1/live/{id})", true);
        }
        LiveSessions.Live l = live.open(rate, recognizers.forRequest(denoise));
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", l.id);
        o.put("sample_rate", rate);
        o.put("encoding", "s16le");
        o.put("max_audio_s", config.maxAudioSeconds());
        o.put("idle_timeout_s", live.idleSeconds());
        Answers.sendJson(ex, 201, o);
    }

    /** {@code POST /api/v1/live/{id}[?end=true]} (a PCM chunk) or {@code DELETE /api/v1/live/{id}}. */
    void chunk(HttpExchange ex, String method, String id) throws IOException, HttpError {
        if (method.equals("DELETE")) {
            if (!Requests.dropArrived(ex)) {
                throw new HttpError(400, "DELETE takes no body", true);
            }
            if (!live.close(id)) {
                throw new HttpError(404, "no live session '" + (id.length() > 40 ? id.substring(0, 40) : id) + "'");
            }
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("status", "closed");
            Answers.sendJson(ex, 200, o);
            return;
        }
        if (!method.equals("POST")) {
            throw Requests.refuse(ex, 405, "method " + method + " not allowed; use POST,DELETE");
        }
        boolean end;
        try {
            end = Requests.flag(Requests.query(ex.getRequestURI().getRawQuery()), "end");
        } catch (HttpError e) {
            throw Requests.refuse(ex, e.status, e.getMessage());
        }
        if (Requests.contentLength(ex.getRequestHeaders()) > config.maxUploadBytes()) {
            throw Requests.refuse(ex, 413, "chunk exceeds the limit of " + config.maxUploadBytes() + " bytes");
        }
        if (!uploads.tryAcquire()) {
            throw Requests.refuse(ex, 429, "too many uploads at once; retry shortly");
        }
        try {
            byte[] pcm = Requests.readBody(ex.getRequestBody(), config.maxUploadBytes());
            boolean slot;
            try {
                slot = slots.tryAcquire(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                slot = false;
            }
            if (!slot) {
                throw new HttpError(429, "too many concurrent recognitions (limit " + config.maxConcurrent()
                        + "); retry shortly");
            }
            try {
                LiveSessions.Chunk c = live.feed(id, pcm, end);
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.put("position_s", ResultJson.round(c.positionSeconds()));
                o.put("ended", c.ended());
                ResultJson.putSegments(o, c.segments());
                Answers.sendJson(ex, 200, o);
            } catch (InferenceException e) {
                throw new HttpError(500, "the model failed: " + e.getMessage());
            } finally {
                slots.release();
            }
        } finally {
            uploads.release();
        }
    }
}
