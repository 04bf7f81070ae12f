package io.github.ser4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInput;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;

/** A thread's native-order input buffer, grown on demand and reused across calls. */
final class InputBuffer {
    private ByteBuffer bytes = ByteBuffer.allocateDirect(0);

    OnnxTensor tensor(OrtEnvironment env, List<ModelInput> batch, long[] shape, ModelCard.DType dtype)
            throws OrtException {
        int per = batch.get(0).size();
        int count = Math.multiplyExact(per, batch.size());
        int width = dtype == ModelCard.DType.FLOAT32 ? Float.BYTES : Double.BYTES;
        int need = Math.multiplyExact(count, width);
        if (bytes.capacity() < need) {
            bytes = ByteBuffer.allocateDirect(Math.max(need, Math.min(Integer.MAX_VALUE / 2, bytes.capacity()) * 2))
                    .order(ByteOrder.nativeOrder());
        }
        bytes.clear();
        if (dtype == ModelCard.DType.FLOAT32) {
            FloatBuffer f = bytes.asFloatBuffer();
            for (ModelInput in : batch) {
                in.writeTo(f);
            }
            f.flip();
            return OnnxTensor.createTensor(env, f, shape);
        }
        DoubleBuffer d = bytes.asDoubleBuffer();
        for (ModelInput in : batch) {
            for (float v : in.data()) {
                d.put(v);
            }
        }
        d.flip();
        return OnnxTensor.createTensor(env, d, shape);
    }
}
