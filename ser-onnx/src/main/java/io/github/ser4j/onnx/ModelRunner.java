package io.github.ser4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.InferenceException;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.onnx.card.ModelCard;
import io.github.ser4j.onnx.pipeline.ModelInput;
import io.github.ser4j.onnx.pipeline.ModelInputPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

/**
 * The loaded model of an {@link OnnxEmotionRecognizer}: its {@code OrtSession} (checked against the card at load by
 * {@link ModelSignatureCheck}), one run over a batch of inputs, and the read-write lock that lets {@link #close()}
 * wait for runs in flight. Thread-safe: each thread has its own native-order input buffer.
 */
final class ModelRunner {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxEmotionRecognizer.class);
    /** Sessions opened and not yet closed, process-wide; for tests of cleanup. */
    private static final AtomicLong OPEN_SESSIONS = new AtomicLong();

    private final ModelCard card;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final boolean batchAxis;
    private final int batchLimit;
    private final Set<String> outputNames;
    private final double[][] labelAv;
    private final Lifecycle lifecycle;
    private final AtomicLong modelRuns = new AtomicLong();
    private final ThreadLocal<InputBuffer> work = ThreadLocal.withInitial(InputBuffer::new);

    /**
     * Opens the session and checks the card against it; closes it again if the check fails.
     *
     * @param maxBatch the most clips in one run when the model's batch axis is dynamic
     */
    ModelRunner(ModelCard card, ModelInputPipeline pipeline, byte[] model, RecognizerOptions options, int maxBatch) {
        this.card = card;
        this.lifecycle = new Lifecycle(card.name());
        this.env = OrtRuntime.environment();
        this.session = OrtRuntime.openSession(card, model, options);
        OPEN_SESSIONS.incrementAndGet();
        boolean ok = false;
        try {
            this.batchAxis = card.input().batchDimension();
            this.batchLimit = new ModelSignatureCheck(card, pipeline, session).check(maxBatch);
            Set<String> outs = new LinkedHashSet<>();
            outs.add(card.output().name());
            card.output().regression().ifPresent(r -> outs.add(r.name()));
            this.outputNames = Set.copyOf(outs);
            this.labelAv = card.output().arousalValence().isEmpty() ? null
                    : card.output().labels().stream()
                    .map(l -> card.output().arousalValence().get(l).stream().mapToDouble(Double::doubleValue).toArray())
                    .toArray(double[][]::new);
            ok = true;
        } finally {
            if (!ok) {
                closeQuietly(session);
                OPEN_SESSIONS.decrementAndGet();
            }
        }
    }

    /** {@return sessions opened by any runner and not closed yet} */
    static long openSessions() {
        return OPEN_SESSIONS.get();
    }

    /** {@return the most inputs of one shape in one run} */
    int batchLimit() {
        return batchLimit;
    }

    /** {@return model runs so far (a batch counts once)} */
    long modelRuns() {
        return modelRuns.get();
    }

    /** {@return whether {@link #close()} has been called} */
    boolean isClosed() {
        return lifecycle.isClosed();
    }

    /** @throws IllegalStateException if closed */
    void ensureOpen() {
        lifecycle.ensureOpen();
    }

    /** Closes the session once runs in flight have finished; idempotent. */
    void close() {
        lifecycle.close(() -> {
            closeQuietly(session);
            OPEN_SESSIONS.decrementAndGet();
        });
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException | RuntimeException e) {
            LOG.warn("closing the ONNX Runtime session failed: {}", e.toString());
        }
    }

    /**
     * The result of one run: each input's probabilities (fresh arrays, which a caller may adapt in place before
     * {@link #prediction(Scores, int)}) and the regression output's arousal/valence, if the card has one.
     */
    record Scores(float[][] probabilities, double[] regression) {
    }

    /** One model run over inputs of equal shape. */
    Scores score(List<ModelInput> batch) {
        int n = batch.size();
        long[] shape = batch.get(0).shape();
        long[] full;
        if (batchAxis) {
            full = new long[shape.length + 1];
            full[0] = n;
            System.arraycopy(shape, 0, full, 1, shape.length);
        } else {
            if (n != 1) {
                throw new AssertionError("batch of " + n + " without batch axis");
            }
            full = shape;
        }
        int labels = card.output().labels().size();
        float[] scores = new float[n * labels];
        double[] regression = null;
        InputBuffer wb = work.get();
        Lock r = lifecycle.enter();
        try {
            try (OnnxTensor tensor = wb.tensor(env, batch, full, card.input().dtype());
                 OrtSession.Result result = session.run(Map.of(card.input().name(), tensor), outputNames)) {
                modelRuns.incrementAndGet();
                ModelOutputs.readScores(card, result, card.output().name(), n, scores);
                Optional<ModelCard.Regression> reg = card.output().regression();
                if (reg.isPresent()) {
                    regression = ModelOutputs.readRegression(card, result, reg.get(), n);
                }
            }
        } catch (OrtException e) {
            throw new InferenceException("ONNX Runtime failed running model " + card.name() + " on input "
                    + Arrays.toString(full) + ": " + e.getMessage(), e);
        } finally {
            r.unlock();
        }
        float[][] probabilities = new float[n][];
        for (int i = 0; i < n; i++) {
            probabilities[i] = ModelOutputs.probabilities(card, scores, i * labels, labels);
        }
        return new Scores(probabilities, regression);
    }

    /**
     * Arousal ({@code axis} 0) or valence (1) of input {@code i}: the regression output's, else the
     * probability-weighted mean of the card's label table over its (possibly adapted) probabilities, else NaN.
     */
    double affect(Scores s, int i, int axis) {
        if (s.regression() != null) {
            return s.regression()[2 * i + axis];
        }
        if (labelAv == null) {
            return Double.NaN;
        }
        float[] p = s.probabilities()[i];
        double sum = 0;
        for (int k = 0; k < p.length; k++) {
            sum += (double) p[k] * labelAv[k][axis];
        }
        return sum;
    }

    /** {@return the prediction of input {@code i} from its current probabilities} */
    EmotionPrediction prediction(Scores s, int i) {
        return EmotionPrediction.of(card.output().labels(), s.probabilities()[i], affect(s, i, 0), affect(s, i, 1));
    }
}
