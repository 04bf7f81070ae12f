package io.github.ser4j.examples.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Reading a request under the server's limits: its method, query parameters, declared length and body, and refusing
 * one whose body has not been read (a small remainder is drained, a large one drops the connection).
 */
final class Requests {
    /** Bytes of an unwanted request body read and dropped before answering, rather than dropping the connection. */
    static final long DISCARD_LIMIT = 8L << 20;
    /**
     * Refused bodies read at once in this JVM, each by a handler thread until it ends (or the request deadline): a
     * client that is still sending gets its answer rather than a reset connection, and stalled ones hold at most
     * this many threads. Without a permit, a body that has not arrived is not waited for.
     */
    static final int MAX_DISCARDS = 16;
    private static final Semaphore DISCARDS = new Semaphore(MAX_DISCARDS);

    private Requests() {
    }

    static void allow(String method, String allowed) throws HttpError {
        if (!method.equals(allowed) && !(allowed.equals("GET") && method.equals("HEAD"))) {
            throw new HttpError(405, "method " + method + " not allowed; use " + allowed);
        }
    }

    /**
     * An error for a request whose body has not been read: the body is dropped ({@link #dropArrived}); if it could
     * not be, the answer closes the connection.
     */
    static HttpError refuse(HttpExchange ex, int status, String message) throws IOException {
        return new HttpError(status, message, !dropArrived(ex));
    }

    /**
     * Drops an unwanted request body; {@code true} if it ended, so that the connection can carry the next request.
     * A body of at most {@link #DISCARD_LIMIT} bytes is read to its end while one of {@link #MAX_DISCARDS} permits is
     * free; otherwise (on Jetty) only what has arrived is dropped, never waited for, so that slow or stalled bodies
     * hold few threads. Exchanges that are not Jetty's (the fuzz test's, in memory) are read without a permit.
     */
    static boolean dropArrived(HttpExchange ex) throws IOException {
        long declared = contentLength(ex.getRequestHeaders());
        boolean chunked = ex.getRequestHeaders().getFirst("Transfer-Encoding") != null;
        boolean small = declared >= 0 ? declared <= DISCARD_LIMIT : chunked;
        if (!(ex instanceof JettyExchange j)) {
            return small && discard(ex.getRequestBody(), DISCARD_LIMIT);
        }
        if (small && (declared > 0 || chunked) && DISCARDS.tryAcquire()) {
            try {
                return discard(ex.getRequestBody(), DISCARD_LIMIT);
            } finally {
                DISCARDS.release();
            }
        }
        return j.consumeArrived();
    }

    /** Reads and drops up to {@code max} bytes; true if the stream ended within them. */
    static boolean discard(InputStream in, long max) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf, 0, (int) Math.min(buf.length, max + 1 - total))) > 0) {
            total += n;
            if (total > max) {
                return false;
            }
        }
        return true;
    }

    /** The whole body, at most {@code limit} bytes; beyond that 413. */
    static byte[] readBody(InputStream in, long limit) throws IOException, HttpError {
        byte[] buf = new byte[(int) Math.min(limit + 1, 1 << 16)];
        int len = 0;
        while (true) {
            if (len == buf.length) {
                if (len > limit) {
                    boolean ended = discard(in, DISCARD_LIMIT);
                    throw new HttpError(413, "upload exceeds the limit of " + limit + " bytes", !ended);
                }
                buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, (long) buf.length * 2));
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                break;
            }
            len += n;
        }
        if (len > limit) {
            throw new HttpError(413, "upload exceeds the limit of " + limit + " bytes");
        }
        return Arrays.copyOf(buf, len);
    }

    /** The declared body length, or -1 when not declared (or unparseable: the server rejects those first). */
    static long contentLength(Headers h) {
        String v = h.getFirst("Content-Length");
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> map = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return map;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            map.put(k, v);
        }
        return map;
    }

    /**
     * A boolean parameter that may be absent: {@code true}/{@code 1}/empty, {@code false}/{@code 0}, or null.
     *
     * @throws HttpError 400 naming the parameter for any other value
     */
    static Boolean optionalFlag(Map<String, String> query, String name) throws HttpError {
        return query.containsKey(name) ? flag(query, name) : null;
    }

    static boolean flag(Map<String, String> query, String name) throws HttpError {
        String v = query.get(name);
        if (v == null || v.equals("false") || v.equals("0")) {
            return false;
        }
        if (v.isEmpty() || v.equals("true") || v.equals("1")) {
            return true;
        }
        throw new HttpError(400, "parameter " + name + " must be true or false, got '" + v + "'");
    }
}
