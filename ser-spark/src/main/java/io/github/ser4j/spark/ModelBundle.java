package io.github.ser4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.spi.PackagedModel;
import io.github.ser4j.onnx.card.ModelCard;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * A model card and every file it names, as bytes, for a Spark broadcast: the driver reads them once, every executor
 * JVM writes them to a private temporary folder and loads them (see {@link ExecutorRecognizers}). An ordinary card
 * names one model file; an ensemble card ({@code "ensemble"}, docs/model-card.md) names member cards, each naming its
 * model file. Every file's SHA-256 is taken on the driver and checked again on each executor. Immutable.
 */
final class ModelBundle implements Serializable {
    private static final long serialVersionUID = 2L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads one file of the model's folder by its relative name, or throws if it is absent. */
    @FunctionalInterface
    private interface FileReader {
        byte[] read(String relativeName) throws IOException;
    }

    private final String source;
    private final String cardName;
    /** file name relative to the card's folder (the card first) to its bytes */
    private final LinkedHashMap<String, byte[]> files;
    private final LinkedHashMap<String, String> sha256s = new LinkedHashMap<>();
    private final String modelSha256;

    private ModelBundle(String source, String cardName, FileReader reader) throws IOException {
        this.source = source;
        this.cardName = cardName;
        this.files = new LinkedHashMap<>();
        byte[] card = reader.read(cardName);
        files.put(cardName, card);
        JsonNode ensemble = tree(card, cardName).get("ensemble");
        String model = null;
        if (ensemble == null) {
            model = addModelOf(card, cardName, reader);
        } else {
            for (JsonNode member : ensemble.path("members")) {
                String name = checkedName(member.path("card").asText(""));
                byte[] memberCard = reader.read(name);
                files.put(name, memberCard);
                addModelOf(memberCard, name, reader);
            }
        }
        files.forEach((name, bytes) -> sha256s.put(name, sha256(bytes)));
        this.modelSha256 = sha256s.get(ensemble == null ? model : cardName);
    }

    /** Reads the model file the card names into the bundle; {@return its name} */
    private String addModelOf(byte[] card, String cardFile, FileReader reader) throws IOException {
        String model = modelFileOf(card, cardFile);
        files.put(model, reader.read(model));
        return model;
    }

    private String modelFileOf(byte[] card, String cardFile) {
        return checkedName(ModelCard.parse(card, source + "/" + cardFile).model().file());
    }

    private String checkedName(String name) {
        Path p = Path.of(name).normalize();
        if (name.isEmpty() || p.isAbsolute() || p.startsWith("..") || name.contains("\\")) {
            throw new ModelException("model card " + source + " names a file outside its folder: '" + name + "'");
        }
        return p.toString();
    }

    private JsonNode tree(byte[] card, String name) {
        try {
            return JSON.readTree(card);
        } catch (IOException e) {
            throw new ModelException("model card " + source + " (" + name + ") is not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * @param cardPath a model card beside its model file (or, for an ensemble card, its member cards and models)
     * @return the bundle
     * @throws ModelException if the card or a file it names cannot be read, or a card is invalid
     */
    static ModelBundle fromCard(Path cardPath) {
        Path dir = cardPath.toAbsolutePath().getParent();
        try {
            return new ModelBundle(cardPath.toString(), cardPath.getFileName().toString(),
                    name -> Files.readAllBytes(dir.resolve(name)));
        } catch (IOException e) {
            throw new ModelException("cannot read the model card " + cardPath + " or a file it names: " + e, e);
        }
    }

    /**
     * @return the default model of {@code ser-model-default}, read through the {@link PackagedModel} SPI
     * @throws ModelException if no default model is on the class path
     */
    static ModelBundle defaultModel() {
        for (PackagedModel m : ServiceLoader.load(PackagedModel.class, ModelBundle.class.getClassLoader())) {
            if (PackagedModel.DEFAULT_ID.equals(m.id())) {
                try {
                    return new ModelBundle(m.toString(), PackagedModel.CARD, name -> read(m, name));
                } catch (IOException e) {
                    throw new ModelException("cannot read the default model from " + m + ": " + e, e);
                }
            }
        }
        throw new ModelException("no default model on the class path: add io.github.ser4j:ser-model-default (its "
                + "weights are for non-commercial use only) or pass a model card");
    }

    private static byte[] read(PackagedModel m, String file) throws IOException {
        try (InputStream in = m.open(file)) {
            if (in == null) {
                throw new ModelException("the packaged model " + m + " has no file " + file);
            }
            return in.readAllBytes();
        }
    }

    /**
     * Writes the card and the files it names into {@code dir} after checking each against the driver's hash.
     *
     * @param dir an empty private folder
     * @return the card's path there
     * @throws ModelException if a file's bytes do not hash to the driver's SHA-256 (corrupted in transit)
     * @throws IOException    if writing fails
     */
    Path materialise(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String actual = sha256(f.getValue());
            if (!actual.equals(sha256s.get(f.getKey()))) {
                throw new ModelException("the broadcast file " + f.getKey() + " of " + source + " has SHA-256 " + actual
                        + ", the driver read " + sha256s.get(f.getKey()));
            }
            Path target = dir.resolve(f.getKey()).normalize();
            if (!target.startsWith(dir)) {
                throw new ModelException("model file name " + f.getKey() + " leaves the model folder");
            }
            Files.createDirectories(target.getParent());
            Files.write(target, f.getValue());
        }
        return dir.resolve(cardName);
    }

    /** {@return where the model came from (a card path or a packaged model), for messages} */
    String source() {
        return source;
    }

    /** {@return the model file's SHA-256 (of an ensemble: its card file's, which pins its members), lowercase hex} */
    String modelSha256() {
        return modelSha256;
    }

    /** {@return the bundle's size in bytes: the card and every file it names} */
    long modelBytes() {
        return files.values().stream().mapToLong(b -> b.length).sum();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
