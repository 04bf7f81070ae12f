package io.github.ser4j.onnx.pipeline;

import io.github.ser4j.api.ModelException;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.card.ModelCard.Aggregate;
import io.github.ser4j.onnx.card.ModelCard.Audio;
import io.github.ser4j.onnx.card.ModelCard.Feature;
import io.github.ser4j.onnx.card.ModelCard.Frames;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The shapes a card implies: rows and columns of the feature matrix before and after aggregation, the input tensor's
 * layout, and for each axis the card field that decided it (for messages). Immutable and thread-safe.
 */
final class InputShapes {
    private final ModelCard card;

    InputShapes(ModelCard card) {
        this.card = card;
    }

    record Columns(long size, String origin) {
    }

    /** Columns of the stacked matrix before aggregation, or -1 when they depend on the clip. */
    Columns columnsBeforeAggregation() {
        Optional<Frames> frames = card.features().frames();
        if (frames.isPresent()) {
            return new Columns(frames.get().count(), "features.frames.count=" + frames.get().count());
        }
        Audio a = card.audio();
        Feature first = card.features().stack().get(0);
        if (first.kind() == io.github.ser4j.onnx.card.FeatureKind.FUNCTIONALS) {
            return new Columns(1, "features.stack[0] functionals (one column per clip)");
        }
        if (a.fixedLength() && !a.keepsNativeRate()) {
            long samples = AudioPreparation.durationSamples(a.durationSeconds().getAsDouble(), a.sampleRate());
            long cols = first.frameCount(samples);
            return new Columns(cols, "audio.duration_seconds=" + a.durationSeconds().getAsDouble() + " at sample_rate "
                    + a.sampleRate() + " (" + samples + " samples)" + (first.kind()
                    == io.github.ser4j.onnx.card.FeatureKind.WAVEFORM ? "" : " -> frames with hop_length "
                    + first.hopLength() + ", center=" + first.center()));
        }
        return new Columns(-1, "the frame count, variable because the card has no features.frames and no fixed "
                + "audio length");
    }

    Columns columnsOut() {
        Columns c = columnsBeforeAggregation();
        Optional<Aggregate> ag = card.features().aggregate();
        if (ag.isPresent() && ag.get().axis() == ModelCard.AggregateAxis.TIME) {
            return new Columns(1, "features.aggregate over time (1 column)");
        }
        return c;
    }

    int rowsOut() {
        int rows = card.features().rows();
        Optional<Aggregate> ag = card.features().aggregate();
        if (ag.isPresent()) {
            return ag.get().axis() == ModelCard.AggregateAxis.TIME ? rows * ag.get().statCount()
                    : ag.get().statCount();
        }
        return rows;
    }

    String rowsOrigin() {
        StringBuilder sb = new StringBuilder("features.stack [");
        List<Feature> stack = card.features().stack();
        for (int i = 0; i < stack.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(stack.get(i).describe());
        }
        sb.append("]");
        card.features().aggregate().ifPresent(ag -> sb.append(" aggregated over ")
                .append(ag.axis().name().toLowerCase(java.util.Locale.ROOT)).append(" with ")
                .append(ag.stats().name().toLowerCase(java.util.Locale.ROOT)));
        return sb.toString();
    }

    long[] layoutShape(long rows, long cols) {
        ModelCard.Input in = card.input();
        long h = in.heightIsTime() ? cols : rows;
        long w = in.heightIsTime() ? rows : cols;
        switch (in.layout()) {
            case NCHW:
                return new long[] {1, h, w};
            case NHWC:
                return new long[] {h, w, 1};
            case NCT:
                return new long[] {rows, cols};
            case NTC:
                return new long[] {cols, rows};
            case NC:
                return new long[] {cols < 0 ? -1 : rows * cols};
            default:
                throw new AssertionError(in.layout());
        }
    }

    String[] axisOrigins() {
        String r = rowsOrigin() + " (rows)";
        String c = columnsOut().origin + " (columns)";
        ModelCard.Input in = card.input();
        String h = in.heightIsTime() ? c : r;
        String w = in.heightIsTime() ? r : c;
        String channel = "the single channel of layout " + in.layout();
        switch (in.layout()) {
            case NCHW:
                return new String[] {channel, h, w};
            case NHWC:
                return new String[] {h, w, channel};
            case NCT:
                return new String[] {r, c};
            case NTC:
                return new String[] {c, r};
            case NC:
                return new String[] {"rows x columns of layout NC: " + r + " times " + c};
            default:
                throw new AssertionError(in.layout());
        }
    }

    /** See {@link ModelInputPipeline#checkInputShape(String, long[])}; {@code expected} is the card's shape. */
    void checkInputShape(String inputName, long[] modelShape, long[] expected) {
        ModelCard.Input in = card.input();
        String[] origins = axisOrigins();
        int batch = in.batchDimension() ? 1 : 0;
        if (modelShape.length != expected.length + batch) {
            throw new ModelException("model card " + card.source() + ": input.layout " + in.layout()
                    + (in.batchDimension() ? " with a batch axis" : " without a batch axis (input.batch_dimension "
                    + "false)") + " gives rank " + (expected.length + batch) + " " + describeShape(expected, batch)
                    + " but model input '" + inputName + "' has rank " + modelShape.length + " "
                    + Arrays.toString(modelShape));
        }
        if (batch == 1 && modelShape[0] > 1) {
            throw new ModelException("model card " + card.source() + ": model input '" + inputName
                    + "' has a fixed batch size of " + modelShape[0] + " in " + Arrays.toString(modelShape)
                    + "; ser4j needs a dynamic or size-1 batch axis (or set input.batch_dimension false)");
        }
        for (int i = 0; i < expected.length; i++) {
            long model = modelShape[i + batch];
            long mine = expected[i];
            if (model < 0) {
                continue; // symbolic axis: anything goes
            }
            if (mine < 0) {
                throw new ModelException("model card " + card.source() + ": model input '" + inputName + "' axis "
                        + (i + batch) + " (" + origins[i] + ") is fixed at " + model + " but the card gives a "
                        + "variable frame count; set features.frames.count to " + model
                        + " or a fixed audio.duration_seconds with pad and crop");
            }
            if (mine != model) {
                throw new ModelException("model card " + card.source() + ": " + origins[i] + " gives " + mine
                        + " but model input '" + inputName + "' axis " + (i + batch) + " is " + model
                        + " (card shape " + describeShape(expected, batch) + ", model shape "
                        + Arrays.toString(modelShape) + ")");
            }
        }
    }

    private static String describeShape(long[] shape, int batch) {
        StringBuilder sb = new StringBuilder("[");
        if (batch == 1) {
            sb.append("N");
        }
        for (long d : shape) {
            sb.append(sb.length() > 1 ? ", " : "").append(d < 0 ? "?" : Long.toString(d));
        }
        return sb.append("]").toString();
    }
}
