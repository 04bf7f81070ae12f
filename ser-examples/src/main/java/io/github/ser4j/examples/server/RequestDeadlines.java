package io.github.ser4j.examples.server;

import org.eclipse.jetty.io.Connection;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Cuts off connections that are too slow to deliver a request or to take its answer. A request, headers and body,
 * must arrive whole within the request deadline, counted from the connection's opening for its first request and
 * from the first byte of the next ones (seen by a sweep every {@value #SWEEP_MILLIS} ms); an answer, once its
 * headers are sent, must be taken within the response deadline. A handler that has read its body (or has none) is
 * not timed while it works. The sweep closes late connections; a handler blocked reading from one then gets an
 * {@link java.io.IOException}. Jetty's own idle timeout covers kept-alive connections waiting between requests.
 * Thread-safe.
 */
final class RequestDeadlines implements Connection.Listener, AutoCloseable {
    static final long SWEEP_MILLIS = 250;

    private final long requestNanos;
    private final long responseNanos;
    private final LongSupplier clock;
    private final Map<Connection, Tracked> tracked = new ConcurrentHashMap<>();
    private final AtomicLong cutOff = new AtomicLong();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ser-http-deadlines");
        t.setDaemon(true);
        return t;
    });

    /** Where one connection stands; guarded by itself. */
    static final class Tracked {
        private final Connection connection;
        /** When the request being received began (nanoTime), or 0 while the connection waits between requests. */
        private long receivingSince;
        /** Bytes received when the last request ended: more mean the next request has begun. */
        private long bytesInMark;
        private boolean handling;
        private boolean bodyDone;
        /** When the answer's headers were sent, or 0. */
        private long respondingSince;

        private Tracked(Connection connection, long now) {
            this.connection = connection;
            this.receivingSince = now;
        }
    }

    RequestDeadlines(Duration request, Duration response, LongSupplier clock) {
        this.requestNanos = request.toNanos();
        this.responseNanos = response.toNanos();
        this.clock = clock;
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        tracked.put(connection, new Tracked(connection, clock.getAsLong()));
    }

    @Override
    public void onClosed(Connection connection) {
        tracked.remove(connection);
    }

    /**
     * A request's headers have arrived and its handler starts.
     *
     * @param beginNanos when its first byte arrived
     * @param hasBody    whether it has a body still to read
     * @return its connection's state, or null if the connection is not tracked (already closed)
     */
    Tracked handlerStarted(Connection connection, long beginNanos, boolean hasBody) {
        Tracked t = tracked.get(connection);
        if (t != null) {
            synchronized (t) {
                t.handling = true;
                t.bodyDone = !hasBody;
                // a first request keeps the connection's opening as its start: headers and body within the deadline
                t.receivingSince = t.receivingSince == 0 ? beginNanos : Math.min(t.receivingSince, beginNanos);
                t.respondingSince = 0;
            }
        }
        return t;
    }

    /** The handler has read the request body to its end. */
    static void bodyEnded(Tracked t) {
        if (t != null) {
            synchronized (t) {
                t.bodyDone = true;
            }
        }
    }

    /** The answer's headers are sent: from now on the response deadline applies. */
    void responding(Tracked t) {
        if (t != null) {
            synchronized (t) {
                t.respondingSince = clock.getAsLong();
            }
        }
    }

    /** The handler is done; the connection waits for its next request. */
    static void handlerEnded(Tracked t) {
        if (t != null) {
            synchronized (t) {
                t.handling = false;
                t.receivingSince = 0;
                t.respondingSince = 0;
                t.bytesInMark = t.connection.getBytesIn();
            }
        }
    }

    /** {@return connections closed for missing a deadline so far} */
    long cutOff() {
        return cutOff.get();
    }

    void sweep() {
        long now = clock.getAsLong();
        for (Tracked t : tracked.values()) {
            try {
                if (late(t, now)) {
                    cutOff.incrementAndGet();
                    tracked.remove(t.connection);
                    t.connection.getEndPoint().close();
                }
            } catch (RuntimeException e) {
                // one connection's failure must not end the sweeps (they run until close())
                tracked.remove(t.connection);
            }
        }
    }

    private boolean late(Tracked t, long now) {
        synchronized (t) {
            if (!t.handling) {
                if (t.receivingSince == 0 && t.connection.getBytesIn() > t.bytesInMark) {
                    t.receivingSince = now;
                }
                return t.receivingSince != 0 && now - t.receivingSince > requestNanos;
            }
            if (t.respondingSince != 0) {
                return now - t.respondingSince > responseNanos;
            }
            return !t.bodyDone && now - t.receivingSince > requestNanos;
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
