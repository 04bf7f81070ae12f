package io.github.ser4j.onnx;

import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.spi.PackagedModel;
import io.github.ser4j.onnx.card.ModelCard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Locates and reads the model file a card names: relative to the card's folder (or class-path folder), never outside
 * it, SHA-256 checked when the card pins one. Stateless and thread-safe.
 */
final class ModelFiles {
    /** ONNX Runtime takes a model as one Java array. */
    static final long MAX_MODEL_BYTES = Integer.MAX_VALUE - 64;

    private ModelFiles() {
    }

    /**
     * Lexical check of a card's {@code model.file}: relative, forward slashes, no {@code ..} that leaves the folder.
     *
     * @return the normalised relative path (segments joined by '/')
     */
    static String checkRelative(ModelCard card, String folderForMessage) {
        return checkRelative(card.source(), "model.file", card.model().file(), "the model path", folderForMessage);
    }

    /**
     * Lexical check of a path field of a card ({@code model.file}, {@code ensemble.members[i].card}).
     *
     * @param what what the path is for messages, e.g. "the model path"
     * @return the normalised relative path (segments joined by '/')
     */
    static String checkRelative(String cardSource, String field, String file, String what, String folderForMessage) {
        String problem = null;
        if (file.indexOf('\0') >= 0) {
            problem = "contains a NUL character";
        } else if (file.startsWith("/") || file.startsWith("\\") || file.matches("^[A-Za-z]:.*")) {
            problem = "is an absolute path";
        } else if (file.indexOf('\\') >= 0) {
            problem = "contains a backslash (use '/' between folders)";
        }
        StringBuilder normal = new StringBuilder();
        if (problem == null) {
            java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
            for (String seg : file.split("/", -1)) {
                if (seg.isEmpty() || seg.equals(".")) {
                    continue;
                }
                if (seg.equals("..")) {
                    if (parts.isEmpty()) {
                        problem = "leaves the card's folder";
                        break;
                    }
                    parts.removeLast();
                } else {
                    parts.addLast(seg);
                }
            }
            if (problem == null && parts.isEmpty()) {
                problem = "names the folder itself, not a file";
            }
            normal.append(String.join("/", parts));
        }
        if (problem != null) {
            throw new ModelException("model card " + cardSource + ": " + field + " \"" + file + "\" " + problem
                    + " (" + folderForMessage + "); " + what + " must be relative to the card's folder and stay "
                    + "inside it");
        }
        return normal.toString();
    }

    /** Reads the model file beside a card on the file system. */
    static byte[] read(ModelCard card, Path cardPath, boolean verifyHash) {
        Path folder = cardPath.toAbsolutePath().normalize().getParent();
        String relative = checkRelative(card, "card folder " + folder);
        byte[] bytes = readInside(folder, relative, card.source(), "model.file", card.model().file(),
                MAX_MODEL_BYTES);
        verify(card, bytes, folder.resolve(relative).normalize().toString(), verifyHash);
        return bytes;
    }

    /**
     * Reads a file a card names by a path already checked by {@link #checkRelative}, refusing one that resolves or
     * links outside the card's folder.
     */
    static byte[] readInside(Path folder, String relative, String cardSource, String field, String value,
                             long maxBytes) {
        Path file = folder.resolve(relative).normalize();
        if (!file.startsWith(folder)) {
            throw new ModelException("model card " + cardSource + ": " + field + " \"" + value
                    + "\" resolves to " + file + ", outside the card's folder " + folder);
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelException("model card " + cardSource + ": " + field + " \"" + value
                    + "\" does not exist or is not a regular file (looked for " + file + ")");
        }
        try {
            // a symbolic link inside the folder must not lead outside it either
            Path realFolder = folder.toRealPath();
            Path realFile = file.toRealPath();
            if (!realFile.startsWith(realFolder)) {
                throw new ModelException("model card " + cardSource + ": " + field + " \"" + value
                        + "\" is a link to " + realFile + ", outside the card's folder " + realFolder);
            }
            long size = Files.size(realFile);
            if (size > maxBytes) {
                throw new ModelException((maxBytes == MAX_MODEL_BYTES ? "model file " : "card file ") + file + " is "
                        + size + " bytes; at most " + maxBytes + " are supported");
            }
            return Files.readAllBytes(realFile);
        } catch (IOException e) {
            throw new ModelException("cannot read " + (maxBytes == MAX_MODEL_BYTES ? "model" : "card") + " file "
                    + file + " of card " + cardSource + ": " + e, e);
        }
    }

    /** Reads a card file on the file system (size-checked), for {@link ModelCard#parse} or its ensemble twin. */
    static byte[] readCardFile(Path card) {
        try {
            long size = Files.size(card);
            if (size > ModelCard.MAX_CARD_BYTES) {
                throw new ModelException("model card " + card + " is " + size + " bytes; cards are at most "
                        + ModelCard.MAX_CARD_BYTES + " bytes (is this really a card?)");
            }
            return Files.readAllBytes(card);
        } catch (IOException e) {
            throw new ModelException("cannot read model card " + card + ": " + e, e);
        }
    }

    /**
     * Reads the model file beside a card on the class path.
     *
     * @param cardResource absolute resource name of the card, e.g. {@code /models/mine/card.json}
     */
    static byte[] readResource(ModelCard card, String cardResource, boolean verifyHash) {
        String folder = cardResource.substring(0, cardResource.lastIndexOf('/') + 1);
        String resource = folder + checkRelative(card, "class-path folder " + folder);
        try (InputStream in = openResource(resource)) {
            if (in == null) {
                throw new ModelException("model card " + card.source() + ": model.file \"" + card.model().file()
                        + "\" is not on the class path (looked for " + resource + ")");
            }
            byte[] bytes = in.readAllBytes();
            verify(card, bytes, "class-path resource " + resource, verifyHash);
            return bytes;
        } catch (IOException e) {
            throw new ModelException("cannot read " + resource + " of card " + card.source() + ": " + e, e);
        }
    }

    static byte[] readCardResource(String cardResource) {
        try (InputStream in = openResource(cardResource)) {
            return in == null ? null : readCard(in, cardResource);
        } catch (IOException e) {
            throw new ModelException("cannot read model card " + cardResource + ": " + e, e);
        }
    }

    /**
     * A class-path resource through ser-onnx's class loader, not its class: on the module path the class would look
     * in ser-onnx's own module only.
     */
    private static InputStream openResource(String absoluteName) {
        ClassLoader loader = ModelFiles.class.getClassLoader();
        String name = absoluteName.substring(1);
        return loader == null ? ClassLoader.getSystemResourceAsStream(name) : loader.getResourceAsStream(name);
    }

    private static byte[] readCard(InputStream in, String where) throws IOException {
        byte[] bytes = in.readNBytes(ModelCard.MAX_CARD_BYTES + 1);
        if (bytes.length > ModelCard.MAX_CARD_BYTES) {
            throw new ModelException("model card " + where + " is larger than " + ModelCard.MAX_CARD_BYTES
                    + " bytes");
        }
        return bytes;
    }

    /** {@return the card of a packaged model, or null if it has none} */
    static byte[] readPackagedCard(PackagedModel packaged) {
        return readPackagedCard(packaged, PackagedModel.CARD);
    }

    /** {@return a card among a packaged model's files, or null if it has no such file} */
    static byte[] readPackagedCard(PackagedModel packaged, String relative) {
        String where = describe(packaged, relative);
        try (InputStream in = packaged.open(relative)) {
            return in == null ? null : readCard(in, where);
        } catch (IOException e) {
            throw new ModelException("cannot read model card " + where + ": " + e, e);
        }
    }

    /** Reads the model file a packaged model's card names. */
    static byte[] readPackaged(ModelCard card, PackagedModel packaged, boolean verifyHash) {
        return readPackaged(card, packaged, "", verifyHash);
    }

    /**
     * Reads the model file a packaged card names.
     *
     * @param folder the card's folder inside the package: "" or a relative path ending in '/'
     */
    static byte[] readPackaged(ModelCard card, PackagedModel packaged, String folder, boolean verifyHash) {
        String relative = folder + checkRelative(card, "packaged model \"" + packaged.id() + "\""
                + (folder.isEmpty() ? "" : " folder " + folder));
        String where = describe(packaged, relative);
        try (InputStream in = packaged.open(relative)) {
            if (in == null) {
                throw new ModelException("model card " + card.source() + ": model.file \"" + card.model().file()
                        + "\" is not among the files of " + where);
            }
            byte[] bytes = in.readNBytes((int) MAX_MODEL_BYTES + 1);
            if (bytes.length > MAX_MODEL_BYTES) {
                throw new ModelException("model file " + where + " is larger than " + MAX_MODEL_BYTES + " bytes");
            }
            verify(card, bytes, where, verifyHash);
            return bytes;
        } catch (IOException e) {
            throw new ModelException("cannot read " + where + " of card " + card.source() + ": " + e, e);
        }
    }

    static String describe(PackagedModel packaged, String file) {
        return "packaged model \"" + packaged.id() + "\" (" + packaged.getClass().getName() + ") file " + file;
    }

    /**
     * Checks a member card's bytes against the SHA-256 the ensemble card pins, if any.
     *
     * @param field the member's JSON path, e.g. {@code ensemble.members[1]}
     */
    static void verifyMember(String ensembleSource, String field, String file, java.util.Optional<String> sha256,
                             byte[] bytes, boolean verifyHash) {
        if (!verifyHash || sha256.isEmpty()) {
            return;
        }
        String actual = sha256(bytes);
        if (!sha256.get().equals(actual)) {
            throw new ModelException("ensemble card " + ensembleSource + ": " + field + ".sha256 is " + sha256.get()
                    + " but the member card " + file + " (" + bytes.length + " bytes) has SHA-256 " + actual
                    + "; the member card was changed, or the ensemble card belongs to other members");
        }
    }

    private static void verify(ModelCard card, byte[] bytes, String where, boolean verifyHash) {
        if (bytes.length == 0) {
            throw new ModelException("model file " + where + " of card " + card.source() + " is empty");
        }
        if (!verifyHash || card.model().sha256().isEmpty()) {
            return;
        }
        String expected = card.model().sha256().get();
        String actual = sha256(bytes);
        if (!expected.equals(actual)) {
            throw new ModelException("model card " + card.source() + ": model.sha256 is " + expected + " but "
                    + where + " (" + bytes.length + " bytes) has SHA-256 " + actual
                    + "; the file was changed or truncated, or the card belongs to another model");
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
