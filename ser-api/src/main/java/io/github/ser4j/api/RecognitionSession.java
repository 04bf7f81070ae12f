package io.github.ser4j.api;

/**
 * Push-style recognition: the application hands over audio as it arrives (from a socket, a telephony stack, a
 * recorder callback) and the session cuts it into the same VAD-gated sliding windows as
 * {@link EmotionRecognizer#stream(AudioSource, StreamOptions)}, giving the same segments for the same audio however
 * it is split into chunks. Create one with {@link EmotionRecognizer#session(PcmFormat, PcmEncoding, StreamOptions,
 * java.util.function.Consumer)}.
 *
 * <pre>{@code
 * try (RecognitionSession s = ser.session(PcmFormat.mono(8000), PcmEncoding.ULAW, StreamOptions.defaults(),
 *         seg -> System.out.println(seg))) {
 *     while ((n = in.read(buf)) > 0) {
 *         s.accept(buf, 0, n);        // segments reach the listener on this thread as windows complete
 *     }
 *     s.finish();                     // analyses the tail
 * }
 * }</pre>
 *
 * <p>Segments go to the listener given at creation, on the thread that calls {@link #accept(float[], int, int)},
 * {@link #accept(byte[], int, int)} or {@link #finish()}; without a listener they queue for {@link #poll()}.
 * Accepting audio allocates nothing once the session is warm; each analysed window allocates its model input and
 * its result.
 *
 * <p>Thread-safety: one feeding thread at a time ({@code accept}, {@code finish}, {@code poll}); the session is not
 * thread-safe. {@link #close()} may be called from any thread: the call in progress finishes or throws
 * {@link IllegalStateException}, later calls throw it.
 */
public interface RecognitionSession extends AutoCloseable {

    /** {@return the format the session expects: sample rate and channel count of the audio passed in} */
    PcmFormat format();

    /**
     * Feeds interleaved float samples, nominally in [-1, 1]. The array is not kept.
     *
     * @param samples interleaved samples
     * @param offset  index of the first sample
     * @param length  number of samples, a multiple of the channel count
     * @throws IllegalArgumentException if {@code length} is not a whole number of frames
     * @throws IllegalStateException    after {@link #finish()} or {@link #close()}
     */
    void accept(float[] samples, int offset, int length);

    /**
     * Feeds PCM bytes in the session's {@link PcmEncoding}. Chunks may end anywhere, even inside a sample: the
     * remainder is kept for the next call. The array is not kept.
     *
     * @param pcm    encoded samples, interleaved
     * @param offset index of the first byte
     * @param length number of bytes
     * @throws IllegalStateException after {@link #finish()} or {@link #close()}
     */
    void accept(byte[] pcm, int offset, int length);

    /**
     * Ends the audio: analyses what the windows so far have not covered and delivers the last segments. Bytes of an
     * incomplete last frame are dropped. Idempotent; {@code accept} afterwards throws {@link IllegalStateException}.
     */
    void finish();

    /** {@return the next queued segment, or {@code null} if none is ready (always {@code null} with a listener)} */
    EmotionSegment poll();

    /**
     * {@return whether the session takes no more audio: {@link #finish()} was called, or {@link
     * StreamOptions#silenceStopSeconds()} of silence after speech stopped it (audio passed in afterwards is ignored)}
     */
    boolean isEnded();

    /** {@return seconds of audio accepted so far} */
    double positionSeconds();

    /** Releases the session's buffers; queued segments are dropped. Does not finish. Idempotent. */
    @Override
    void close();
}
