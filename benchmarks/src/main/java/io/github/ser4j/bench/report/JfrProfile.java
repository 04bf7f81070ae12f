package io.github.ser4j.bench.report;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the time of one benchmark goes: the Java execution samples of a JFR recording ({@code -prof jfr}), restricted
 * to the stacks that run inside the benchmark method, counted by their top frame (self time) per method and per
 * source line.
 *
 * <p>Thread-safety: immutable after construction.
 */
public final class JfrProfile {
    private final int samples;
    private final Map<String, Integer> byMethod;
    private final Map<String, Integer> byLine;
    private final Map<String, Integer> inclusive;

    private JfrProfile(int samples, Map<String, Integer> byMethod, Map<String, Integer> byLine,
                       Map<String, Integer> inclusive) {
        this.samples = samples;
        this.byMethod = byMethod;
        this.byLine = byLine;
        this.inclusive = inclusive;
    }

    /**
     * @param recording    a JFR file
     * @param insideMethod simple {@code Class.method} every counted stack must contain (the benchmark method)
     * @return the profile, or empty if the file is missing
     * @throws IOException if the recording cannot be read
     */
    public static Optional<JfrProfile> read(Path recording, String insideMethod) throws IOException {
        if (recording == null || !Files.exists(recording)) {
            return Optional.empty();
        }
        Map<String, Integer> methods = new HashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int n = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = stack.getFrames();
                boolean inside = frames.stream().anyMatch(f -> name(f).equals(insideMethod));
                if (!inside) {
                    continue;
                }
                n++;
                RecordedFrame top = frames.get(0);
                methods.merge(name(top), 1, Integer::sum);
                lines.merge(name(top) + ":" + top.getLineNumber(), 1, Integer::sum);
                frames.stream().filter(JfrProfile::isLibraryFrame).map(JfrProfile::name).distinct()
                        .forEach(k -> inclusive.merge(k, 1, Integer::sum));
            }
        }
        return Optional.of(new JfrProfile(n, sorted(methods), sorted(lines), sorted(inclusive)));
    }

    /** Frames of ser4j's modules, JTransforms or ONNX Runtime's Java API: not the JDK, JMH or the benchmark. */
    private static boolean isLibraryFrame(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return (type.startsWith("io.github.ser4j.") && !type.startsWith("io.github.ser4j.bench."))
                || type.startsWith("org.jtransforms.") || type.startsWith("ai.onnxruntime.");
    }

    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    private static Map<String, Integer> sorted(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** {@return the number of samples inside the benchmark method} */
    public int samples() {
        return samples;
    }

    /** {@return {@code Class.method} to self samples, most first} */
    public Map<String, Integer> byMethod() {
        return byMethod;
    }

    /** {@return {@code Class.method:line} to self samples, most first} */
    public Map<String, Integer> byLine() {
        return byLine;
    }

    /**
     * {@return {@code Class.method} of ser4j, JTransforms and ONNX Runtime's Java API to the samples whose stack holds
     * it anywhere (total time), most first}
     */
    public Map<String, Integer> inclusive() {
        return inclusive;
    }

    /**
     * @param prefixes class-name prefixes (simple names), e.g. {@code CommonUtils} for JTransforms
     * @return the share of samples whose top frame is in one of them
     */
    public double share(String... prefixes) {
        if (samples == 0) {
            return Double.NaN;
        }
        int s = 0;
        for (Map.Entry<String, Integer> e : byMethod.entrySet()) {
            for (String p : prefixes) {
                if (e.getKey().startsWith(p)) {
                    s += e.getValue();
                    break;
                }
            }
        }
        return (double) s / samples;
    }
}
