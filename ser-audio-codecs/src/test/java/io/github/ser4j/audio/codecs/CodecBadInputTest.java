package io.github.ser4j.audio.codecs;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.CorruptAudioException;
import io.github.ser4j.api.SerException;
import io.github.ser4j.api.UnsupportedAudioException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bad input for each decoder (rows C1-C12 of docs/BAD_INPUT_MATRIX.md): the exact exception type, or the audio that
 * decodes, and the words that name the problem. Inputs are made from the committed fixtures.
 */
class CodecBadInputTest {

    record Row(String id, String fixture, UnaryOperator<byte[]> damage, Class<? extends SerException> expected,
               String... words) {
    }

    static byte[] cut(byte[] b, int n) {
        return Arrays.copyOf(b, n);
    }

    static byte[] flip(byte[] b, int at) {
        byte[] c = b.clone();
        c[at] ^= 0x5A;
        return c;
    }

    static byte[] id3(int declared, byte[] after) {
        byte[] h = {'I', 'D', '3', 4, 0, 0, (byte) ((declared >> 21) & 0x7F), (byte) ((declared >> 14) & 0x7F),
                (byte) ((declared >> 7) & 0x7F), (byte) (declared & 0x7F)};
        byte[] out = Arrays.copyOf(h, h.length + after.length);
        System.arraycopy(after, 0, out, h.length, after.length);
        return out;
    }

    /** The OpusHead of the mono fixture, changed to 6 channels with mapping family 1, CRC fixed. */
    static byte[] surroundOpus(byte[] b) {
        byte[] c = b.clone();
        int head = 27 + (c[26] & 0xFF);
        c[head + 9] = 6;
        c[head + 18] = 1;
        CodecFuzzTest.fixOggCrcs(c);
        return c;
    }

    static final List<Row> ROWS = List.of(
            new Row("C1 MP3 cut inside a frame: the whole frames before the cut", "mp3_mono_16k.mp3",
                    b -> cut(b, 1000), null),
            new Row("C2 ID3v2 tag declaring 200 MB on 300 bytes", null, b -> id3(200 << 20, new byte[290]),
                    CorruptAudioException.class, "ends inside its ID3v2 tag", "209715210 bytes"),
            new Row("C3 ID3v2 tag followed by no MPEG audio", null, b -> id3(10, new byte[4000]),
                    UnsupportedAudioException.class, "ID3v2 tag", "no MPEG audio"),
            new Row("C4 Ogg Vorbis with a damaged byte in page 2", "vorbis_mono_16k.ogg", b -> flip(b, 200),
                    CorruptAudioException.class, "Ogg Vorbis", "CRC"),
            new Row("C5 Ogg Vorbis cut inside its headers", "vorbis_mono_16k.ogg", b -> cut(b, 120),
                    CorruptAudioException.class, "Ogg Vorbis", "ends inside"),
            new Row("C6 Ogg Opus cut inside an audio page", "opus_mono_16k.opus", b -> cut(b, 3000),
                    CorruptAudioException.class, "Ogg Opus", "ends inside page"),
            new Row("C7 Ogg Opus, 6 channels (mapping family 1)", "opus_mono_16k.opus", CodecBadInputTest::surroundOpus,
                    UnsupportedAudioException.class, "6 channels", "mono and stereo"),
            new Row("C8 Ogg of an unknown codec", "opus_mono_16k.opus", b -> {
                byte[] c = b.clone();
                c[27 + (c[26] & 0xFF)] = 'X';
                CodecFuzzTest.fixOggCrcs(c);
                return c;
            }, UnsupportedAudioException.class, "not a recognised audio file", "OggS"),
            new Row("C9 Ogg Opus with its OpusTags packet damaged", "opus_mono_16k.opus", b -> {
                byte[] c = b.clone();
                int second = 27 + (c[26] & 0xFF) + 19; // the first page holds OpusHead (19 bytes) only
                int tags = second + 27 + (c[second + 26] & 0xFF);
                c[tags] = 'X';
                CodecFuzzTest.fixOggCrcs(c);
                return c;
            }, CorruptAudioException.class, "OpusTags"),
            new Row("C10 one MP3 frame header followed by noise", null, b -> {
                byte[] c = new byte[2000];
                new java.util.Random(3).nextBytes(c);
                c[0] = (byte) 0xFF;
                c[1] = (byte) 0xFB;
                c[2] = (byte) 0x90;
                c[3] = 0x64;
                return c;
            }, UnsupportedAudioException.class, "not a recognised audio file"),
            new Row("C11 Vorbis codebook of 2^24 entries (fuzzer finding crash-702fb8fc)", null,
                    b -> fuzzInput("crash-702fb8fcc48c5c667c83b69e4acd108247b5dacb"), CorruptAudioException.class,
                    "Ogg Vorbis", "codebooks declare tables of more than 32 MB")
    );

    /** A committed fuzz input as CodecFuzzTest decodes it (mode byte removed, Ogg CRCs fixed when it is odd). */
    static byte[] fuzzInput(String name) {
        try {
            byte[] in = Files.readAllBytes(Path.of("src/test/resources/io/github/ser4j/audio/codecs/"
                    + "CodecFuzzTestInputs/decode", name));
            byte[] data = Arrays.copyOfRange(in, 1, in.length);
            if ((in[0] & 1) != 0) {
                CodecFuzzTest.fixOggCrcs(data);
            }
            return data;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyRowFailsAsDocumented() throws IOException {
        StringBuilder report = new StringBuilder();
        for (Row row : ROWS) {
            byte[] base = row.fixture() == null ? new byte[0]
                    : Files.readAllBytes(FixtureDecodeTest.DIR.resolve(row.fixture()));
            byte[] input = row.damage().apply(base);
            try {
                Signals.Decoded d = Signals.decode(AudioSource.open(new ByteArrayInputStream(input)));
                if (row.expected() != null) {
                    fail(row.id() + ": decoded " + d.frames() + " frames instead of " + row.expected()
                            .getSimpleName());
                }
                assertTrue(d.frames() > 0, row.id() + ": decoded nothing");
                report.append(row.id()).append(": ").append(d.frames()).append(" frames\n");
            } catch (SerException e) {
                if (row.expected() == null || !row.expected().equals(e.getClass())) {
                    throw new AssertionError(row.id() + ": " + e, e);
                }
                for (String w : row.words()) {
                    assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT)),
                            row.id() + ": '" + w + "' not in: " + e.getMessage());
                }
                report.append(row.id()).append(": ").append(e.getClass().getSimpleName()).append(": ")
                        .append(e.getMessage()).append('\n');
            }
        }
        System.out.print(report);
    }

    @Test
    void theFilesNameIsInTheMessage() throws IOException {
        Path p = Files.createTempFile("ser4j-bad", ".ogg");
        try {
            Files.write(p, flip(Files.readAllBytes(FixtureDecodeTest.DIR.resolve("vorbis_mono_16k.ogg")), 200));
            CorruptAudioException e = org.junit.jupiter.api.Assertions.assertThrows(CorruptAudioException.class,
                    () -> AudioSource.open(p));
            assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
            assertEquals(CorruptAudioException.class, e.getCause().getClass());
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
