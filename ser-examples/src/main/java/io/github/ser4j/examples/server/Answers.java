package io.github.ser4j.examples.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.github.ser4j.examples.io.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's answers: JSON bodies, the JSON error {@code {"status": code, "error": message}} with its
 * {@code Allow} / {@code Retry-After} / {@code Connection} headers, and the security headers every answer carries.
 */
final class Answers {
    static final String JSON = "application/json; charset=utf-8";
    /** The headers every answer carries, whoever writes it (an endpoint or {@link JsonErrorHandler}). */
    static final Map<String, String> SECURITY_HEADERS = securityHeaders();

    private Answers() {
    }

    /**
     * Answers a failed request and ends the exchange; a refused body that was not read to its end is answered, then
     * the connection dropped (by throwing after the answer is flushed).
     */
    static void sendError(HttpExchange ex, HttpError e) throws IOException {
        if (e.status == 403 && !e.closeConnection) {
            e = Requests.refuse(ex, e.status, e.getMessage());
        }
        if (e.status == 405) {
            ex.getResponseHeaders().set("Allow", e.getMessage().substring(e.getMessage().lastIndexOf(' ') + 1));
        }
        if (e.status == 429 || e.status == 503) {
            ex.getResponseHeaders().set("Retry-After", "1");
        }
        if (e.closeConnection) {
            // Draining a huge or endless body would tie up a thread: answer, then drop the connection (the server
            // aborts it when a handler throws after the response has been flushed).
            ex.getResponseHeaders().set("Connection", "close");
            byte[] body = errorJson(e.status, e.getMessage());
            setHeaders(ex, JSON);
            ex.sendResponseHeaders(e.status, body.length);
            OutputStream out = ex.getResponseBody();
            out.write(body);
            out.flush();
            // Not ex.close(): that would drain the body.
            throw new IOException("request body refused (" + e.status + "); connection dropped");
        }
        sendError(ex, e.status, e.getMessage());
        ex.close();
    }

    static void sendError(HttpExchange ex, int status, String message) throws IOException {
        send(ex, status, JSON, errorJson(status, message));
    }

    /** The error body {@code {"status": status, "error": message}}, one line of UTF-8 JSON. */
    static byte[] errorJson(int status, String message) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("status", status);
        o.put("error", message);
        return Json.line(o).getBytes(StandardCharsets.UTF_8);
    }

    static void sendJson(HttpExchange ex, int status, ObjectNode o) throws IOException {
        send(ex, status, JSON, Json.line(o).getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        setHeaders(ex, type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void setHeaders(HttpExchange ex, String type) {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        SECURITY_HEADERS.forEach(h::set);
    }

    private static Map<String, String> securityHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cache-Control", "no-store");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' blob:; "
                + "connect-src 'self'");
        return Collections.unmodifiableMap(h);
    }
}
