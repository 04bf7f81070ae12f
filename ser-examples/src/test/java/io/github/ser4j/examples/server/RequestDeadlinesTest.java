package io.github.ser4j.examples.server;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deadlines of {@link RequestDeadlines} on a clock the test moves (request 10 s, response 30 s): when a
 * connection is cut off, and when it is not, for a first request, a body, an answer being taken and a kept-alive
 * connection's next request.
 */
class RequestDeadlinesTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(1_000 * S);
    private final RequestDeadlines deadlines = new RequestDeadlines(Duration.ofSeconds(10), Duration.ofSeconds(30),
            now::get);

    /** A connection with a byte counter the test sets and an end point that records its closing. */
    private static final class FakeConnection {
        final AtomicLong bytesIn = new AtomicLong();
        final AtomicBoolean closed = new AtomicBoolean();
        final Connection connection;

        FakeConnection() {
            EndPoint endPoint = (EndPoint) Proxy.newProxyInstance(EndPoint.class.getClassLoader(),
                    new Class<?>[] {EndPoint.class}, (p, m, a) -> switch (m.getName()) {
                        case "close" -> {
                            closed.set(true);
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == a[0];
                        case "toString" -> "end point";
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
            connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (p, m, a) -> switch (m.getName()) {
                        case "getBytesIn" -> bytesIn.get();
                        case "getEndPoint" -> endPoint;
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == a[0];
                        case "toString" -> "connection";
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    @AfterEach
    void close() {
        deadlines.close();
    }

    private FakeConnection open() {
        FakeConnection c = new FakeConnection();
        deadlines.onOpened(c.connection);
        return c;
    }

    private void at(double seconds, long start) {
        now.set(start + (long) (seconds * S));
        deadlines.sweep();
    }

    @Test
    void aFirstRequestMustArriveWithinTheDeadlineOfTheConnectionsOpening() {
        long t0 = now.get();
        FakeConnection silent = open();
        FakeConnection lateHeaders = open();
        at(9.0, t0);
        // headers complete at 9 s, the body still to come: the deadline still counts from the opening
        RequestDeadlines.Tracked t = deadlines.handlerStarted(lateHeaders.connection, t0 + 9 * S, true);
        at(9.9, t0);
        assertFalse(silent.closed.get());
        assertFalse(lateHeaders.closed.get());
        at(10.1, t0);
        assertTrue(silent.closed.get(), "nothing sent in 10 s");
        assertTrue(lateHeaders.closed.get(), "headers at 9 s, body unfinished at 10 s");
        assertEquals(2, deadlines.cutOff());
        RequestDeadlines.handlerEnded(t);
    }

    @Test
    void aHandlerAtWorkIsNotTimedButItsAnswerMustBeTakenWithinTheResponseDeadline() {
        long t0 = now.get();
        FakeConnection c = open();
        RequestDeadlines.Tracked t = deadlines.handlerStarted(c.connection, t0 + S, true);
        at(5, t0);
        RequestDeadlines.bodyEnded(t);
        at(25, t0);
        assertFalse(c.closed.get(), "the body arrived in time; the model may take long");
        deadlines.responding(t);
        at(54.9, t0);
        assertFalse(c.closed.get());
        at(55.1, t0);
        assertTrue(c.closed.get(), "answer not taken 30 s after its headers were sent");
    }

    @Test
    void aKeptAliveConnectionIsTimedFromTheFirstByteOfItsNextRequest() {
        long t0 = now.get();
        FakeConnection c = open();
        c.bytesIn.set(100);
        RequestDeadlines.Tracked t = deadlines.handlerStarted(c.connection, t0, false);
        at(1, t0);
        RequestDeadlines.handlerEnded(t);
        at(100, t0);
        assertFalse(c.closed.get(), "waiting between requests is the idle timeout's business, not the deadline's");
        now.set(t0 + 101 * S);
        c.bytesIn.set(120); // the next request begins at 101 s (whichever sweep sees it first), and stalls
        at(101, t0);
        at(110.9, t0);
        assertFalse(c.closed.get());
        at(111.1, t0);
        assertTrue(c.closed.get(), "next request not whole 10 s after its first byte was seen");
    }

    @Test
    void aClosedConnectionIsForgotten() {
        long t0 = now.get();
        FakeConnection c = open();
        deadlines.onClosed(c.connection);
        at(60, t0);
        assertFalse(c.closed.get());
        assertEquals(0, deadlines.cutOff());
    }
}
