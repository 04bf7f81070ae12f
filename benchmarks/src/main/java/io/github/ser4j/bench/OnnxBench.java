package io.github.ser4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.spi.PackagedModel;
import io.github.ser4j.bench.signal.SpeechLikeSignal;
import io.github.ser4j.onnx.OnnxEmotionRecognizer;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInput;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The default model of {@code ser-onnx} (or the card {@link BenchModel} names) on 3 s clips of speech-like audio,
 * batch 1 and 8.
 *
 * <ul>
 *   <li>{@link #inference()}: ONNX Runtime alone. The model input of each clip is prepared in the setup by the
 *   recogniser's own pipeline ({@code ModelInputPipeline}), packed into one tensor of {@code batch} clips, and each
 *   call runs the session (same options as {@code RecognizerOptions.defaults()}: 1 intra-op and 1 inter-op thread,
 *   all optimisations) and reads the output.</li>
 *   <li>{@link #recognizeAll()}: the public API, {@code recognizeAll(clips, 16000)}: speech gate, features and one
 *   model run per batch.</li>
 * </ul>
 * For an ensemble card, {@link #inference()} times its first member's model (prepared by that member's pipeline) and
 * {@link #recognizeAll()} the whole ensemble (every single-clip member).
 * Fails at setup, with a message saying so, when the default model is not embedded, or (batch 8) when the model has
 * no batch axis.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class OnnxBench {
    /** Clips per model run. */
    @Param({"1", "8"})
    public int batch;

    private OnnxEmotionRecognizer recognizer;
    private OrtSession session;
    private OnnxTensor tensor;
    private String inputName;
    private List<float[]> clips;

    /**
     * Loads the default model, prepares the inputs and opens a bare session on the same model bytes.
     *
     * @throws Exception if the model cannot be loaded or run
     */
    @Setup
    public void setup() throws Exception {
        Path named = BenchModel.card();
        recognizer = BenchModel.loadOnnx(named);
        // an ensemble: the bare session runs its first member
        ModelCard card = recognizer.memberCards().get(0);
        ModelInputPipeline pipeline = recognizer.isEnsemble() ? ModelInputPipeline.of(card) : recognizer.pipeline();
        if (batch > 1 && !card.input().batchDimension()) {
            throw new IllegalStateException("the default model has no batch axis (input.batch_dimension false): "
                    + "batch " + batch + " cannot run");
        }
        float[] y = SpeechLikeSignal.generate(3 * batch, Params.SR);
        clips = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            clips.add(Arrays.copyOfRange(y, i * 3 * Params.SR, (i + 1) * 3 * Params.SR));
        }
        List<ModelInput> inputs = new ArrayList<>();
        for (float[] clip : clips) {
            inputs.add(pipeline.apply(clip, Params.SR));
        }
        long[] one = inputs.get(0).shape();
        long[] shape;
        if (card.input().batchDimension()) {
            shape = new long[one.length + 1];
            shape[0] = batch;
            System.arraycopy(one, 0, shape, 1, one.length);
        } else {
            shape = one;
        }
        FloatBuffer buffer = ByteBuffer.allocateDirect(4 * batch * inputs.get(0).size())
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (ModelInput in : inputs) {
            in.writeTo(buffer);
        }
        buffer.rewind();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        tensor = OnnxTensor.createTensor(env, buffer, shape);
        inputName = card.input().name();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            session = env.createSession(modelBytes(card, named, recognizer.isEnsemble()), so);
        }
    }

    /** The model file beside a card; a member card's {@code source()} is its path in the file system or package. */
    private static byte[] modelBytes(ModelCard card, Path named, boolean member) throws IOException {
        if (named != null) {
            Path dir = (member ? Path.of(card.source()) : named).toAbsolutePath().getParent();
            return Files.readAllBytes(dir.resolve(card.model().file()));
        }
        String folder = "";
        String prefix = "package:" + PackagedModel.DEFAULT_ID + "/";
        if (member && card.source().startsWith(prefix)) {
            String relative = card.source().substring(prefix.length());
            folder = relative.substring(0, relative.lastIndexOf('/') + 1);
        }
        PackagedModel packaged = java.util.ServiceLoader.load(PackagedModel.class).stream()
                .map(java.util.ServiceLoader.Provider::get).filter(m -> PackagedModel.DEFAULT_ID.equals(m.id()))
                .findFirst().orElseThrow(() -> new IllegalStateException(OnnxEmotionRecognizer.noDefaultModelMessage()));
        try (InputStream in = packaged.open(folder + card.model().file())) {
            if (in == null) {
                throw new IllegalStateException("default model file " + card.model().file() + " is missing");
            }
            return in.readAllBytes();
        }
    }

    /** Releases the native session, tensor and recogniser. */
    @TearDown
    public void tearDown() throws OrtException {
        if (tensor != null) {
            tensor.close();
        }
        if (session != null) {
            session.close();
        }
        if (recognizer != null) {
            recognizer.close();
        }
    }

    /**
     * @return the first output value
     * @throws OrtException if the run fails
     */
    @Benchmark
    public float inference() throws OrtException {
        try (OrtSession.Result r = session.run(Map.of(inputName, tensor))) {
            return ((OnnxTensor) r.get(0)).getFloatBuffer().get(0);
        }
    }

    /** {@return one prediction per clip} */
    @Benchmark
    public List<EmotionPrediction> recognizeAll() {
        return recognizer.recognizeAll(clips, Params.SR);
    }
}
