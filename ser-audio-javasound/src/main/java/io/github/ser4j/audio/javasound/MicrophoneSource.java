package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioDevice;
import io.github.ser4j.api.AudioDeviceException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.dsp.signal.AudioSources;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.TargetDataLine;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Live mono audio from a capture device ({@link TargetDataLine}), at the rate asked for.
 *
 * <p>The device is opened in a format it accepts (the requested rate if it can, else a common one; see
 * {@link #deviceFormat()}). A daemon thread reads it in 10 ms chunks, mixes them down to mono and writes them into a
 * bounded ring buffer ({@link Builder#bufferSeconds(double) bufferSeconds}, 10 s by default); {@link #read} takes from
 * the ring on the caller's thread and resamples with ser-dsp's {@link io.github.ser4j.dsp.signal.Resampler} when the
 * device rate differs. When the reader falls behind by more than the buffer, the oldest audio is dropped and counted
 * ({@link #droppedFrames()}): the capture thread never blocks and memory never grows.
 *
 * <p>The source ends (read returns -1, after what was captured has been read) when it is closed or when the device
 * fails: unplugged, closed by the system, or silent for {@link Builder#stallTimeoutSeconds(double)
 * stallTimeoutSeconds} (3 s by default). {@link #failure()} then says what happened.
 *
 * <pre>{@code
 * try (MicrophoneSource mic = MicrophoneSource.builder().sampleRate(16000).open()) {
 *     float[] buf = new float[1600];
 *     int n = mic.read(buf, 0, buf.length);   // blocks until audio arrives
 * }
 * }</pre>
 *
 * <p>Thread-safety: read from one thread at a time; {@link #close()}, {@link #droppedFrames()},
 * {@link #failure()} and {@link #isCapturing()} may be called from any thread. {@link #close()} stops the capture
 * thread promptly (it waits at most a second for it) and a blocked {@code read} then returns -1.
 */
public final class MicrophoneSource implements AudioSource {
    private static final int CHUNK_MS = 10;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final AudioDevice device;
    private final PcmFormat format;
    private final PcmFormat deviceFormat;
    private final TargetDataLine line;
    private final FloatRingBuffer ring;
    private final long stallNanos;
    private final Thread thread;
    private final AudioSource delivered;
    private volatile boolean stopping;
    private volatile AudioDeviceException failure;
    private volatile long lastAudioNanos;

    private MicrophoneSource(Builder b) {
        Devices.Opened opened = Devices.open(b.device, b.sampleRate, 200);
        this.line = opened.line();
        this.device = opened.device();
        AudioFormat f = opened.format();
        this.deviceFormat = new PcmFormat(Math.round(f.getSampleRate()), f.getChannels());
        this.format = PcmFormat.mono(b.sampleRate);
        this.ring = new FloatRingBuffer((int) Math.min(1 << 30, Math.ceil(b.bufferSeconds * deviceFormat.sampleRate())));
        this.stallNanos = (long) (b.stallTimeoutSeconds * 1e9);
        this.lastAudioNanos = System.nanoTime();
        PcmCodec codec = Decoders.codecFor(f);
        if (codec == null) {
            line.close();
            throw new AudioDeviceException("device '" + device.name() + "' opened in " + f + ", which cannot be decoded");
        }
        AudioSource raw = new RingSource();
        this.delivered = deviceFormat.sampleRate() == b.sampleRate ? raw : AudioSources.monoAt(raw, b.sampleRate);
        this.thread = new Thread(() -> capture(codec, f.getFrameSize()), "ser4j-capture " + device.name());
        thread.setDaemon(true);
        try {
            line.start();
        } catch (RuntimeException e) {
            line.close();
            throw new AudioDeviceException("device '" + device.name() + "' would not start: " + e, e);
        }
        thread.start();
    }

    /** {@return a builder: the default device, 16 kHz, a 10 s buffer, a 3 s stall timeout} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the device capturing} */
    public AudioDevice device() {
        return device;
    }

    /** {@return mono at the requested rate} */
    @Override
    public PcmFormat format() {
        return format;
    }

    /** {@return the format the device delivers, before mixing down and resampling} */
    public PcmFormat deviceFormat() {
        return deviceFormat;
    }

    /** {@return -1: a live source has no known length} */
    @Override
    public long frameLength() {
        return -1;
    }

    @Override
    public int read(float[] buffer, int offset, int frames) throws IOException {
        return delivered.read(buffer, offset, frames);
    }

    /** {@return frames (at the device rate) dropped because the reader fell behind by more than the buffer} */
    public long droppedFrames() {
        return ring.droppedSamples();
    }

    /** {@return why capture stopped on its own (device unplugged, failed or silent), if it did} */
    public Optional<AudioDeviceException> failure() {
        return Optional.ofNullable(failure);
    }

    /** {@return true while the capture thread runs (not closed, no failure)} */
    public boolean isCapturing() {
        return thread.isAlive() && !stopping;
    }

    /** Stops capture, releases the device and ends the stream. Idempotent; any thread. */
    @Override
    public void close() {
        stopping = true;
        stopLine();
        ring.close();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void stopLine() {
        try {
            line.stop();
            line.close(); // unblocks a read in progress
        } catch (RuntimeException ignored) {
            // a device that is already gone may complain while being closed
        }
    }

    private void fail(String why, Throwable cause) {
        if (!stopping && failure == null) {
            failure = new AudioDeviceException("capture device '" + device.name() + "' " + why, cause);
        }
        stopping = true;
        stopLine();
        ring.close();
    }

    /** The capture thread: device bytes to mono floats into the ring. Allocates only before its loop. */
    private void capture(PcmCodec codec, int frameBytes) {
        int channels = deviceFormat.channels();
        int chunkFrames = Math.max(1, deviceFormat.sampleRate() * CHUNK_MS / 1000);
        byte[] bytes = new byte[chunkFrames * frameBytes];
        float[] interleaved = new float[chunkFrames * channels];
        float[] mono = new float[chunkFrames];
        float inv = 1f / channels;
        try {
            while (!stopping) {
                int n;
                try {
                    n = line.read(bytes, 0, bytes.length);
                } catch (RuntimeException e) {
                    fail("failed while recording (unplugged?): " + e, e);
                    return;
                }
                if (stopping) {
                    return;
                }
                int frames = n / frameBytes;
                if (frames <= 0) {
                    if (!line.isOpen()) {
                        fail("was closed or unplugged while recording", null);
                        return;
                    }
                    if (System.nanoTime() - lastAudioNanos > stallNanos) {
                        fail("delivered no audio for " + stallNanos / 1_000_000 + " ms (unplugged?)", null);
                        return;
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(CHUNK_MS) / 2);
                    continue;
                }
                lastAudioNanos = System.nanoTime();
                codec.decode(bytes, 0, interleaved, 0, frames * channels);
                if (channels == 1) {
                    ring.write(interleaved, 0, frames);
                } else {
                    for (int i = 0, j = 0; i < frames; i++) {
                        float sum = 0;
                        for (int c = 0; c < channels; c++) {
                            sum += interleaved[j++];
                        }
                        mono[i] = sum * inv;
                    }
                    ring.write(mono, 0, frames);
                }
            }
        } catch (RuntimeException | Error e) {
            fail("capture failed: " + e, e);
        } finally {
            ring.close();
        }
    }

    /** Mono at the device rate, from the ring; watches for a device that stops delivering. */
    private final class RingSource implements AudioSource {
        @Override
        public PcmFormat format() {
            return PcmFormat.mono(deviceFormat.sampleRate());
        }

        @Override
        public int read(float[] buffer, int offset, int frames) {
            PcmStreamSource.checkRange(buffer, offset, frames, 1);
            while (true) {
                int n = ring.read(buffer, offset, frames, POLL_NANOS);
                if (n != 0) {
                    return n;
                }
                if (!stopping && System.nanoTime() - lastAudioNanos > stallNanos) {
                    // the capture thread may be stuck inside the driver: give up on the device
                    fail("delivered no audio for " + stallNanos / 1_000_000 + " ms (unplugged?)", null);
                }
            }
        }

        @Override
        public void close() {
            MicrophoneSource.this.close();
        }
    }

    @Override
    public String toString() {
        return "microphone '" + device.name() + "' (" + Devices.describe(line.getFormat()) + " -> " + format + ")";
    }

    /** Settings for {@link MicrophoneSource}; mutable, not thread-safe. */
    public static final class Builder {
        private String device;
        private int sampleRate = 16000;
        private double bufferSeconds = 10;
        private double stallTimeoutSeconds = 3;

        private Builder() {
        }

        /**
         * @param name a name from {@link JavaSoundAudio#inputDevices()}, or null for the system default (the default)
         * @return this builder
         */
        public Builder device(String name) {
            this.device = name;
            return this;
        }

        /**
         * @param hz the rate to deliver, 1000 to {@value PcmFormat#MAX_SAMPLE_RATE} (default 16000)
         * @return this builder
         */
        public Builder sampleRate(int hz) {
            if (hz < 1000 || hz > PcmFormat.MAX_SAMPLE_RATE) {
                throw new IllegalArgumentException("sampleRate must be 1000.." + PcmFormat.MAX_SAMPLE_RATE
                        + " Hz, got " + hz);
            }
            this.sampleRate = hz;
            return this;
        }

        /**
         * @param seconds how much unread audio the ring keeps before dropping the oldest, 0.1 to 600 (default 10)
         * @return this builder
         */
        public Builder bufferSeconds(double seconds) {
            if (!(seconds >= 0.1 && seconds <= 600)) {
                throw new IllegalArgumentException("bufferSeconds must be in [0.1, 600], got " + seconds);
            }
            this.bufferSeconds = seconds;
            return this;
        }

        /**
         * @param seconds how long a device may deliver nothing before it is taken for gone, 0.2 to 60 (default 3)
         * @return this builder
         */
        public Builder stallTimeoutSeconds(double seconds) {
            if (!(seconds >= 0.2 && seconds <= 60)) {
                throw new IllegalArgumentException("stallTimeoutSeconds must be in [0.2, 60], got " + seconds);
            }
            this.stallTimeoutSeconds = seconds;
            return this;
        }

        /**
         * Opens the device and starts capturing.
         *
         * @return the live source; close it to release the device
         * @throws AudioDeviceException if the device is missing (the message lists those available), busy, or
         *                              refuses every format tried
         */
        public MicrophoneSource open() {
            return new MicrophoneSource(this);
        }
    }
}
