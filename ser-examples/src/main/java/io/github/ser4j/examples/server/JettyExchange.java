package io.github.ser4j.examples.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Jetty request seen as a {@link HttpExchange}, with the JDK server's contract towards a handler:
 * {@link #sendResponseHeaders(int, long)} with a length sends {@code Content-Length}, with 0 an unknown length
 * (chunked) and with -1 no body; the request body ends at its declared length (Jetty decodes chunked bodies);
 * closing the response stream, or the exchange, completes the answer. Closing does not drain the request body: Jetty
 * reads what has already arrived and drops the connection if more remains. {@link #getHttpContext()} is null (the
 * server has one handler for every path). Used by one handler thread at a time.
 */
final class JettyExchange extends HttpExchange {
    private final Request request;
    private final Response response;
    private final URI uri;
    private final RequestDeadlines deadlines;
    private final RequestDeadlines.Tracked tracked;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private InputStream in;
    private OutputStream out;
    private int status = -1;

    JettyExchange(Request request, Response response, URI uri, RequestDeadlines deadlines,
                  RequestDeadlines.Tracked tracked) {
        this.request = request;
        this.response = response;
        this.uri = uri;
        this.deadlines = deadlines;
        this.tracked = tracked;
        for (HttpField f : request.getHeaders()) {
            requestHeaders.add(f.getName(), f.getValue());
        }
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return request.getMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return null;
    }

    @Override
    public void close() {
        if (status < 0) {
            return; // not answered: the server answers once the handler returns
        }
        try {
            getResponseBody().close();
        } catch (IOException e) {
            // the client is gone: nothing more to do for this exchange
        }
    }

    @Override
    public InputStream getRequestBody() {
        if (in == null) {
            in = new BodyStream(Content.Source.asInputStream(request), tracked);
        }
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        if (out == null) {
            out = new AnswerStream(Content.Sink.asOutputStream(response));
        }
        return out;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        if (status >= 0) {
            throw new IOException("response headers already sent");
        }
        status = rCode;
        response.setStatus(rCode);
        HttpFields.Mutable h = response.getHeaders();
        for (Map.Entry<String, List<String>> e : responseHeaders.entrySet()) {
            String name = canonical(e.getKey());
            h.remove(name);
            for (String v : e.getValue()) {
                h.add(name, v);
            }
        }
        if (responseLength > 0) {
            h.put(HttpHeader.CONTENT_LENGTH, responseLength);
        } else if (responseLength < 0 && !request.getMethod().equals("HEAD")) {
            h.put(HttpHeader.CONTENT_LENGTH, 0L);
        }
        deadlines.responding(tracked);
        if (responseLength < 0) {
            getResponseBody().close();
        }
    }

    /** A header name as usually spelled ({@link Headers} keeps {@code X-content-type-options}). */
    private static String canonical(String name) {
        HttpHeader known = HttpHeader.CACHE.get(name);
        if (known != null) {
            return known.asString();
        }
        for (String k : Answers.SECURITY_HEADERS.keySet()) {
            if (k.equalsIgnoreCase(name)) {
                return k;
            }
        }
        return name;
    }

    /**
     * Drops the request body without waiting for it: {@code true} if it had arrived whole (or there is none), so the
     * connection can carry the next request; {@code false} if part of it is still to come (the caller then answers
     * with {@code Connection: close}).
     */
    boolean consumeArrived() {
        return request.consumeAvailable();
    }

    /** Whether {@link #sendResponseHeaders(int, long)} has been called. */
    boolean answered() {
        return status >= 0;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return inet(request.getConnectionMetaData().getRemoteSocketAddress());
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return inet(request.getConnectionMetaData().getLocalSocketAddress());
    }

    private static InetSocketAddress inet(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i : null;
    }

    @Override
    public String getProtocol() {
        return request.getConnectionMetaData().getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) {
            in = i;
        }
        if (o != null) {
            out = o;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    /** The request body; tells the deadlines when it has been read to its end. */
    private static final class BodyStream extends FilterInputStream {
        private final RequestDeadlines.Tracked tracked;

        BodyStream(InputStream in, RequestDeadlines.Tracked tracked) {
            super(in);
            this.tracked = tracked;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                RequestDeadlines.bodyEnded(tracked);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                RequestDeadlines.bodyEnded(tracked);
            }
            return n;
        }

        @Override
        public void close() {
            // Jetty consumes or drops what remains once the answer is complete
        }
    }

    /** The response body; the first close completes the answer, later ones do nothing. */
    private static final class AnswerStream extends FilterOutputStream {
        private boolean closed;

        AnswerStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                out.close();
            }
        }
    }
}
