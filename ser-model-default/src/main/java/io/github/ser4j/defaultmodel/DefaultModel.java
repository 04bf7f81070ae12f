package io.github.ser4j.defaultmodel;

import io.github.ser4j.api.spi.PackagedModel;

import java.io.InputStream;

/**
 * The default model ({@code card.json}, {@code model.onnx}, {@code MODEL_CARD.md} beside this class), registered as
 * the {@link PackagedModel} with id {@value PackagedModel#DEFAULT_ID}. Its weights are for non-commercial use only
 * (see {@code MODEL_CARD.md}). Stateless and thread-safe.
 */
public final class DefaultModel implements PackagedModel {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public DefaultModel() {
    }

    @Override
    public String id() {
        return DEFAULT_ID;
    }

    /**
     * @param relativePath a file of the model's folder, e.g. {@value PackagedModel#CARD}
     * @return the file, or null if absent or the path leaves the folder
     */
    @Override
    public InputStream open(String relativePath) {
        if (relativePath == null || relativePath.isEmpty() || relativePath.startsWith("/")
                || relativePath.contains("..") || relativePath.contains("\\")) {
            return null;
        }
        // read through this class, so the files need not be in an open package on the module path
        return DefaultModel.class.getResourceAsStream(relativePath);
    }

    @Override
    public String toString() {
        return "DefaultModel[ser-model-default]";
    }
}
