package io.github.ser4j.audio.codecs;

import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.UnsupportedAudioException;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One ffmpeg decoding: the input spooled to a temporary file, ffmpeg writing Sun AU (a streamable header, then
 * big-endian float PCM) to a pipe that this stream reads after the header. A watchdog kills ffmpeg when it produces
 * nothing for the stall timeout; a drain thread keeps its first 4 KB of diagnostics. {@link #close()} kills the
 * process if it still runs, waits for it, and deletes the file. Not thread-safe (one reader); close from any thread.
 */
final class FfmpegProcess extends InputStream {
    static final String PROPERTY = "ser4j.ffmpeg";
    private static final int STDERR_KEPT = 4096;

    private final Process process;
    private final Path input;
    private final InputStream stdout;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Thread drain;
    private final Thread watchdog;
    private final String container;
    private final long timeoutNanos;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean timedOut;
    private volatile boolean closed;
    private int sampleRate;
    private int channels;

    private FfmpegProcess(Process process, Path input, String container, long timeoutNanos) {
        this.process = process;
        this.input = input;
        this.container = container;
        this.timeoutNanos = timeoutNanos;
        this.stdout = process.getInputStream();
        this.drain = new Thread(this::drainStderr, "ser4j-ffmpeg-stderr");
        this.watchdog = new Thread(this::watch, "ser4j-ffmpeg-watchdog");
        drain.setDaemon(true);
        watchdog.setDaemon(true);
        drain.start();
        watchdog.start();
    }

    /** {@return the ffmpeg executable: the system property, else {@code ffmpeg} on the PATH, else null} */
    static Path executable() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isExecutable(p) ? p : null;
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, windows ? "ffmpeg.exe" : "ffmpeg");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static FfmpegProcess start(InputStream in, FfmpegAudioFileReader.Container format) throws IOException {
        String container = format.name();
        Path exe = executable();
        if (exe == null) {
            String configured = System.getProperty(PROPERTY);
            throw new UnsupportedAudioException("this is " + container + " audio, which ser4j decodes through ffmpeg, "
                    + "but " + (configured != null && !configured.isBlank() ? "the configured ffmpeg (-D" + PROPERTY
                    + "=" + configured + ") is not an executable file" : "no ffmpeg executable is on the PATH")
                    + "; install ffmpeg (e.g. apt-get install ffmpeg) or convert the file to WAV, FLAC, MP3, Ogg "
                    + "Vorbis or Opus");
        }
        long maxInput = Long.getLong(PROPERTY + ".maxInputBytes", 2L << 30);
        long timeoutSeconds = Math.max(1, Long.getLong(PROPERTY + ".timeoutSeconds", 30));
        Path tmp = Files.createTempFile("ser4j-ffmpeg-", ".input");
        boolean ok = false;
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[1 << 16];
                long total = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    total += n;
                    if (total > maxInput) {
                        throw new UnsupportedAudioException("this " + container + " input is larger than "
                                + maxInput + " bytes, the limit for decoding through ffmpeg (-D" + PROPERTY
                                + ".maxInputBytes)");
                    }
                    out.write(buf, 0, n);
                }
            }
            List<String> command = List.of(exe.toString(), "-nostdin", "-hide_banner", "-loglevel", "error",
                    "-protocol_whitelist", "file", "-f", format.demuxer(), "-i", tmp.toString(), "-map", "0:a:0", "-vn", "-sn", "-dn", "-c:a", "pcm_f32be", "-f", "au",
                    "pipe:1");
            Process process;
            try {
                process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                        .start();
            } catch (IOException e) {
                throw new UnsupportedAudioException("this is " + container + " audio, which ser4j decodes through "
                        + "ffmpeg, but " + exe + " cannot be started: " + e.getMessage(), e);
            }
            FfmpegProcess p = new FfmpegProcess(process, tmp, container, TimeUnit.SECONDS.toNanos(timeoutSeconds));
            try {
                p.readHeader();
            } catch (RuntimeException | IOException e) {
                p.close();
                throw e;
            }
            ok = true;
            return p;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
                ? "NUL" : "/dev/null");
    }

    int sampleRate() {
        return sampleRate;
    }

    int channels() {
        return channels;
    }

    /** Reads the AU header: magic, data offset, size (unknown), encoding 6 (32-bit float), rate, channels. */
    private void readHeader() throws IOException {
        byte[] h = new byte[24];
        int got = readRaw(h, 0, 24);
        if (got < 24) {
            throw failure("ffmpeg decoded nothing");
        }
        int magic = be32(h, 0);
        int offset = be32(h, 4);
        int encoding = be32(h, 12);
        sampleRate = be32(h, 16);
        channels = be32(h, 20);
        if (magic != 0x2E736E64 || encoding != 6 || offset < 24 || offset > 4096 || sampleRate < 1
                || sampleRate > io.github.ser4j.api.PcmFormat.MAX_SAMPLE_RATE || channels < 1
                || channels > io.github.ser4j.api.PcmFormat.MAX_CHANNELS) {
            throw new CorruptAudioException(container + " through ffmpeg: unexpected output header (encoding "
                    + encoding + ", " + sampleRate + " Hz, " + channels + " channels)");
        }
        byte[] skip = new byte[offset - 24];
        if (readRaw(skip, 0, skip.length) < skip.length) {
            throw failure("ffmpeg's output ends inside its header");
        }
    }

    private int readRaw(byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = stdout.read(b, off + total, len - total);
            if (n < 0) {
                break;
            }
            lastProgress = System.nanoTime();
            total += n;
        }
        return total;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            return -1;
        }
        int n = stdout.read(b, off, len);
        if (n >= 0) {
            lastProgress = System.nanoTime();
            return n;
        }
        // end of output: a clean exit, a failure, or the watchdog's kill
        int exit = waitForExit();
        if (timedOut || exit != 0) {
            throw failure("ffmpeg stopped while decoding");
        }
        return -1;
    }

    private int waitForExit() throws IOException {
        try {
            if (!process.waitFor(timeoutNanos, TimeUnit.NANOSECONDS)) {
                timedOut = true;
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            return process.isAlive() ? -1 : process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for ffmpeg");
        }
    }

    private AudioException failure(String what) throws IOException {
        int exit = waitForExit();
        try {
            drain.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (timedOut) {
            return new AudioException(container + " through ffmpeg: " + what + ": it produced no output for "
                    + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s and was killed (-D" + PROPERTY
                    + ".timeoutSeconds)");
        }
        String message;
        synchronized (stderr) {
            message = stderr.toString(StandardCharsets.UTF_8).strip();
        }
        String firstLine = message.isEmpty() ? "no message" : message.lines().findFirst().orElse("");
        return new CorruptAudioException(container + " through ffmpeg: " + what + " (exit " + exit + "): "
                + firstLine);
    }

    private void drainStderr() {
        byte[] buf = new byte[1024];
        try (InputStream err = process.getErrorStream()) {
            int n;
            while ((n = err.read(buf)) > 0) {
                synchronized (stderr) {
                    int keep = Math.min(n, STDERR_KEPT - stderr.size());
                    if (keep > 0) {
                        stderr.write(buf, 0, keep);
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone: what was kept is all there is
        }
    }

    private void watch() {
        while (!closed && process.isAlive()) {
            if (System.nanoTime() - lastProgress > timeoutNanos) {
                timedOut = true;
                process.destroyForcibly();
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            watchdog.interrupt();
            stdout.close();
        } finally {
            Files.deleteIfExists(input);
        }
    }

    private static int be32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
