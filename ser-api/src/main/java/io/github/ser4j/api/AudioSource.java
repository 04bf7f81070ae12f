package io.github.ser4j.api;

import io.github.ser4j.api.spi.AudioInputProvider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A pull-based reader of float PCM: files, streams, buffers and microphones all look like this to a recogniser.
 *
 * <p>Samples are 32-bit floats, nominally in [-1, 1], interleaved by channel ({@link #format()}). To feed your own
 * audio, implement {@link #format()}, {@link #read(float[], int, int)} and {@link #close()}; or wrap a buffer with
 * {@link #of(float[], int)}. To read files and devices, add an audio backend such as {@code ser-audio-javasound} to
 * the class path and call {@link #open(Path)}, {@link #open(InputStream)} or {@link #microphone(String, int)}.
 *
 * <p>Thread-safety: an {@code AudioSource} is read by one thread at a time; implementations need not be thread-safe.
 * {@link #close()} may be called from another thread to stop a blocking read (live sources then return end of
 * stream), and calling it twice is harmless.
 */
public interface AudioSource extends AutoCloseable {

    /** {@return the format of the samples {@link #read(float[], int, int)} delivers; constant for the source's life} */
    PcmFormat format();

    /**
     * Reads up to {@code frames} frames of interleaved samples into {@code buffer}, blocking until at least one frame
     * is available or the source ends.
     *
     * @param buffer destination; {@code frames * format().channels()} samples are written from {@code offset}
     * @param offset index in {@code buffer} of the first sample written
     * @param frames maximum number of frames to read, at least 1
     * @return the number of frames read (at least 1), or -1 at the end of the source
     * @throws IOException               if the underlying stream or device fails
     * @throws CorruptAudioException     if the audio turns out to be damaged
     * @throws IllegalArgumentException  if the range does not fit in {@code buffer}
     */
    int read(float[] buffer, int offset, int frames) throws IOException;

    /**
     * {@return the total number of frames this source will deliver, or -1 when not known in advance (streams,
     * microphones)}
     */
    default long frameLength() {
        return -1;
    }

    /**
     * {@return the frames the container's header declares, or -1 when it declares none (streams, placeholder sizes,
     * compressed formats). Greater than the frames delivered when the file is shorter than its header says: such a
     * truncated file is read as far as it goes.}
     */
    default long declaredFrameLength() {
        return -1;
    }

    /** Releases the file, stream or device. Idempotent. */
    @Override
    void close() throws IOException;

    /**
     * Wraps a mono buffer. The array is copied, so later changes by the caller do not affect the source.
     *
     * @param samples    mono samples, nominally in [-1, 1]
     * @param sampleRate their rate in Hz
     * @return a source that delivers the samples once
     */
    static AudioSource of(float[] samples, int sampleRate) {
        return of(samples, PcmFormat.mono(sampleRate));
    }

    /**
     * Wraps an interleaved buffer. The array is copied, so later changes by the caller do not affect the source.
     *
     * @param samples interleaved samples; length a multiple of {@code format.channels()}
     * @param format  their format
     * @return a source that delivers the samples once
     */
    static AudioSource of(float[] samples, PcmFormat format) {
        return new FloatArrayAudioSource(samples.clone(), format);
    }

    /**
     * Opens an audio file through the audio backend on the class path. The container is recognised from the file's
     * bytes, not its name.
     *
     * @param path the file
     * @return a source delivering the file's samples in its own format
     * @throws UnsupportedAudioException if no backend can decode it
     * @throws CorruptAudioException     if it is damaged
     * @throws BackendNotFoundException  if no audio backend is on the class path
     */
    static AudioSource open(Path path) {
        return Backends.audio().open(path);
    }

    /**
     * Opens encoded audio (a WAV, AIFF, FLAC… byte stream) through the audio backend on the class path. The source
     * takes ownership of {@code in} and closes it.
     *
     * @param in the encoded bytes
     * @return a source delivering the stream's samples in its own format
     * @throws UnsupportedAudioException if no backend can decode it
     * @throws CorruptAudioException     if it is damaged
     * @throws BackendNotFoundException  if no audio backend is on the class path
     */
    static AudioSource open(InputStream in) {
        return Backends.audio().open(in);
    }

    /**
     * Opens a capture device.
     *
     * @param deviceName a name from {@link #inputDevices()}, or {@code null} for the system default
     * @param sampleRate the rate to deliver (the backend resamples if the device cannot)
     * @return a live mono source; it ends when closed or when the device goes away
     * @throws AudioDeviceException     if the device is missing or refuses every usable format
     * @throws BackendNotFoundException if no audio backend is on the class path
     */
    static AudioSource microphone(String deviceName, int sampleRate) {
        return Backends.audio().microphone(deviceName, sampleRate);
    }

    /**
     * @return the capture devices the audio backend can see (empty where there are none)
     * @throws BackendNotFoundException if no audio backend is on the class path
     */
    static List<AudioDevice> inputDevices() {
        return Backends.audio().inputDevices();
    }

    /** {@return the audio backend {@link #open(Path)} and friends use, for callers who want to check it} */
    static AudioInputProvider backend() {
        return Backends.audio();
    }
}
