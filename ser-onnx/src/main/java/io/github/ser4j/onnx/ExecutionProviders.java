package io.github.ser4j.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.RecognizerOptions.ExecutionProvider;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps {@link ExecutionProvider} to ONNX Runtime's execution providers and enables the chosen one on a session,
 * after checking that the loaded runtime library has it. Stateless and thread-safe.
 */
final class ExecutionProviders {
    private ExecutionProviders() {
    }

    static OrtProvider toOrt(ExecutionProvider provider) {
        return switch (provider) {
            case CPU -> OrtProvider.CPU;
            case CUDA -> OrtProvider.CUDA;
            case TENSOR_RT -> OrtProvider.TENSOR_RT;
            case ROCM -> OrtProvider.ROCM;
            case DIRECT_ML -> OrtProvider.DIRECT_ML;
            case CORE_ML -> OrtProvider.CORE_ML;
            case NNAPI -> OrtProvider.NNAPI;
            case XNNPACK -> OrtProvider.XNNPACK;
            case DNNL -> OrtProvider.DNNL;
            case OPEN_VINO -> OrtProvider.OPEN_VINO;
            case ACL -> OrtProvider.ACL;
        };
    }

    /** {@return the ser4j names of the providers the loaded runtime has (those ser4j can enable)} */
    static Set<ExecutionProvider> available() {
        EnumSet<OrtProvider> ort = ortAvailable();
        EnumSet<ExecutionProvider> out = EnumSet.noneOf(ExecutionProvider.class);
        for (ExecutionProvider p : ExecutionProvider.values()) {
            if (ort.contains(toOrt(p))) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Enables the options' provider on a session (nothing for the CPU, which ONNX Runtime always adds last).
     *
     * @throws ModelException if the loaded runtime lacks the provider or cannot enable it
     */
    static void enable(OrtSession.SessionOptions so, ExecutionProvider provider, int deviceId) {
        if (provider == ExecutionProvider.CPU) {
            return;
        }
        EnumSet<OrtProvider> ort = ortAvailable();
        if (!ort.contains(toOrt(provider))) {
            Set<String> has = new TreeSet<>();
            ort.forEach(p -> has.add(p.name()));
            throw new ModelException("execution provider " + provider + " is not in the loaded ONNX Runtime "
                    + version() + ", which has " + has + ". " + hint(provider)
                    + " Or leave RecognizerOptions.executionProvider at CPU.");
        }
        try {
            switch (provider) {
                case CUDA -> so.addCUDA(deviceId);
                case TENSOR_RT -> so.addTensorrt(deviceId);
                case ROCM -> so.addROCM(deviceId);
                case DIRECT_ML -> so.addDirectML(deviceId);
                case CORE_ML -> so.addCoreML();
                case NNAPI -> so.addNnapi();
                case XNNPACK -> so.addXnnpack(Map.of());
                case DNNL -> so.addDnnl(true);
                case OPEN_VINO -> so.addOpenVINO("");
                case ACL -> so.addACL(true);
                default -> throw new AssertionError(provider);
            }
        } catch (OrtException | RuntimeException e) {
            throw new ModelException("execution provider " + provider + " is in ONNX Runtime " + version()
                    + " but could not be enabled (device " + deviceId + "): " + e.getMessage()
                    + ". Check the driver and libraries it needs (" + hint(provider) + ")", e);
        }
    }

    static String hint(ExecutionProvider provider) {
        return switch (provider) {
            case CUDA, TENSOR_RT -> "For NVIDIA GPUs replace com.microsoft.onnxruntime:onnxruntime by "
                    + "com.microsoft.onnxruntime:onnxruntime_gpu of the same version (Linux and Windows x64, with "
                    + "the CUDA and cuDNN versions that ONNX Runtime release names"
                    + (provider == ExecutionProvider.TENSOR_RT ? ", and TensorRT" : "") + ").";
            case NNAPI, XNNPACK -> "On Android replace com.microsoft.onnxruntime:onnxruntime by "
                    + "com.microsoft.onnxruntime:onnxruntime-android of the same version.";
            case CORE_ML -> "Core ML exists only in ONNX Runtime's builds for macOS and iOS.";
            default -> "It is only in ONNX Runtime builds made with it: put such a build on the class path instead "
                    + "of com.microsoft.onnxruntime:onnxruntime, or point -Donnxruntime.native.path at one.";
        };
    }

    private static EnumSet<OrtProvider> ortAvailable() {
        OrtRuntime.environment(); // a runtime that cannot load fails here with its own message
        try {
            return OrtEnvironment.getAvailableProviders();
        } catch (LinkageError | RuntimeException e) {
            throw new ModelException(OrtRuntime.nativeFailureMessage(e), e);
        }
    }

    private static String version() {
        try {
            return OrtEnvironment.getEnvironment().getVersion();
        } catch (RuntimeException | LinkageError e) {
            return "(unknown version)";
        }
    }
}
