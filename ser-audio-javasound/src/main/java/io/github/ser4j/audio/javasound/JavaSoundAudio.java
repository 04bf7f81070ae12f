package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioDevice;
import io.github.ser4j.api.AudioDeviceException;
import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioLimitException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.UnsupportedAudioException;
import io.github.ser4j.dsp.signal.AudioSources;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Audio input through javax.sound and ser4j's own parsers: files, streams, byte arrays, float buffers and
 * microphones as {@link AudioSource}s.
 *
 * <p>Containers are recognised from their bytes, never from the file name: WAV (PCM 8 to 32-bit, IEEE float 32/64,
 * A-law, mu-law, plain or WAVE_FORMAT_EXTENSIBLE; RIFF, RF64, BW64; any chunks before or after the samples), AIFF and
 * AIFC (NONE, twos, sowt, raw, in24, in32, fl32, fl64, ulaw, alaw), AU, and FLAC (4 to 24-bit, through jFLAC).
 * Anything else goes to the {@code javax.sound.sampled} service providers on the class path (so adding, say, an MP3
 * provider adds MP3). Samples are floats with sox's scaling (16-bit PCM divided by 32768, and so on).
 *
 * <pre>{@code
 * AudioFileInfo info = JavaSoundAudio.probe(Path.of("call.wav"));        // header only, no decoding
 * float[] mono16k = JavaSoundAudio.readMono(Path.of("call.wav"), 16000, 600);
 * try (AudioSource src = JavaSoundAudio.openMono(Path.of("long.flac"), 16000)) { ... }   // streaming
 * }</pre>
 *
 * <p>A bad header gives a typed exception naming the input and the problem when opening, before any sample is
 * returned: {@link UnsupportedAudioException} (a well-formed file of a kind not supported, a rate above 768 kHz, more
 * than 64 channels), {@link CorruptAudioException} (empty or truncated headers, zero channels, a zero sample rate,
 * sizes that run past the end of the file, garbage where a chunk should be), or {@link AudioException} (the file is
 * missing or unreadable). Damage that only decoding can find (a FLAC frame failing its CRC) is a
 * {@link CorruptAudioException} from the {@code read} that reaches it, never silence. Nothing is ever allocated by a
 * size read from the input. A file holding less audio than its header declares is read up to where it ends by
 * default; see {@link TruncationPolicy}.
 *
 * <p>Decompression bombs (a 1 MB FLAC of 10 minutes of silence on 8 channels at 192 kHz, 921.6 million samples) are
 * refused by the {@code maxSamples} forms ({@link #openMono(Path, int, long)}, {@link #openMono(InputStream, int,
 * long)}): they cap decoded samples (frames x channels at the file's own rate), from the header when it states a
 * length (WAV, AIFF, AU sizes; FLAC STREAMINFO total) and while decoding otherwise, with an
 * {@link AudioLimitException}. Mixing down and resampling happen while decoding, so a caller holds at most what it
 * keeps of the mono signal at its own rate.
 *
 * <p>Thread-safety: the class is stateless and thread-safe; each source it returns is read by one thread at a time.
 */
public final class JavaSoundAudio {
    private JavaSoundAudio() {
    }

    /**
     * Opens an audio file in its own format (rate and channels), streaming.
     *
     * @param path the file
     * @return a source over it, knowing its {@link AudioSource#frameLength() frameLength} for uncompressed formats
     * @throws UnsupportedAudioException if it is not audio ser4j can decode
     * @throws CorruptAudioException     if it is damaged
     * @throws AudioException            if it cannot be read
     */
    public static AudioSource open(Path path) {
        return open(path, TruncationPolicy.READ_AVAILABLE);
    }

    /**
     * Opens an audio file, choosing what a file shorter than its header declares means.
     *
     * @param path   the file
     * @param policy read what is there (default), or reject it
     * @return a source over it
     * @throws UnsupportedAudioException if it is not audio ser4j can decode
     * @throws CorruptAudioException     if it is damaged (including, under {@link TruncationPolicy#REJECT}, shorter
     *                                   than declared)
     * @throws AudioException            if it cannot be read
     */
    public static AudioSource open(Path path, TruncationPolicy policy) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(policy, "policy");
        return Decoders.open(Decoders.of(path), policy);
    }

    /**
     * Opens encoded audio from a stream. The source takes ownership of {@code in} and closes it (also when opening
     * fails). A WAV whose {@code data} chunk precedes its {@code fmt } chunk cannot be read from a stream.
     *
     * @param in the encoded bytes
     * @return a source over them, with an unknown {@link AudioSource#frameLength() frameLength}
     * @throws UnsupportedAudioException if they are not audio ser4j can decode
     * @throws CorruptAudioException     if they are damaged
     * @throws AudioException            if the stream fails
     */
    public static AudioSource open(InputStream in) {
        return open(in, TruncationPolicy.READ_AVAILABLE);
    }

    /**
     * Opens encoded audio from a stream, choosing what a stream shorter than its header declares means.
     *
     * @param in     the encoded bytes; owned and closed by the source
     * @param policy read what is there (default), or reject it (the {@code read} reaching the early end throws)
     * @return a source over them
     * @throws UnsupportedAudioException if they are not audio ser4j can decode
     * @throws CorruptAudioException     if they are damaged
     * @throws AudioException            if the stream fails
     */
    public static AudioSource open(InputStream in, TruncationPolicy policy) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(policy, "policy");
        return Decoders.open(Decoders.of(in), policy);
    }

    /**
     * Opens encoded audio held in memory. The array is copied: later changes do not affect the source.
     *
     * @param encoded the bytes of a WAV, AIFF, AU, FLAC... file
     * @return a source over them
     * @throws UnsupportedAudioException if they are not audio ser4j can decode
     * @throws CorruptAudioException     if they are damaged
     */
    public static AudioSource open(byte[] encoded) {
        return open(encoded, TruncationPolicy.READ_AVAILABLE);
    }

    /**
     * Opens encoded audio held in memory, choosing what a file shorter than its header declares means.
     *
     * @param encoded the bytes; copied
     * @param policy  read what is there (default), or reject it
     * @return a source over them
     * @throws UnsupportedAudioException if they are not audio ser4j can decode
     * @throws CorruptAudioException     if they are damaged
     */
    public static AudioSource open(byte[] encoded, TruncationPolicy policy) {
        Objects.requireNonNull(encoded, "encoded");
        Objects.requireNonNull(policy, "policy");
        return Decoders.open(Decoders.of(encoded), policy);
    }

    /**
     * Wraps mono samples already in memory ({@link AudioSource#of(float[], int)}); the array is copied.
     *
     * @param samples    mono samples, nominally in [-1, 1]
     * @param sampleRate their rate in Hz
     * @return a source delivering them once
     */
    public static AudioSource of(float[] samples, int sampleRate) {
        return AudioSource.of(samples, sampleRate);
    }

    /**
     * Opens an audio file as mono at {@code sampleRate}: mixed down (mean of the channels) and resampled on the fly
     * with ser-dsp's band-limited {@link io.github.ser4j.dsp.signal.Resampler}.
     *
     * @param path       the file
     * @param sampleRate the rate wanted, in Hz
     * @return a streaming mono source
     * @throws UnsupportedAudioException if it is not audio ser4j can decode
     * @throws CorruptAudioException     if it is damaged
     * @throws AudioException            if it cannot be read
     * @throws IllegalArgumentException  if the rate cannot be resampled to
     */
    public static AudioSource openMono(Path path, int sampleRate) {
        return mono(open(path), sampleRate);
    }

    /**
     * Opens encoded audio from a stream as mono at {@code sampleRate}. Takes ownership of {@code in}.
     *
     * @param in         the encoded bytes
     * @param sampleRate the rate wanted, in Hz
     * @return a streaming mono source
     * @throws UnsupportedAudioException if they are not audio ser4j can decode
     * @throws CorruptAudioException     if they are damaged
     * @throws AudioException            if the stream fails
     * @throws IllegalArgumentException  if the rate cannot be resampled to
     */
    public static AudioSource openMono(InputStream in, int sampleRate) {
        return mono(open(in), sampleRate);
    }

    /**
     * Opens encoded audio held in memory as mono at {@code sampleRate}; the array is copied.
     *
     * @param encoded    the bytes of a WAV, AIFF, AU, FLAC... file
     * @param sampleRate the rate wanted, in Hz
     * @return a streaming mono source
     * @throws UnsupportedAudioException if they are not audio ser4j can decode
     * @throws CorruptAudioException     if they are damaged
     * @throws IllegalArgumentException  if the rate cannot be resampled to
     */
    public static AudioSource openMono(byte[] encoded, int sampleRate) {
        return mono(open(encoded), sampleRate);
    }

    /**
     * Brings any source to mono at {@code sampleRate} ({@link AudioSources#monoAt(AudioSource, int)}).
     *
     * @param source     a source; owned by the result
     * @param sampleRate the rate wanted, in Hz
     * @return {@code source} itself when already mono at that rate, else a streaming converter
     * @throws IllegalArgumentException if the rate cannot be resampled to
     */
    public static AudioSource mono(AudioSource source, int sampleRate) {
        try {
            return AudioSources.monoAt(source, sampleRate);
        } catch (RuntimeException e) {
            closeQuietly(source);
            throw e;
        }
    }

    /**
     * Opens an audio file as a bounded stream of mono samples at {@code sampleRate}: decoded, mixed down and
     * resampled chunk by chunk, refusing inputs that hold more than {@code maxSamples} decoded samples (frames x
     * channels at the file's own rate): at once when the header states the length, else by the {@code read} that
     * passes the limit. Memory stays a few chunks whatever the file holds.
     *
     * @param path       the file
     * @param sampleRate the rate wanted, in Hz
     * @param maxSamples the most decoded samples (frames x channels) accepted, positive
     * @return a streaming mono source
     * @throws AudioLimitException       (here or from {@code read}) if the file holds more than {@code maxSamples}
     * @throws UnsupportedAudioException if it is not audio ser4j can decode
     * @throws CorruptAudioException     if it is damaged
     * @throws AudioException            if it cannot be read
     * @throws IllegalArgumentException  if the rate cannot be resampled to or {@code maxSamples} is not positive
     */
    public static AudioSource openMono(Path path, int sampleRate, long maxSamples) {
        checkMaxSamples(maxSamples);
        return mono(limit(open(path), maxSamples), sampleRate);
    }

    /**
     * Opens encoded audio from a stream as a bounded stream of mono samples at {@code sampleRate}, like
     * {@link #openMono(Path, int, long)}. Takes ownership of {@code in}.
     *
     * @param in         the encoded bytes
     * @param sampleRate the rate wanted, in Hz
     * @param maxSamples the most decoded samples (frames x channels) accepted, positive
     * @return a streaming mono source
     * @throws AudioLimitException       (here or from {@code read}) if the audio holds more than {@code maxSamples}
     * @throws UnsupportedAudioException if it is not audio ser4j can decode
     * @throws CorruptAudioException     if it is damaged
     * @throws AudioException            if the stream fails
     * @throws IllegalArgumentException  if the rate cannot be resampled to or {@code maxSamples} is not positive
     */
    public static AudioSource openMono(InputStream in, int sampleRate, long maxSamples) {
        checkMaxSamples(maxSamples);
        return mono(limit(open(in), maxSamples), sampleRate);
    }

    /**
     * Caps a source's decoded samples ({@link AudioSources#limit(AudioSource, long)}), refusing at once a FLAC stream
     * whose STREAMINFO declares more.
     *
     * @param source     a source; owned by the result (closed if this method throws)
     * @param maxSamples the most decoded samples (frames x channels) accepted, positive
     * @return the capped source
     * @throws AudioLimitException if the source declares more than {@code maxSamples}
     */
    public static AudioSource limit(AudioSource source, long maxSamples) {
        checkMaxSamples(maxSamples);
        if (source instanceof FlacSource flac && flac.declaredFrames() > maxSamples / source.format().channels()) {
            closeQuietly(source);
            throw new AudioLimitException(flac + ": its STREAMINFO declares " + flac.declaredFrames() + " frames of "
                    + source.format().channels() + " channel(s) at " + source.format().sampleRate() + " Hz ("
                    + flac.declaredFrames() * source.format().channels() + " decoded samples), more than the limit of "
                    + maxSamples + " decoded samples (frames x channels)");
        }
        return AudioSources.limit(source, maxSamples);
    }

    private static void checkMaxSamples(long maxSamples) {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples must be positive, got " + maxSamples);
        }
    }

    /**
     * Reads a whole audio file as mono samples at {@code sampleRate}, refusing files longer than
     * {@code maxSeconds} (a guard against exhausting memory).
     *
     * @param path       the file
     * @param sampleRate the rate wanted, in Hz
     * @param maxSeconds the longest audio accepted, in seconds, positive
     * @return the samples
     * @throws UnsupportedAudioException if it is not audio ser4j can decode
     * @throws CorruptAudioException     if it is damaged
     * @throws AudioException            if it cannot be read or is longer than {@code maxSeconds}
     * @throws IllegalArgumentException  if the rate cannot be resampled to or {@code maxSeconds} is not positive
     */
    public static float[] readMono(Path path, int sampleRate, double maxSeconds) {
        if (!(maxSeconds > 0)) {
            throw new IllegalArgumentException("maxSeconds must be positive, got " + maxSeconds);
        }
        long maxFrames = (long) Math.min(Integer.MAX_VALUE - 8, Math.ceil(maxSeconds * sampleRate));
        try (AudioSource source = open(path)) {
            return AudioSources.readAllMono(source, sampleRate, maxFrames);
        } catch (IOException e) {
            throw new AudioException(path + ": cannot close: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a file's header: container, encoding, rate, channels, bits, frames and duration, without decoding the
     * samples. For uncompressed formats the frame count is what decoding delivers (checked against the file's
     * length); for FLAC it is the STREAMINFO total.
     *
     * @param path the file
     * @return what it is
     * @throws UnsupportedAudioException if it is not audio ser4j can decode
     * @throws CorruptAudioException     if its header is damaged
     * @throws AudioException            if it cannot be read
     */
    public static AudioFileInfo probe(Path path) {
        Objects.requireNonNull(path, "path");
        return Decoders.probe(Decoders.of(path));
    }

    /**
     * Reads the header of encoded audio held in memory, like {@link #probe(Path)}.
     *
     * @param encoded the bytes of a WAV, AIFF, AU, FLAC... file; not modified
     * @return what it is
     * @throws UnsupportedAudioException if it is not audio ser4j can decode
     * @throws CorruptAudioException     if its header is damaged
     */
    public static AudioFileInfo probe(byte[] encoded) {
        Objects.requireNonNull(encoded, "encoded");
        return Decoders.probe(Decoders.of(encoded));
    }

    /**
     * Opens a capture device with the default buffer (10 s) and stall timeout (3 s); see
     * {@link MicrophoneSource#builder()} for the others.
     *
     * @param deviceName a name from {@link #inputDevices()}, or null for the system default
     * @param sampleRate the rate to deliver, in Hz (mono)
     * @return the live source; close it to release the device
     * @throws AudioDeviceException if the device is missing (the message lists those available), busy, or refuses
     *                              every format tried
     */
    public static MicrophoneSource microphone(String deviceName, int sampleRate) {
        return MicrophoneSource.builder().device(deviceName).sampleRate(sampleRate).open();
    }

    /** {@return the capture devices javax.sound can see (empty where there are none, e.g. on a headless server)} */
    public static List<AudioDevice> inputDevices() {
        return Devices.list();
    }

    private static void closeQuietly(AudioSource source) {
        try {
            source.close();
        } catch (IOException | RuntimeException ignored) {
            // already failing: the first exception is what matters
        }
    }
}
