package io.github.ser4j.examples.server;

import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.RecognizerOptions;

import java.util.Objects;
import java.util.function.Function;

/**
 * The recognisers a {@link SerServer} answers with, one per denoise setting, so that a request may choose
 * {@code denoise=true|false} whatever the server's default ({@code ser serve --denoise}). Made by
 * {@link #open(Function, RecognizerOptions)}, the server's own recogniser is opened at once and the one with the other
 * setting on the first request that asks for it (a second copy of the model in memory only when used); {@link #close()}
 * closes both. Made by {@link #single(EmotionRecognizer)}, every request gets the one recogniser given, requests cannot
 * choose, and {@link #close()} leaves it open for its owner. Thread-safe.
 */
public final class Recognizers implements AutoCloseable {
    private final Function<RecognizerOptions, EmotionRecognizer> opener;
    private final RecognizerOptions options;
    private final EmotionRecognizer primary;
    private EmotionRecognizer other; // guarded by this
    private boolean closed; // guarded by this

    private Recognizers(Function<RecognizerOptions, EmotionRecognizer> opener, RecognizerOptions options,
                        EmotionRecognizer primary) {
        this.opener = opener;
        this.options = options;
        this.primary = primary;
    }

    /**
     * Opens the server's recogniser now; the one with the other denoise setting is opened by {@code opener} on first
     * use.
     *
     * @param opener  opens a recogniser with the given options (e.g. the {@code --model} card's); called at most twice
     * @param options the server's options, whose {@link RecognizerOptions#denoise()} is the default of requests
     * @return the recognisers; close them after the server
     */
    public static Recognizers open(Function<RecognizerOptions, EmotionRecognizer> opener, RecognizerOptions options) {
        Objects.requireNonNull(opener, "opener");
        Objects.requireNonNull(options, "options");
        return new Recognizers(opener, options, Objects.requireNonNull(opener.apply(options), "opener gave null"));
    }

    /**
     * One recogniser for every request; {@code denoise} in a request is refused (400), and {@link #close()} does not
     * close it.
     *
     * @param recognizer the recogniser, owned by the caller
     * @return the recognisers
     */
    public static Recognizers single(EmotionRecognizer recognizer) {
        return new Recognizers(null, null, Objects.requireNonNull(recognizer, "recognizer"));
    }

    /** {@return whether a request may choose denoising} */
    public boolean perRequestDenoise() {
        return opener != null;
    }

    /** {@return whether requests that do not choose are denoised; false for {@link #single(EmotionRecognizer)}} */
    public boolean defaultDenoise() {
        return options != null && options.denoise();
    }

    /** {@return the recogniser of requests that do not choose} */
    public EmotionRecognizer primary() {
        return primary;
    }

    /**
     * The recogniser for a request's choice, opening it on first use.
     *
     * @param denoise the request's {@code denoise}, or null for the server's default
     * @return the recogniser
     * @throws IllegalStateException         after {@link #close()}
     * @throws UnsupportedOperationException when a choice is given to {@link #single(EmotionRecognizer)} recognisers
     */
    public EmotionRecognizer get(Boolean denoise) {
        if (denoise == null) {
            return primary;
        }
        if (opener == null) {
            throw new UnsupportedOperationException("this server has one recogniser and cannot switch denoising per "
                    + "request");
        }
        if (denoise == options.denoise()) {
            return primary;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            if (other == null) {
                other = Objects.requireNonNull(opener.apply(options.toBuilder().denoise(denoise).build()),
                        "opener gave null");
            }
            return other;
        }
    }

    /**
     * Checks a request's {@code denoise} before its body is read.
     *
     * @param denoise the request's choice, or null
     * @throws HttpError 400 naming the parameter when these recognisers cannot honour a choice
     */
    void check(Boolean denoise) throws HttpError {
        if (denoise != null && opener == null) {
            throw new HttpError(400, "parameter denoise is not available: this server has one recogniser (start "
                    + "it with ser serve to choose per request)");
        }
    }

    /**
     * {@link #get(Boolean)} for a request, after {@link #check(Boolean)}.
     *
     * @throws HttpError 503 when closed, 500 when the model cannot be opened with the other setting
     */
    EmotionRecognizer forRequest(Boolean denoise) throws HttpError {
        check(denoise);
        try {
            return get(denoise);
        } catch (IllegalStateException e) {
            throw new HttpError(503, "the server is shutting down");
        } catch (RuntimeException e) {
            throw new HttpError(500, "cannot open the model with denoise=" + denoise + ": " + e.getMessage());
        }
    }

    /** Closes the recognisers opened by {@link #open(Function, RecognizerOptions)}; idempotent. */
    @Override
    public void close() {
        EmotionRecognizer second;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            second = other;
        }
        if (opener == null) {
            return;
        }
        try {
            primary.close();
        } finally {
            if (second != null) {
                second.close();
            }
        }
    }
}
