package io.github.ser4j.examples.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The file part of a {@code multipart/form-data} body (RFC 7578), as {@code curl -F file=@clip.wav} and HTML forms
 * send it: the part named {@code file}, else the first part with a file name, else the first part.
 */
final class Multipart {
    /** A part's bytes and the file name its {@code Content-Disposition} gives (null when none). */
    record Part(byte[] data, String fileName) {
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private Multipart() {
    }

    /** {@return whether a {@code Content-Type} header is {@code multipart/form-data}} */
    static boolean isFormData(String contentType) {
        return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /**
     * @param contentType the request's {@code Content-Type}, with its {@code boundary} parameter
     * @param body        the whole request body
     * @return the audio file's part
     * @throws HttpError 400 when the boundary is missing or the body is not multipart data with that boundary
     */
    static Part filePart(String contentType, byte[] body) throws HttpError {
        String boundary = parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new HttpError(400, "multipart/form-data without a valid boundary parameter");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw new HttpError(400, "multipart body without its boundary '" + boundary + "'");
        }
        Part first = null;
        Part firstNamed = null;
        pos += delimiter.length;
        while (true) {
            if (pos + 2 <= body.length && body[pos] == '-' && body[pos + 1] == '-') {
                break; // the closing delimiter
            }
            int lineEnd = indexOf(body, CRLF, pos);
            if (lineEnd < 0) {
                break;
            }
            int headersEnd = indexOf(body, HEADER_END, lineEnd);
            if (headersEnd < 0) {
                throw new HttpError(400, "multipart part without the blank line ending its headers");
            }
            String headers = new String(body, lineEnd + 2, headersEnd - lineEnd - 2, StandardCharsets.UTF_8);
            int start = headersEnd + 4;
            int end = indexOf(body, next, start);
            if (end < 0) {
                throw new HttpError(400, "multipart part not closed by its boundary (a truncated upload?)");
            }
            String name = null;
            String fileName = null;
            for (String h : headers.split("\r\n")) {
                if (h.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                    name = parameter(h, "name");
                    fileName = parameter(h, "filename");
                }
            }
            Part part = new Part(Arrays.copyOfRange(body, start, end), fileName);
            if ("file".equals(name)) {
                return part;
            }
            if (first == null) {
                first = part;
            }
            if (firstNamed == null && fileName != null) {
                firstNamed = part;
            }
            pos = end + next.length;
        }
        if (firstNamed != null) {
            return firstNamed;
        }
        if (first != null) {
            return first;
        }
        throw new HttpError(400, "multipart body without any part: send the audio as -F file=@clip.wav");
    }

    /** A header parameter ({@code ; name=value} or {@code ; name="value"}), or null. */
    static String parameter(String header, String name) {
        String[] pieces = header.split(";");
        for (int i = 1; i < pieces.length; i++) {
            String p = pieces[i].trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String v = p.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
