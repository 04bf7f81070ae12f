package io.github.ser4j.onnx;

import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.spi.PackagedModel;
import io.github.ser4j.onnx.card.ModelCard;

import java.nio.file.Path;

/**
 * The folder of an ensemble card, where its member cards (and, beside each, the member's model) are read: a folder on
 * the file system, a class-path folder, or a packaged model's files. Paths are checked by
 * {@link ModelFiles#checkRelative} before they get here. Stateless and thread-safe.
 */
interface MemberFiles {
    /** {@return the folder for messages} */
    String folder();

    /** {@return the member card's source for messages, as {@link ModelCard#source()}} */
    String source(String relative);

    /**
     * @return the bytes of the member card at a checked relative path
     * @throws ModelException if it is absent or unreadable (the message names the ensemble card's field)
     */
    byte[] card(String relative, String ensembleSource, String field, String value);

    /** {@return the model file of a member card at {@code relative}, resolved against that card's folder} */
    byte[] model(ModelCard member, String relative, boolean verifyHash);

    /** The folder of a card on the file system. */
    static MemberFiles of(Path ensembleCard) {
        Path folder = ensembleCard.toAbsolutePath().normalize().getParent();
        return new MemberFiles() {
            @Override
            public String folder() {
                return "card folder " + folder;
            }

            @Override
            public String source(String relative) {
                return folder.resolve(relative).toString();
            }

            @Override
            public byte[] card(String relative, String ensembleSource, String field, String value) {
                return ModelFiles.readInside(folder, relative, ensembleSource, field, value, ModelCard.MAX_CARD_BYTES);
            }

            @Override
            public byte[] model(ModelCard member, String relative, boolean verifyHash) {
                return ModelFiles.read(member, folder.resolve(relative), verifyHash);
            }
        };
    }

    /** The class-path folder of a card resource, e.g. {@code /models/mine/card.json}. */
    static MemberFiles ofResource(String ensembleCard) {
        String folder = ensembleCard.substring(0, ensembleCard.lastIndexOf('/') + 1);
        return new MemberFiles() {
            @Override
            public String folder() {
                return "class-path folder " + folder;
            }

            @Override
            public String source(String relative) {
                return "classpath:" + folder + relative;
            }

            @Override
            public byte[] card(String relative, String ensembleSource, String field, String value) {
                byte[] bytes = ModelFiles.readCardResource(folder + relative);
                if (bytes == null) {
                    throw new ModelException("model card " + ensembleSource + ": " + field + " \"" + value
                            + "\" is not on the class path (looked for " + folder + relative + ")");
                }
                return bytes;
            }

            @Override
            public byte[] model(ModelCard member, String relative, boolean verifyHash) {
                return ModelFiles.readResource(member, folder + relative, verifyHash);
            }
        };
    }

    /** The files of a packaged model. */
    static MemberFiles ofPackage(PackagedModel packaged) {
        return new MemberFiles() {
            @Override
            public String folder() {
                return "packaged model \"" + packaged.id() + "\"";
            }

            @Override
            public String source(String relative) {
                return "package:" + packaged.id() + "/" + relative;
            }

            @Override
            public byte[] card(String relative, String ensembleSource, String field, String value) {
                byte[] bytes = ModelFiles.readPackagedCard(packaged, relative);
                if (bytes == null) {
                    throw new ModelException("model card " + ensembleSource + ": " + field + " \"" + value
                            + "\" is not among the files of " + ModelFiles.describe(packaged, relative));
                }
                return bytes;
            }

            @Override
            public byte[] model(ModelCard member, String relative, boolean verifyHash) {
                return ModelFiles.readPackaged(member, packaged, relative.substring(0, relative.lastIndexOf('/') + 1),
                        verifyHash);
            }
        };
    }
}
