package io.github.ser4j.spark;

import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.ModelInfo;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the driver learnt from loading the model once: its name, version, file hash, labels and window, and the
 * {@code p_<label>} column names they give. Immutable.
 *
 * @param name          the model's name
 * @param version       its version
 * @param sha256        the model file's SHA-256
 * @param labels        its labels, in output order
 * @param windowSeconds its streaming window: files up to this long are recognised as one clip
 */
record ModelMeta(String name, String version, String sha256, List<String> labels, double windowSeconds)
        implements Serializable {
    ModelMeta {
        labels = List.copyOf(labels);
    }

    static ModelMeta of(ModelInfo info, String sha256) {
        return new ModelMeta(info.name(), info.version(), sha256, info.labels(), info.windowSeconds());
    }

    /**
     * @return one column name per label, {@code p_} and the label in lower case with every character outside
     * {@code [a-z0-9_]} replaced by {@code _}
     * @throws ModelException if two labels give the same column name
     */
    List<String> probabilityColumns() {
        List<String> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            String column = "p_" + label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            if (!seen.add(column)) {
                throw new ModelException("the labels " + labels + " of model " + name + " give the column " + column
                        + " twice");
            }
            columns.add(column);
        }
        return columns;
    }
}
