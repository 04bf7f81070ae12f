package io.github.ser4j.audio.codecs;

import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.UnsupportedAudioException;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A javax.sound reader that decodes M4A/MP4 (AAC, ALAC), WebM/Matroska, ADTS AAC, ASF/WMA, AMR and CAF through an
 * {@code ffmpeg} executable, when one is installed. It recognises those containers from their first bytes, copies
 * the input to a temporary file (MP4 may need to seek), and reads ffmpeg's decoded 32-bit float PCM of the first
 * audio stream from a pipe: no shell (an argument list), no standard input, only the {@code file} protocol and the
 * demuxer of the recognised container (a file cannot make ffmpeg open a URL), its diagnostics kept to 4 KB, a stall
 * timeout, and the process killed and the file deleted on close.
 *
 * <p>Configuration (system properties): {@code ser4j.ffmpeg} the executable (default: {@code ffmpeg} on the
 * {@code PATH}); {@code ser4j.ffmpeg.timeoutSeconds} how long ffmpeg may produce no output before it is killed
 * (default 30); {@code ser4j.ffmpeg.maxInputBytes} the largest input copied (default 2 GiB).
 *
 * <p>Errors: without ffmpeg, a recognised container gives {@link UnsupportedAudioException} naming the container and
 * how to install ffmpeg; ffmpeg refusing the data gives {@link CorruptAudioException} with its first message line; a
 * stall gives {@link AudioException}. Stateless and thread-safe.
 */
public final class FfmpegAudioFileReader extends OwnedInputAudioFileReader {
    private static final int SNIFF = 16;

    /** Creates the reader; called by {@link java.util.ServiceLoader}. */
    public FfmpegAudioFileReader() {
    }

    /**
     * A container recognised from its first bytes.
     *
     * @param name    what to call it in messages
     * @param demuxer the ffmpeg demuxer forced for it, so that ffmpeg does not guess another format from the bytes
     */
    record Container(String name, String demuxer) {
    }

    /** {@return the container the first bytes announce, or null when it is none of those decoded through ffmpeg} */
    static Container sniff(byte[] b, int n) {
        if (n >= 8 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            return new Container("MP4/M4A", "mov");
        }
        if (n >= 4 && (b[0] & 0xFF) == 0x1A && (b[1] & 0xFF) == 0x45 && (b[2] & 0xFF) == 0xDF
                && (b[3] & 0xFF) == 0xA3) {
            return new Container("WebM/Matroska", "matroska");
        }
        if (n >= 8 && (b[0] & 0xFF) == 0x30 && (b[1] & 0xFF) == 0x26 && (b[2] & 0xFF) == 0xB2
                && (b[3] & 0xFF) == 0x75) {
            return new Container("ASF/WMA", "asf");
        }
        if (n >= 5 && b[0] == '#' && b[1] == '!' && b[2] == 'A' && b[3] == 'M' && b[4] == 'R') {
            return new Container("AMR", "amr");
        }
        if (n >= 4 && b[0] == 'c' && b[1] == 'a' && b[2] == 'f' && b[3] == 'f') {
            return new Container("CAF", "caf");
        }
        if (n >= 7 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xF6) == 0xF0 && ((b[2] >> 2) & 0xF) < 13) {
            return new Container("AAC (ADTS)", "aac");
        }
        return null;
    }

    @Override
    public AudioFileFormat getAudioFileFormat(InputStream stream) throws UnsupportedAudioFileException, IOException {
        try (AudioInputStream ais = getAudioInputStream(stream)) {
            return new AudioFileFormat(new AudioFileFormat.Type("ffmpeg", ""), ais.getFormat(),
                    AudioSystem.NOT_SPECIFIED);
        }
    }

    @Override
    public AudioInputStream getAudioInputStream(InputStream stream) throws UnsupportedAudioFileException, IOException {
        byte[] head = peek(stream, SNIFF);
        Container container = sniff(head, head.length);
        if (container == null) {
            throw new UnsupportedAudioFileException("not a container decoded through ffmpeg");
        }
        FfmpegProcess p = FfmpegProcess.start(stream, container);
        AudioFormat f = new AudioFormat(AudioFormat.Encoding.PCM_FLOAT, p.sampleRate(), 32, p.channels(),
                4 * p.channels(), p.sampleRate(), true, Map.of("ser4j.codec", container.name() + " (ffmpeg)"));
        return new AudioInputStream(p, f, AudioSystem.NOT_SPECIFIED);
    }
}
