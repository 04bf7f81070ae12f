package io.github.ser4j.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.onnx.card.ModelCard;

import java.util.Locale;

/**
 * Access to the process-wide ONNX Runtime environment and session creation, turning a native library that cannot
 * load or a model it cannot read into a {@link ModelException} that says what to do. Thread-safe.
 */
final class OrtRuntime {
    private OrtRuntime() {
    }

    static OrtEnvironment environment() {
        try {
            return OrtEnvironment.getEnvironment();
        } catch (LinkageError | RuntimeException e) {
            throw new ModelException(nativeFailureMessage(e), e);
        }
    }

    static String nativeFailureMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String os = System.getProperty("os.name", "?") + "/" + System.getProperty("os.arch", "?");
        boolean linux = os.toLowerCase(Locale.ROOT).startsWith("linux");
        return "the ONNX Runtime native library cannot be loaded on this platform (" + os + ", Java "
                + System.getProperty("java.version", "?") + "): " + e + (root != e ? " caused by " + root : "")
                + ". The com.microsoft.onnxruntime:onnxruntime jar bundles native libraries for linux-x64 and "
                + "linux-aarch64 (glibc), macOS x64/arm64 and Windows x64."
                + (linux ? " On musl-based Linux (Alpine) use a glibc-based image (e.g. eclipse-temurin:17-jre "
                + "instead of an -alpine tag) or install glibc compatibility (apk add gcompat libstdc++)." : "")
                + " To use a library you built yourself, set -Donnxruntime.native.path=<folder with "
                + "libonnxruntime and libonnxruntime4j_jni>.";
    }

    /** Opens a session on a model's bytes with the options' threads, optimisation level and execution provider. */
    static OrtSession openSession(ModelCard card, byte[] model, RecognizerOptions options) {
        OrtEnvironment env = environment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(options.intraOpThreads());
            so.setInterOpNumThreads(options.interOpThreads());
            so.setOptimizationLevel(switch (options.optimizationLevel()) {
                case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            });
            so.setExecutionMode(options.interOpThreads() > 1 ? OrtSession.SessionOptions.ExecutionMode.PARALLEL
                    : OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            ExecutionProviders.enable(so, options.executionProvider(), options.deviceId());
            return env.createSession(model, so);
        } catch (OrtException e) {
            throw new ModelException("cannot load the ONNX model of card " + card.source() + " (model.file \""
                    + card.model().file() + "\", " + model.length + " bytes): " + e.getMessage()
                    + ". Is it a complete ONNX file (not truncated, not a Git LFS pointer) of an IR version and "
                    + "opset that ONNX Runtime " + ortVersion() + " supports?", e);
        } catch (LinkageError e) {
            throw new ModelException(nativeFailureMessage(e), e);
        }
    }

    private static String ortVersion() {
        try {
            return OrtEnvironment.getEnvironment().getVersion();
        } catch (RuntimeException | LinkageError e) {
            return "(unknown version)";
        }
    }
}
