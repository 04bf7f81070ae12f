package io.github.ser4j.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;

import java.util.Arrays;
import java.util.Map;

/**
 * Checks a card against the loaded model's signature: input and output names, element types, every fixed axis of the
 * input shape (through the pipeline), output ranks and widths against the labels and the regression indices. Used
 * once, at load; every failure is a {@link ModelException} naming the card field and both values.
 */
final class ModelSignatureCheck {
    private final ModelCard card;
    private final ModelInputPipeline pipeline;
    private final OrtSession session;
    private final boolean batchAxis;

    ModelSignatureCheck(ModelCard card, ModelInputPipeline pipeline, OrtSession session) {
        this.card = card;
        this.pipeline = pipeline;
        this.session = session;
        this.batchAxis = card.input().batchDimension();
    }

    /**
     * Checks the card against the session.
     *
     * @param maxBatch the most clips in one run
     * @return the batch limit: {@code maxBatch} when the input's batch axis is dynamic, else 1
     * @throws ModelException naming the card field and both values on any disagreement
     */
    int check(int maxBatch) {
        ModelCard.Input in = card.input();
        ModelCard.Output out = card.output();
        String src = "model card " + card.source() + ": ";
        Map<String, NodeInfo> inputs;
        Map<String, NodeInfo> outputs;
        try {
            inputs = session.getInputInfo();
            outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new ModelException(src + "cannot read the model's inputs and outputs: " + e.getMessage(), e);
        }
        NodeInfo input = inputs.get(in.name());
        if (input == null) {
            throw new ModelException(src + "input.name \"" + in.name() + "\" is not an input of the model; its inputs "
                    + "are " + inputs.keySet());
        }
        if (inputs.size() > 1) {
            throw new ModelException(src + "the model has " + inputs.size() + " inputs " + inputs.keySet()
                    + " but a card feeds exactly one (input.name \"" + in.name() + "\")");
        }
        TensorInfo ti = tensorInfo(input, "input", src);
        OnnxJavaType want = in.dtype() == ModelCard.DType.FLOAT32 ? OnnxJavaType.FLOAT : OnnxJavaType.DOUBLE;
        if (ti.type != want) {
            throw new ModelException(src + "input.dtype is " + in.dtype().name().toLowerCase(java.util.Locale.ROOT)
                    + " but model input '" + in.name() + "' has element type " + ti.type);
        }
        long[] inShape = ti.getShape();
        pipeline.checkInputShape(in.name(), inShape);
        int limit = batchAxis && inShape[0] < 0 ? maxBatch : 1;

        checkOutput(outputs, out.name(), "output.name", src, out.labels().size(), "output.labels has "
                + out.labels().size() + " labels " + out.labels());
        out.regression().ifPresent(r -> checkOutput(outputs, r.name(), "output.regression.name", src, -1, null));
        out.regression().ifPresent(r -> {
            long[] shape = tensorInfo(outputs.get(r.name()), "output", src).getShape();
            long width = shape[shape.length - 1];
            int need = Math.max(r.arousalIndex(), r.valenceIndex()) + 1;
            if (width > 0 && width < need) {
                throw new ModelException(src + "output.regression.arousal_index/valence_index need " + need
                        + " values but model output '" + r.name() + "' has width " + width + " "
                        + Arrays.toString(shape));
            }
        });
        return limit;
    }

    private void checkOutput(Map<String, NodeInfo> outputs, String name, String field, String src, int width,
                             String widthOrigin) {
        NodeInfo node = outputs.get(name);
        if (node == null) {
            throw new ModelException(src + field + " \"" + name + "\" is not an output of the model; its outputs are "
                    + outputs.keySet());
        }
        TensorInfo ti = tensorInfo(node, "output", src);
        if (ti.type != OnnxJavaType.FLOAT && ti.type != OnnxJavaType.DOUBLE) {
            throw new ModelException(src + "model output '" + name + "' has element type " + ti.type
                    + "; float32 or float64 scores are supported");
        }
        long[] shape = ti.getShape();
        int rank = batchAxis ? 2 : 1;
        if (shape.length != rank) {
            throw new ModelException(src + "model output '" + name + "' has shape " + Arrays.toString(shape)
                    + " but a " + (batchAxis ? "batched model (input.batch_dimension true) needs [N, values]"
                    : "model without batch axis needs [values]"));
        }
        long actual = shape[shape.length - 1];
        if (width > 0 && actual > 0 && actual != width) {
            throw new ModelException(src + widthOrigin + " but model output '" + name + "' has width " + actual
                    + " (shape " + Arrays.toString(shape) + ")");
        }
    }

    private static TensorInfo tensorInfo(NodeInfo node, String what, String src) {
        ValueInfo vi = node.getInfo();
        if (!(vi instanceof TensorInfo ti)) {
            throw new ModelException(src + "model " + what + " '" + node.getName() + "' is " + vi
                    + ", not a tensor");
        }
        return ti;
    }
}
