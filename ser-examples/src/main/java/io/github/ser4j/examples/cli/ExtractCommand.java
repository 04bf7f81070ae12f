package io.github.ser4j.examples.cli;

import io.github.ser4j.api.ModelException;
import io.github.ser4j.examples.io.AudioFiles;
import io.github.ser4j.examples.io.InputFormatException;
import io.github.ser4j.onnx.card.EnsembleCard;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInput;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ser extract}: the exact model input of many clips under a model card, as one float32 {@code .npy} of shape
 * {@code (N, ...input shape without the batch axis)}. This is how the Python training recipe gets its features from
 * the same Java code that serves the model (ser-onnx's {@link ModelInputPipeline}), so training and inference cannot
 * disagree.
 *
 * <p>Each line of the list is an audio file (any container the audio backend reads; decoded, mixed down to mono and
 * resampled as the card says) or a float32 {@code .npy} holding a 1-D mono waveform already at the card's sample
 * rate (how the recipe passes augmented waveforms). Blank lines and lines starting with {@code #} are skipped;
 * relative paths are resolved against the list file's folder. Clips are processed in order, so row {@code i} of the
 * output is the {@code i}-th input; every clip gets a row, speech or not (the speech gate is not applied).
 */
@Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Computes a model card's exact input tensor for each clip of a list and saves them as one "
                + "float32 .npy of shape (N, <input shape without batch>), row i = line i (for training recipes).",
                "A list line is an audio file or a float32 .npy 1-D waveform at the card's sample rate; blank lines "
                        + "and #comments are skipped; relative paths are relative to the list's folder.",
                "The card must be a single-model card (for an ensemble card, pass a member card).",
                "Exit code 3 for an unusable card, 4 for an unreadable input (named with its line) or output."})
public final class ExtractCommand implements Callable<Integer> {
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    @Spec
    CommandSpec spec;

    @Option(names = "--card", required = true, paramLabel = "CARD.json",
            description = "The model card whose preprocessing is applied (its .onnx file is not needed).")
    Path card;

    @Option(names = "--list", required = true, paramLabel = "LIST.txt",
            description = "One input per line: an audio file or a float32 .npy mono waveform.")
    Path list;

    @Option(names = "--out", required = true, paramLabel = "OUT.npy", description = "Where to save the tensor.")
    Path out;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Clips processed in parallel. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    /** Creates the command; picocli fills in its fields. */
    public ExtractCommand() {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        CommandLine cl = spec.commandLine();
        if (threads < 1) {
            throw new CommandLine.ParameterException(cl, "--threads must be at least 1, got " + threads);
        }
        ModelInputPipeline pipeline = ModelInputPipeline.of(singleModelCard(card));
        long[] shape = pipeline.inputShape();
        for (long d : shape) {
            if (d < 0) {
                throw new CommandLine.ParameterException(cl, "card " + card + " gives a variable input shape "
                        + Arrays.toString(shape) + "; extract needs a fixed one (set audio.duration_seconds or "
                        + "features.frames)");
            }
        }
        int rowSize = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
        List<Path> inputs = readList(list);
        int cardRate = pipeline.targetSampleRate(0);
        PrintWriter err = cl.getErr();
        Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".part");
        long t0 = System.nanoTime();
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            os.write(npyHeader(inputs.size(), shape));
            ByteBuffer row = ByteBuffer.allocate(rowSize * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            int batch = Math.max(1, threads * 8);
            for (int start = 0; start < inputs.size(); start += batch) {
                int end = Math.min(inputs.size(), start + batch);
                float[][] results = new float[end - start][];
                final int s0 = start;
                java.util.stream.IntStream range = java.util.stream.IntStream.range(start, end);
                (threads > 1 ? range.parallel() : range).forEach(i ->
                        results[i - s0] = compute(pipeline, inputs.get(i), i, cardRate, rowSize));
                for (float[] r : results) {
                    row.clear();
                    row.asFloatBuffer().put(r);
                    os.write(row.array());
                }
                if (!quiet && (end % 1000 < batch || end == inputs.size())) {
                    err.printf(Locale.ROOT, "ser extract: %d/%d clips (%.1f s)%n", end, inputs.size(),
                            (System.nanoTime() - t0) / 1e9);
                    err.flush();
                }
            }
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        if (!quiet) {
            long[] full = new long[shape.length + 1];
            full[0] = inputs.size();
            System.arraycopy(shape, 0, full, 1, shape.length);
            err.printf(Locale.ROOT, "ser extract: wrote %s, shape %s float32%n", out, Arrays.toString(full));
            err.flush();
        }
        return ExitCodes.OK;
    }

    /**
     * The card, which must be a single-model card: an ensemble's members each have their own input.
     *
     * @throws ModelException for an ensemble card (naming its member cards) or an unusable card
     */
    static ModelCard singleModelCard(Path card) throws IOException {
        if (Files.isRegularFile(card) && Files.size(card) <= ModelCard.MAX_CARD_BYTES) {
            byte[] json = Files.readAllBytes(card);
            if (EnsembleCard.isEnsemble(json)) {
                List<String> members = EnsembleCard.parse(json, card.toString()).members().stream()
                        .map(EnsembleCard.Member::card).toList();
                throw new ModelException("extraction needs a single-model card, but " + card + " is an ensemble "
                        + "card, whose members each have their own model input; pass one of its member cards "
                        + members + " (relative to its folder)");
            }
        }
        return ModelCard.read(card);
    }

    private static float[] compute(ModelInputPipeline pipeline, Path input, int index, int cardRate, int rowSize) {
        float[] samples;
        int rate;
        try {
            if (isNpy(input)) {
                if (cardRate <= 0) {
                    throw new InputFormatException(input + ": a .npy waveform needs a card with audio.sample_rate");
                }
                samples = readNpyWaveform(input);
                rate = cardRate;
            } else {
                AudioFiles.Mono m = AudioFiles.load(input, 0);
                samples = m.samples();
                rate = m.sampleRate();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("list entry " + (index + 1) + " (" + input + "): "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw withInput(e, index, input);
        }
        ModelInput in;
        try {
            in = pipeline.apply(samples, rate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("list entry " + (index + 1) + " (" + input + "): " + e.getMessage(),
                    e);
        }
        if (in.size() != rowSize) {
            throw new IllegalStateException("list entry " + (index + 1) + " (" + input + ") gave " + in.size()
                    + " values, expected " + rowSize);
        }
        return in.data();
    }

    private static RuntimeException withInput(RuntimeException e, int index, Path input) {
        if (e instanceof io.github.ser4j.api.AudioException) {
            return new io.github.ser4j.api.AudioException("list entry " + (index + 1) + ": " + e.getMessage(), e);
        }
        return e;
    }

    /** The list's entries, resolved against its folder. */
    static List<Path> readList(Path list) throws IOException {
        List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        Path base = list.toAbsolutePath().getParent();
        List<Path> inputs = new ArrayList<>();
        for (String line : lines) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            inputs.add(base.resolve(s));
        }
        if (inputs.isEmpty()) {
            throw new InputFormatException(list + " lists no inputs");
        }
        return inputs;
    }

    private static boolean isNpy(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(NPY_MAGIC.length);
            return Arrays.equals(head, NPY_MAGIC);
        }
    }

    /** A float32 little-endian C-order .npy holding n samples as shape (n,), (n, 1) or (1, n). */
    static float[] readNpyWaveform(Path p) throws IOException {
        byte[] bytes = Files.readAllBytes(p);
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, NPY_MAGIC.length), NPY_MAGIC)) {
            throw new InputFormatException(p + " is not a .npy file");
        }
        int major = bytes[6];
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
            offset = 10;
        } else if (major == 2 || major == 3) {
            headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8 | (bytes[10] & 0xff) << 16
                    | (bytes[11] & 0xff) << 24;
            offset = 12;
        } else {
            throw new InputFormatException(p + ": unsupported .npy version " + major);
        }
        if (headerLen < 0 || offset + headerLen > bytes.length) {
            throw new InputFormatException(p + ": truncated .npy header");
        }
        String header = new String(bytes, offset, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new InputFormatException(p + ": malformed .npy header " + header.strip());
        }
        if (!d.group(1).equals("<f4")) {
            throw new InputFormatException(p + ": dtype " + d.group(1) + " is not supported; save the waveform as "
                    + "float32 (<f4), e.g. np.save(path, y.astype(np.float32))");
        }
        long n = 1;
        int nonUnit = 0;
        for (String dim : s.group(1).split(",")) {
            if (!dim.isBlank()) {
                long v = Long.parseLong(dim.strip());
                n *= v;
                if (v != 1) {
                    nonUnit++;
                }
            }
        }
        if (nonUnit > 1) {
            throw new InputFormatException(p + ": shape (" + s.group(1) + ") is not a mono waveform; expected (n,)");
        }
        int data = offset + headerLen;
        if (n == 0 || (long) bytes.length - data != n * Float.BYTES) {
            throw new InputFormatException(p + ": " + (bytes.length - data) + " data bytes for " + n + " samples");
        }
        float[] y = new float[(int) n];
        ByteBuffer.wrap(bytes, data, (int) n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(y);
        return y;
    }

    /** An .npy version 1.0 header (magic, length, dict, padding to 64 bytes) for a float32 C-order array. */
    static byte[] npyHeader(int n, long[] shape) {
        StringBuilder dims = new StringBuilder().append(n).append(", ");
        for (int i = 0; i < shape.length; i++) {
            dims.append(shape[i]).append(i + 1 < shape.length || shape.length == 0 ? ", " : "");
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().strip() + "), }";
        int unpadded = 8 + 2 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NPY_MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }
}
