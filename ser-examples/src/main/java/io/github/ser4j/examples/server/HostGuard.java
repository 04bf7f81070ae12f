package io.github.ser4j.examples.server;

import com.sun.net.httpserver.HttpExchange;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code Host} and {@code Origin} checks: a Host this server does not answer to (DNS rebinding) and a POST from
 * another origin get 403. Immutable and thread-safe.
 */
final class HostGuard {
    /** Host names answered besides the configured ones: loopback only. */
    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1");

    private final Set<String> allowedHosts;

    HostGuard(ServerConfig config) {
        Set<String> hosts = new HashSet<>(LOOPBACK_NAMES);
        hosts.add(hostName(config.host()));
        config.allowedHosts().forEach(h -> hosts.add(hostName(h)));
        this.allowedHosts = Set.copyOf(hosts);
    }

    /** The host part of a {@code Host} header or an address, lower case, without port or IPv6 brackets. */
    static String hostName(String hostPort) {
        String h = hostPort.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
            h = h.substring(0, colon); // name:port (a bare IPv6 address has several colons)
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** Refuses a Host this server does not answer to (DNS rebinding) and a POST from another origin. */
    void check(HttpExchange ex, String method) throws HttpError {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host != null && !allowedHosts.contains(hostName(host))) {
            throw new HttpError(403, "host '" + host + "' is not one this server answers to " + allowedHosts.stream()
                    .sorted().toList() + " (a DNS-rebinding guard; add names with --allowed-host)");
        }
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null && !method.equals("GET") && !method.equals("HEAD")) {
            String originHost;
            try {
                URI u = new URI(origin);
                originHost = u.getHost() == null ? null : hostName(u.getHost());
            } catch (URISyntaxException e) {
                originHost = null;
            }
            if (originHost == null || !allowedHosts.contains(originHost)) {
                throw new HttpError(403, "cross-origin " + method + " from '" + origin + "' refused: only pages of "
                        + "this server may post to it");
            }
        }
    }
}
