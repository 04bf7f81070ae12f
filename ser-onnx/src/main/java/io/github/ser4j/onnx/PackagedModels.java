package io.github.ser4j.onnx;

import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.spi.PackagedModel;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The {@link PackagedModel}s on the class or module path, found once through {@link ServiceLoader} on ser-onnx's
 * class loader and kept (the path does not change). Thread-safe.
 */
final class PackagedModels {
    private static volatile List<PackagedModel> all;

    private PackagedModels() {
    }

    /**
     * @param id a {@link PackagedModel#id()}
     * @return the packaged model with that id, if one is present
     * @throws ModelException if several packaged models claim the id
     */
    static Optional<PackagedModel> find(String id) {
        List<PackagedModel> matches = all().stream().filter(m -> id.equals(m.id())).collect(Collectors.toList());
        if (matches.size() > 1) {
            throw new ModelException("several packaged models claim the id \"" + id + "\": " + matches.stream()
                    .map(m -> m.getClass().getName()).collect(Collectors.joining(", "))
                    + "; keep one of the jars that provide them on the class path");
        }
        return matches.stream().findFirst();
    }

    private static List<PackagedModel> all() {
        List<PackagedModel> found = all;
        if (found == null) {
            // a failed scan (ServiceConfigurationError) is not kept: the next call reports it again
            found = List.copyOf(ServiceLoader.load(PackagedModel.class, PackagedModels.class.getClassLoader())
                    .stream().map(ServiceLoader.Provider::get).collect(Collectors.toList()));
            all = found;
        }
        return found;
    }
}
