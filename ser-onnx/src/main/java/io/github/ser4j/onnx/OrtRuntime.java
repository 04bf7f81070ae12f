package io.github.ser4j.onnx;

import ai.onnxruntime.OrtEnvironment;
import io.github.ser4j.api.ModelException;

import java.util.Locale;

/**
 * Access to the process-wide ONNX Runtime environment, turning a native library that cannot load into a
 * {@link ModelException} that says what to do. Thread-safe.
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
}
