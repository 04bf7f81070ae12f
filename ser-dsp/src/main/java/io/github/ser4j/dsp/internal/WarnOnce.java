package io.github.ser4j.dsp.internal;

import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Logs each distinct warning (by key) once per JVM, so warnings never flood a per-call or per-frame path. Not API. */
public final class WarnOnce {
    private static final int MAX_KEYS = 1024;
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private WarnOnce() {
    }

    /**
     * @param source  class whose logger is used
     * @param key     identity of the warning (e.g. the configuration it is about)
     * @param message SLF4J message pattern
     * @param args    pattern arguments
     */
    public static void warn(Class<?> source, String key, String message, Object... args) {
        if (SEEN.size() < MAX_KEYS && SEEN.add(key)) {
            LoggerFactory.getLogger(source).warn(message, args);
        }
    }
}
