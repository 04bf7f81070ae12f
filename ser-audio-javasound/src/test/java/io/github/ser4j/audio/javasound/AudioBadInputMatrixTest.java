package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioLimitException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.UnsupportedAudioException;
import io.github.ser4j.api.testing.BadInputMatrix;
import io.github.ser4j.api.testing.FlacSilence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.github.ser4j.api.testing.BadInputMatrix.row;

/**
 * The audio rows of the bad-input matrix (docs/BAD_INPUT_MATRIX.md), each built byte by byte: the exact exception
 * type and the words of the message that name the problem. {@link BadInputTest} covers more variants of several rows
 * (every container, the allocation bound); the fuzzer's regression inputs are rows here too.
 */
class AudioBadInputMatrixTest {
    @TempDir
    static Path dir;

    static Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] fuzzInput(String name) {
        try {
            return Files.readAllBytes(Path.of(AudioBadInputMatrixTest.class.getResource(
                    "AudioDecoderFuzzTestInputs/decode/" + name).toURI()));
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static float[] readAll(AudioSource src) throws IOException {
        return TestAudio.readAll(src, 4096);
    }

    @BeforeAll
    static void check() {
        // the fuzz regression inputs these rows use are committed
        fuzzInput("crash-ffb34d4d55c43fae82394e16bfc187bbc7e7d18d");
        fuzzInput("timeout-ef8805cd9bc4538ca00c341cca438273d8907c1c");
    }

    static Stream<BadInputMatrix> rows() {
        byte[] data = Bytes.ramp16(10);
        byte[] fmt = Bytes.fmt(1, 1, 16000, 2, 16).build();
        List<BadInputMatrix> rows = new ArrayList<>();
        rows.add(row("A01", "0-byte file `empty.wav`", CorruptAudioException.class,
                () -> JavaSoundAudio.open(write("empty.wav", new byte[0])), "empty.wav", "empty (0 bytes)"));
        rows.add(row("A02", "a text file named `notes.wav`", UnsupportedAudioException.class,
                () -> JavaSoundAudio.open(write("notes.wav", "Hello, not audio\n".getBytes(StandardCharsets.UTF_8))),
                "notes.wav", "not a recognised audio file", "Hello, not"));
        rows.add(row("A03", "WAV cut after 11 bytes (inside the RIFF header)", CorruptAudioException.class,
                () -> JavaSoundAudio.open(write("cut11.wav", Arrays.copyOf(Bytes.goodWav(100), 11))), "cut11.wav",
                "only 11 bytes"));
        rows.add(row("A04", "WAV cut after 30 bytes (inside `fmt `)", CorruptAudioException.class,
                () -> JavaSoundAudio.open(write("cut30.wav", Arrays.copyOf(Bytes.goodWav(100), 30))), "cut30.wav",
                "'fmt ' chunk", "only 10 remain"));
        rows.add(row("A05", "`data` declares 2000 bytes, 200 present, `TruncationPolicy.REJECT`",
                CorruptAudioException.class, () -> JavaSoundAudio.open(write("crashed.wav", Bytes.riff(fmt,
                        Bytes.chunk("data", 2000, Bytes.ramp16(100)))), TruncationPolicy.REJECT), "2000", "200"));
        rows.add(row("A06", "WAV with 0 channels", CorruptAudioException.class, () -> JavaSoundAudio.open(
                write("zero.wav", Bytes.riff(Bytes.fmt(1, 0, 16000, 2, 16).build(), Bytes.chunk("data", 20, data)))),
                "0 channels"));
        rows.add(row("A07", "WAV at 0 Hz", CorruptAudioException.class, () -> JavaSoundAudio.open(write("r0.wav",
                Bytes.riff(Bytes.fmt(1, 1, 0, 2, 16).build(), Bytes.chunk("data", 20, data)))), "0 Hz"));
        rows.add(row("A08", "WAV at 10 MHz", UnsupportedAudioException.class, () -> JavaSoundAudio.open(
                write("r10M.wav", Bytes.riff(Bytes.fmt(1, 1, 10_000_000, 2, 16).build(),
                        Bytes.chunk("data", 20, data)))), "10000000 Hz", "768000"));
        rows.add(row("A09", "WAV with 65 channels", UnsupportedAudioException.class, () -> JavaSoundAudio.open(
                write("many.wav", Bytes.riff(Bytes.fmt(1, 65, 16000, 130, 16).build(),
                        Bytes.chunk("data", 20, data)))), "65 channels"));
        rows.add(row("A10", "a `LIST` chunk declaring 4 GB in a 100-byte file", CorruptAudioException.class,
                () -> JavaSoundAudio.open(write("list4g.wav", Bytes.riff(fmt, Bytes.chunk("LIST", 0xFFFFFFF0L,
                        new byte[16]), Bytes.chunk("data", 100, Bytes.ramp16(50))))), "'LIST'", "4294967280"));
        rows.add(row("A11", "`data` declaring 4 GB, 100 bytes present, `REJECT`", CorruptAudioException.class,
                () -> JavaSoundAudio.open(Bytes.riff(fmt, Bytes.chunk("data", 0xFFFFFFFEL, Bytes.ramp16(50))),
                        TruncationPolicy.REJECT), "4294967294"));
        rows.add(row("A12", "WAV format tag 0x0002 (MS ADPCM)", UnsupportedAudioException.class,
                () -> JavaSoundAudio.open(write("adpcm.wav", Bytes.riff(Bytes.fmt(2, 1, 16000, 2, 16).build(),
                        Bytes.chunk("data", 20, data)))), "0x0002", "ADPCM"));
        rows.add(row("A13", "WAV `blockAlign` 3 for 2 channels of 16 bits", CorruptAudioException.class,
                () -> JavaSoundAudio.open(write("align.wav", Bytes.riff(Bytes.fmt(1, 2, 16000, 3, 16).build(),
                        Bytes.chunk("data", 20, data)))), "blockAlign"));
        rows.add(row("A14", "WAV without a `data` chunk", CorruptAudioException.class,
                () -> JavaSoundAudio.open(write("nodata.wav", Bytes.riff(fmt))), "no 'data' chunk"));
        rows.add(row("A15", "AU whose header size is 4 GB", CorruptAudioException.class,
                () -> JavaSoundAudio.open(write("hdr4g.au", Bytes.au(0xFFFFFFF0L, 100, 3, 16000, 1, data))),
                "header size"));
        rows.add(row("A16", "AU encoding 23 (G.721 ADPCM)", UnsupportedAudioException.class,
                () -> JavaSoundAudio.open(write("au23.au", Bytes.au(24, 20, 23, 8000, 1, data))), "encoding 23"));
        rows.add(row("A17", "AIFF with 0 channels", CorruptAudioException.class,
                () -> JavaSoundAudio.open(write("zero.aiff", Bytes.aiff(0, 10, 16, 16000, data))), "0 channels"));
        rows.add(row("A18", "FLAC metadata block declaring 16 MB in a 110-byte file", CorruptAudioException.class,
                () -> {
                    byte[] flac = Arrays.copyOf(TestAudio.bytes("flac_s16_mono.flac"), 42);
                    flac[4] &= 0x7F;
                    JavaSoundAudio.open(write("pic16m.flac", Bytes.of().bytes(flac).u8(0x86).u8(0xFF).u8(0xFF)
                            .u8(0xFF).zeros(64).build()));
                }, "16777215"));
        rows.add(row("A19", "FLAC frame jFLAC cannot parse (fuzzer finding `crash-ffb34d4d…`)",
                CorruptAudioException.class, () -> readAll(JavaSoundAudio.open(
                        fuzzInput("crash-ffb34d4d55c43fae82394e16bfc187bbc7e7d18d"))), "damaged FLAC frame",
                "UNPARSEABLE"));
        rows.add(row("A20", "FLAC on which jFLAC looped forever (fuzzer finding `timeout-ef8805cd…`)",
                CorruptAudioException.class, () -> readAll(JavaSoundAudio.open(
                        fuzzInput("timeout-ef8805cd9bc4538ca00c341cca438273d8907c1c"))), "damaged FLAC frame"));
        rows.add(row("A21", "missing file", AudioException.class,
                () -> JavaSoundAudio.open(dir.resolve("nope.wav")), "nope.wav", "no such file"));
        rows.add(row("A22", "a directory instead of a file", AudioException.class, () -> JavaSoundAudio.open(dir),
                "is a directory"));
        rows.add(row("A23", "WAV whose `data` precedes `fmt `, from a stream", UnsupportedAudioException.class,
                () -> JavaSoundAudio.open(new ByteArrayInputStream(Bytes.riff(Bytes.chunk("data", 20, data), fmt))),
                "stream"));
        rows.add(row("A24", "`readMono` of a 2 s file with `maxSeconds` 1", AudioException.class,
                () -> JavaSoundAudio.readMono(write("two.wav", Bytes.goodWav(32000)), 16000, 1), "two.wav", "longer than"));
        rows.add(row("A25", "`readMono(path, 16000, 0)`", IllegalArgumentException.class,
                () -> JavaSoundAudio.readMono(write("ok.wav", Bytes.goodWav(100)), 16000, 0), "maxSeconds", "0"));
        rows.add(row("A26", "`readMono(path, 16000, NaN)`", IllegalArgumentException.class,
                () -> JavaSoundAudio.readMono(write("ok2.wav", Bytes.goodWav(100)), 16000, Double.NaN),
                "maxSeconds", "NaN"));
        rows.add(row("A27", "`JavaSoundAudio.open((Path) null)`", NullPointerException.class,
                () -> JavaSoundAudio.open((Path) null), "path"));
        rows.add(row("A28", "`openMono(bytes, 0)` (target rate 0 Hz)", IllegalArgumentException.class,
                () -> JavaSoundAudio.openMono(Bytes.goodWav(100), 0), "target_sr=0"));
        rows.add(row("A29", "a read range outside the buffer", IllegalArgumentException.class,
                () -> JavaSoundAudio.open(Bytes.goodWav(100)).read(new float[10], 5, 10), "10"));
        rows.add(row("A30", "FLAC of 10 min of 8 channels at 192 kHz (954 KB, generated), `openMono(path, 16000, "
                + "57600000)`", AudioLimitException.class, () -> JavaSoundAudio.openMono(FlacSilence.write(
                dir.resolve("bomb.flac"), 192_000, 8, 600L * 192_000), 16000, 57_600_000L), "bomb.flac",
                "115200000 frames", "57600000"));
        rows.add(row("A31", "the same FLAC without a STREAMINFO total, read to its end", AudioLimitException.class,
                () -> readAll(JavaSoundAudio.openMono(FlacSilence.write(dir.resolve("bomb-hidden.flac"), 192_000, 8,
                        600L * 192_000, false), 16000, 57_600_000L)), "bomb-hidden.flac", "more than 7200000 frames"));
        rows.add(row("A32", "a dangling symbolic link `gone.wav`", AudioException.class, () -> JavaSoundAudio.open(
                java.nio.file.Files.createSymbolicLink(dir.resolve("gone.wav"), dir.resolve("deleted.wav"))),
                "gone.wav", "dangling symbolic link", "deleted.wav"));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void audio(BadInputMatrix row) {
        row.check("AudioBadInputMatrixTest#audio");
    }
}
