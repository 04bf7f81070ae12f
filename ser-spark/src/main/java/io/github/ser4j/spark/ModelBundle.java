package io.github.ser4j.spark;

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
import java.util.ServiceLoader;

/**
 * A model card and the model file it names, as bytes, for a Spark broadcast: the driver reads them once, every executor
 * JVM writes them to a private temporary folder and loads them (see {@link ExecutorRecognizers}). The model file's
 * SHA-256 is taken on the driver and checked again on each executor. Immutable.
 */
final class ModelBundle implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String cardName;
    private final byte[] card;
    private final String modelFileName;
    private final byte[] modelFile;
    private final String modelSha256;

    private ModelBundle(String source, String cardName, byte[] card, String modelFileName, byte[] modelFile) {
        this.source = source;
        this.cardName = cardName;
        this.card = card;
        this.modelFileName = modelFileName;
        this.modelFile = modelFile;
        this.modelSha256 = sha256(modelFile);
    }

    /**
     * @param cardPath a model card beside its model file
     * @return the bundle
     * @throws ModelException if the card or its model file cannot be read, or the card is invalid
     */
    static ModelBundle fromCard(Path cardPath) {
        try {
            byte[] card = Files.readAllBytes(cardPath);
            String file = ModelCard.parse(card, cardPath.toString()).model().file();
            Path model = cardPath.toAbsolutePath().getParent().resolve(file).normalize();
            if (!model.startsWith(cardPath.toAbsolutePath().getParent())) {
                throw new ModelException("model card " + cardPath + " names a model file outside its folder: " + file);
            }
            return new ModelBundle(cardPath.toString(), cardPath.getFileName().toString(), card, file,
                    Files.readAllBytes(model));
        } catch (IOException e) {
            throw new ModelException("cannot read the model card " + cardPath + " or its model file: " + e, e);
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
                    byte[] card = read(m, PackagedModel.CARD);
                    String file = ModelCard.parse(card, m + "/" + PackagedModel.CARD).model().file();
                    return new ModelBundle(m.toString(), PackagedModel.CARD, card, file, read(m, file));
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
     * Writes the card and model file into {@code dir} after checking the model bytes against the driver's hash.
     *
     * @param dir an empty private folder
     * @return the card's path there
     * @throws ModelException if the bytes do not hash to the driver's SHA-256 (corrupted in transit)
     * @throws IOException    if writing fails
     */
    Path materialise(Path dir) throws IOException {
        String actual = sha256(modelFile);
        if (!actual.equals(modelSha256)) {
            throw new ModelException("the broadcast model file of " + source + " has SHA-256 " + actual
                    + ", the driver read " + modelSha256);
        }
        Path cardPath = dir.resolve(cardName);
        Path model = dir.resolve(modelFileName).normalize();
        if (!model.startsWith(dir) || !cardPath.getParent().equals(dir)) {
            throw new ModelException("model file name " + modelFileName + " leaves the model folder");
        }
        Files.createDirectories(model.getParent());
        Files.write(cardPath, card);
        Files.write(model, modelFile);
        return cardPath;
    }

    /** {@return where the model came from (a card path or a packaged model), for messages} */
    String source() {
        return source;
    }

    /** {@return the model file's SHA-256, lowercase hex} */
    String modelSha256() {
        return modelSha256;
    }

    /** {@return the model file's size in bytes} */
    long modelBytes() {
        return modelFile.length;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
