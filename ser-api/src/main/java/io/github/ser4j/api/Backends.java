package io.github.ser4j.api;

import io.github.ser4j.api.spi.AudioInputProvider;
import io.github.ser4j.api.spi.RecognizerProvider;
import io.github.ser4j.api.spi.VadProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Finds backends through {@link ServiceLoader} on this class's own class loader, highest priority first. Each
 * provider type is looked up once and the instances are kept: the loader's class path does not change, providers
 * are thread-safe by contract, and a scan of every jar per call cost ~50 µs per {@code AudioSource.open} of an
 * in-memory clip, about 2 % of a whole recognition. Thread-safe.
 */
final class Backends {
    private static final ConcurrentHashMap<Class<?>, List<?>> PROVIDERS = new ConcurrentHashMap<>();

    private Backends() {
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> load(Class<T> type, java.util.function.ToIntFunction<T> priority) {
        // a failed scan (ServiceConfigurationError) is not cached: the next call reports it again
        return (List<T>) PROVIDERS.computeIfAbsent(type, t -> List.copyOf(
                ServiceLoader.load(type, Backends.class.getClassLoader()).stream()
                        .map(ServiceLoader.Provider::get)
                        .sorted(Comparator.comparingInt(priority).reversed())
                        .collect(Collectors.toList())));
    }

    static AudioInputProvider audio() {
        List<AudioInputProvider> providers = load(AudioInputProvider.class, AudioInputProvider::priority);
        if (providers.isEmpty()) {
            throw new BackendNotFoundException("no audio backend on the class path: add the artifact "
                    + "io.github.ser4j:ser-audio-javasound (or another AudioInputProvider) to read files and devices");
        }
        return providers.get(0);
    }

    static VadProvider vad() {
        List<VadProvider> providers = load(VadProvider.class, VadProvider::priority);
        if (providers.isEmpty()) {
            throw new BackendNotFoundException("no voice-activity detector on the class path: add the artifact "
                    + "io.github.ser4j:ser-dsp (or another VadProvider)");
        }
        return providers.get(0);
    }

    static EmotionRecognizer defaultRecognizer(RecognizerOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        List<RecognizerProvider> providers = load(RecognizerProvider.class, RecognizerProvider::priority);
        for (RecognizerProvider p : providers) {
            if (p.hasDefaultModel()) {
                return p.createDefault(options);
            }
        }
        throw new BackendNotFoundException(providers.isEmpty()
                ? "no inference backend on the class path: add the artifacts io.github.ser4j:ser-onnx and "
                + DEFAULT_MODEL_HINT
                : "no default model on the class path (inference backends " + names(providers) + "): add the "
                + "artifact " + DEFAULT_MODEL_HINT);
    }

    /** The default model's artifact, its licence consequence and the alternative, for messages. */
    static final String DEFAULT_MODEL_HINT = "io.github.ser4j:ser-model-default (its weights are for non-commercial "
            + "use only), or load your own model with EmotionRecognizer.create(Path) and a model card";

    static EmotionRecognizer recognizer(Path modelCard, RecognizerOptions options) {
        java.util.Objects.requireNonNull(modelCard, "modelCard");
        java.util.Objects.requireNonNull(options, "options");
        if (!Files.isRegularFile(modelCard)) {
            throw new ModelException("model card " + modelCard + " does not exist or is not a regular file");
        }
        List<RecognizerProvider> providers = load(RecognizerProvider.class, RecognizerProvider::priority);
        for (RecognizerProvider p : providers) {
            if (p.accepts(modelCard)) {
                return p.create(modelCard, options);
            }
        }
        throw new BackendNotFoundException(providers.isEmpty()
                ? "no inference backend on the class path: add the artifact io.github.ser4j:ser-onnx"
                : "no inference backend accepts the model card " + modelCard + "; tried " + names(providers));
    }

    private static String names(List<RecognizerProvider> providers) {
        return providers.stream().map(RecognizerProvider::name).collect(Collectors.joining(", ", "[", "]"));
    }
}
