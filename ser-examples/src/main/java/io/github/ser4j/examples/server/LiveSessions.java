package io.github.ser4j.examples.server;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.EmotionSegment;
import io.github.ser4j.api.PcmEncoding;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.RecognitionSession;
import io.github.ser4j.api.StreamOptions;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The live-recording sessions of the HTTP API: each wraps a push {@link RecognitionSession} fed 16-bit little-endian
 * mono PCM chunks by {@code POST /api/v1/live/{id}}, so that the browser shows segments while it still records.
 * Sessions are named by unguessable random ids, capped in number and in audio length, and closed after
 * {@link #IDLE_SECONDS} s (or the idle timeout given) without a chunk: whenever a session is opened or fed, the idle
 * ones are closed first, which releases their buffers and their places. Thread-safe; one chunk of a session is
 * analysed at a time.
 */
final class LiveSessions implements AutoCloseable {
    /** Seconds without a chunk after which a session is closed, unless the server is given another timeout. */
    static final int IDLE_SECONDS = 30;

    /** One session; its monitor serialises the feeding calls the session requires. */
    static final class Live {
        final String id;
        final RecognitionSession session;
        final int sampleRate;
        volatile long lastUsed;

        Live(String id, RecognitionSession session, int sampleRate, long now) {
            this.id = id;
            this.session = session;
            this.sampleRate = sampleRate;
            this.lastUsed = now;
        }
    }

    /** What one chunk produced: new segments, the audio seen so far, and whether the session has ended. */
    record Chunk(List<EmotionSegment> segments, double positionSeconds, boolean ended) {
    }

    private final StreamOptions options;
    private final int maxSessions;
    private final double maxAudioSeconds;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Live> sessions = new ConcurrentHashMap<>();
    private final Duration idle;
    private final LongSupplier clock;

    /**
     * @param options         their windowing
     * @param maxSessions     sessions open at once at most
     * @param maxAudioSeconds audio per session at most
     * @param idle            time without a chunk after which a session is closed ({@link #IDLE_SECONDS} s in
     *                        {@code ser serve})
     * @param clock           nanoseconds, as {@link System#nanoTime()} (tests pass a clock they move)
     * @throws IllegalArgumentException if {@code idle} is not positive
     */
    LiveSessions(StreamOptions options, int maxSessions, double maxAudioSeconds, Duration idle, LongSupplier clock) {
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive, got " + idle);
        }
        this.options = options;
        this.maxSessions = maxSessions;
        this.maxAudioSeconds = maxAudioSeconds;
        this.idle = idle;
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    /** {@return seconds without a chunk after which a session is closed} */
    double idleSeconds() {
        return idle.toNanos() / 1e9;
    }

    /**
     * @param sampleRate the rate of the PCM the client will send
     * @param recognizer the recogniser that opens the push session (the request's denoise choice)
     * @return a new session
     * @throws HttpError 429 when {@code maxSessions} are open, 501 when the model has no push sessions
     */
    synchronized Live open(int sampleRate, EmotionRecognizer recognizer) throws HttpError {
        expire();
        if (sessions.size() >= maxSessions) {
            throw new HttpError(429, "too many live sessions at once (limit " + maxSessions + "); retry shortly");
        }
        RecognitionSession s;
        try {
            s = recognizer.session(PcmFormat.mono(sampleRate), PcmEncoding.S16LE, options);
        } catch (UnsupportedOperationException e) {
            throw new HttpError(501, "this model has no live sessions: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "cannot open a live session: " + e.getMessage());
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        Live live = new Live(HexFormat.of().formatHex(bytes), s, sampleRate, clock.getAsLong());
        sessions.put(live.id, live);
        return live;
    }

    /**
     * Feeds one chunk; with {@code end}, finishes the session (its last segments come back) and closes it.
     *
     * @throws HttpError 404 unknown or expired id, 413 when the session's audio passes the server's limit
     */
    Chunk feed(String id, byte[] pcm, boolean end) throws HttpError {
        Live live = get(id);
        synchronized (live) {
            if (!sessions.containsKey(id)) {
                throw unknown(id);
            }
            live.lastUsed = clock.getAsLong();
            double after = live.session.positionSeconds() + pcm.length / 2.0 / live.sampleRate;
            if (after > maxAudioSeconds) {
                close(id);
                throw new HttpError(413, "live session longer than the limit of " + maxAudioSeconds + " s; closed");
            }
            try {
                if (!live.session.isEnded() && pcm.length > 0) {
                    live.session.accept(pcm, 0, pcm.length);
                }
                if (end) {
                    live.session.finish();
                }
                List<EmotionSegment> out = new ArrayList<>();
                EmotionSegment s;
                while ((s = live.session.poll()) != null) {
                    out.add(s);
                }
                Chunk chunk = new Chunk(out, live.session.positionSeconds(), live.session.isEnded());
                if (end) {
                    close(id);
                }
                return chunk;
            } catch (RuntimeException e) {
                close(id);
                throw e;
            }
        }
    }

    /** Closes a session; false when there was none by that id. */
    boolean close(String id) {
        Live live = sessions.remove(id);
        if (live == null) {
            return false;
        }
        live.session.close();
        return true;
    }

    /** {@return open sessions} */
    int size() {
        return sessions.size();
    }

    private Live get(String id) throws HttpError {
        expire();
        Live live = sessions.get(id);
        if (live == null) {
            throw unknown(id);
        }
        return live;
    }

    private HttpError unknown(String id) {
        return new HttpError(404, "no live session '" + (id.length() > 40 ? id.substring(0, 40) + "..." : id)
                + "' (it ended, or was idle for more than " + idleSeconds() + " s)");
    }

    /** Closes the sessions idle for longer than the timeout. */
    private void expire() {
        long now = clock.getAsLong();
        long limit = idle.toNanos();
        for (Iterator<Live> it = sessions.values().iterator(); it.hasNext(); ) {
            Live l = it.next();
            if (now - l.lastUsed > limit) {
                it.remove();
                l.session.close();
            }
        }
    }

    @Override
    public void close() {
        for (String id : List.copyOf(sessions.keySet())) {
            close(id);
        }
    }
}
