package io.github.ser4j.examples.server;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Jetty's error handler: the answers Jetty gives itself (a request it cannot parse: 400; headers too large: 431;
 * URI too long: 414; an unsupported HTTP version: 505; a handler that failed before answering: 500) are the
 * server's JSON error {@code {"status": code, "error": message}} with the security headers of {@link Answers}.
 * Stateless and thread-safe.
 */
final class JsonErrorHandler implements Request.Handler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR_500;
        String reason = HttpStatus.getMessage(status);
        Object detail = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        if (detail == null && request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof Throwable t) {
            detail = t.getMessage();
        }
        String message = detail == null || detail.toString().isBlank() || detail.toString().equals(reason)
                ? reason : reason + ": " + detail;
        byte[] body = Answers.errorJson(status, message);
        response.setStatus(status);
        HttpFields.Mutable h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, Answers.JSON);
        Answers.SECURITY_HEADERS.forEach(h::put);
        if (status == HttpStatus.SERVICE_UNAVAILABLE_503 || status == HttpStatus.TOO_MANY_REQUESTS_429) {
            h.put(HttpHeader.RETRY_AFTER, "1");
        }
        h.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
