package io.github.ser4j.examples.server;

/**
 * Limits and address of a {@link SerServer}. Immutable and thread-safe.
 *
 * @param host            address to bind; loopback by default so the demo is not exposed by accident
 * @param port            TCP port; 0 picks a free one
 * @param maxUploadBytes  largest accepted request body; larger ones get 413
 * @param maxAudioSeconds longest accepted decoded audio (guards against compressed "bombs"); longer gets 413
 * @param maxConcurrent   recognitions running at once; more get 429
 * @param allowedHosts    host names the server answers to (its {@code Host} header), besides the loopback names and
 *                        {@code host}; others get 403 (a guard against DNS rebinding)
 */
public record ServerConfig(String host, int port, long maxUploadBytes, double maxAudioSeconds, int maxConcurrent,
                           java.util.List<String> allowedHosts) {
    /** A configuration answering to the loopback names and {@code host} only. */
    public ServerConfig(String host, int port, long maxUploadBytes, double maxAudioSeconds, int maxConcurrent) {
        this(host, port, maxUploadBytes, maxAudioSeconds, maxConcurrent, java.util.List.of());
    }

    /** @throws IllegalArgumentException if a limit is out of range */
    public ServerConfig {
        java.util.Objects.requireNonNull(host, "host");
        allowedHosts = java.util.List.copyOf(allowedHosts);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("maxUploadBytes must be positive, got " + maxUploadBytes);
        }
        if (!(maxAudioSeconds > 0)) {
            throw new IllegalArgumentException("maxAudioSeconds must be positive, got " + maxAudioSeconds);
        }
        if (maxConcurrent < 1 || maxConcurrent > 256) {
            throw new IllegalArgumentException("maxConcurrent must be 1..256, got " + maxConcurrent);
        }
    }
}
