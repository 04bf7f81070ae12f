package io.github.ser4j.examples.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** Requests a client library would not send (e.g. a Content-Length it never delivers), over a bare socket. */
final class RawHttp {
    /** A POST declaring a 1 GB body and sending none: the server must answer from the headers alone. */
    static final String DECLARED_GIGABYTE =
            "POST /api/v1/recognize HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000\r\n\r\n";

    private RawHttp() {
    }

    /**
     * Sends {@code request} as is to the server on the loopback port and reads until the server closes (10 s at most
     * per read).
     *
     * @return the whole response, status line to body
     */
    static String exchange(SerServer server, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * As {@link #exchange}, for requests the server refuses before reading them whole: whatever it answered before
     * dropping the connection (a reset while this request was still being sent or read ends the answer).
     *
     * @return the response received, status line to body
     */
    static String exchangeRefused(SerServer server, String request) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            try {
                OutputStream out = s.getOutputStream();
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (SocketException e) {
                // refused while sending: read what was answered
            }
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
            } catch (SocketException e) {
                // reset after the answer
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
