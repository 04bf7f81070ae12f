package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.testing.FlacSilence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the seed corpus of {@link AudioDecoderFuzzTest}: small files built byte by byte (one per container and
 * encoding the readers support, plus the odd arrangements they must cope with) and the smaller committed fixtures
 * (all synthetic, made by {@code src/test/fixtures/make_fixtures.sh}), cut to at most 2 KB so that mutations stay
 * cheap. Crash inputs the fuzzer finds land in the same folder, named {@code crash-<sha1>}; they are kept.
 *
 * <pre>
 * mvn -B -pl ser-audio-javasound test -Dtest=FuzzSeeds -Dser4j.fuzz.writeSeeds=true
 * </pre>
 */
class FuzzSeeds {
    static final String DIR = "src/test/resources/io/github/ser4j/audio/javasound/AudioDecoderFuzzTestInputs/decode";

    static Map<String, byte[]> seeds() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        byte[] d16 = Bytes.ramp16(64);
        s.put("seed-wav-s16-mono", Bytes.goodWav(64));
        s.put("seed-wav-u8", Bytes.riff(Bytes.fmt(1, 1, 8000, 1, 8).build(), Bytes.chunk("data", 64,
                Arrays.copyOf(d16, 64))));
        s.put("seed-wav-s24-stereo", Bytes.riff(Bytes.fmt(1, 2, 48000, 6, 24).build(), Bytes.chunk("data", 96,
                Arrays.copyOf(d16, 96))));
        s.put("seed-wav-s32", Bytes.riff(Bytes.fmt(1, 1, 16000, 4, 32).build(), Bytes.chunk("data", 128, d16)));
        s.put("seed-wav-f32", Bytes.riff(Bytes.fmt(3, 1, 16000, 4, 32).build(), Bytes.chunk("data", 128, d16)));
        s.put("seed-wav-f64", Bytes.riff(Bytes.fmt(3, 1, 16000, 8, 64).build(), Bytes.chunk("data", 128, d16)));
        s.put("seed-wav-alaw", Bytes.riff(Bytes.fmt(6, 1, 8000, 1, 8).build(), Bytes.chunk("data", 64,
                Arrays.copyOf(d16, 64))));
        s.put("seed-wav-ulaw", Bytes.riff(Bytes.fmt(7, 1, 8000, 1, 8).build(), Bytes.chunk("data", 64,
                Arrays.copyOf(d16, 64))));
        byte[] ext = Bytes.of().ascii("fmt ").le32(40).le16(0xFFFE).le16(2).le32(16000).le32(64000).le16(4).le16(16)
                .le16(22).le16(16).le32(3).le16(0x0001).le16(0x0000).u8(0x10).u8(0x00).u8(0x80).u8(0x00).u8(0x00)
                .u8(0xAA).u8(0x00).u8(0x38).u8(0x9B).u8(0x71).build(); // KSDATAFORMAT_SUBTYPE_PCM
        s.put("seed-wav-extensible", Bytes.riff(ext, Bytes.chunk("data", 128, d16)));
        s.put("seed-wav-list-odd", Bytes.riff(Bytes.chunk("LIST", 5, "INFOx\0".getBytes(StandardCharsets.ISO_8859_1)),
                Bytes.fmt(1, 1, 16000, 2, 16).build(), Bytes.chunk("data", 128, d16)));
        s.put("seed-wav-fmt-after-data", Bytes.riff(Bytes.chunk("data", 128, d16),
                Bytes.fmt(1, 1, 16000, 2, 16).build()));
        s.put("seed-wav-placeholder", Bytes.riff(Bytes.fmt(1, 1, 16000, 2, 16).build(),
                Bytes.chunk("data", 0xFFFFFFFFL, d16)));
        byte[] ds64 = Bytes.of().ascii("ds64").le32(28).le64(200).le64(128).le64(64).le32(0).build();
        s.put("seed-rf64", Bytes.of().ascii("RF64").le32(0xFFFFFFFFL).ascii("WAVE").bytes(ds64)
                .bytes(Bytes.fmt(1, 1, 16000, 2, 16).build()).bytes(Bytes.chunk("data", 0xFFFFFFFFL, d16)).build());
        s.put("seed-bw64", Bytes.of().ascii("BW64").le32(0xFFFFFFFFL).ascii("WAVE").bytes(ds64)
                .bytes(Bytes.fmt(1, 1, 16000, 2, 16).build()).bytes(Bytes.chunk("data", 0xFFFFFFFFL, d16)).build());
        byte[] be = new byte[128];
        for (int i = 0; i < 64; i++) {
            be[2 * i] = d16[2 * i + 1];
            be[2 * i + 1] = d16[2 * i];
        }
        s.put("seed-aiff-s16", Bytes.aiff(1, 64, 16, 16000, be));
        s.put("seed-aiff-s8-stereo", Bytes.aiff(2, 32, 8, 22050, Arrays.copyOf(be, 64)));
        s.put("seed-au-s16", Bytes.au(24, 128, 3, 16000, 1, be));
        s.put("seed-au-ulaw-unknown-size", Bytes.au(24, 0xFFFFFFFFL, 1, 8000, 1, Arrays.copyOf(be, 64)));
        s.put("seed-au-f64", Bytes.au(24, 128, 7, 16000, 1, be));
        for (String f : new String[] {"aifc_sowt_mono.aifc", "aifc_ulaw_mono.aifc", "aifc_fl32_mono.aifc",
                "aifc_none_stereo.aifc", "aiff_s8_mono.aiff", "aiff_s24_mono.aiff", "au_alaw_mono.au",
                "au_s24_mono.au", "flac_s8_mono.flac", "flac_s16_mono.flac", "flac_s16_256blocks.flac",
                "flac_s24_stereo.flac", "wav_odd_chunks.wav", "wav_ffmpeg_list.wav", "wav_leading_chunk.wav",
                "wav_s24_mono_extensible.wav"}) {
            byte[] b = TestAudio.bytes(f);
            s.put("seed-fixture-" + f.replace('.', '-'), f.endsWith(".flac") ? b : Arrays.copyOf(b, Math.min(
                    b.length, 2048)));
        }
        s.put("seed-text", "RIFF is not enough: this is text\n".getBytes(StandardCharsets.US_ASCII));
        // decompression-bomb shapes (issue 20): CONSTANT subframes of 8 channels at 192 kHz; the second declares
        // 10 minutes in its STREAMINFO and holds 3 blocks
        byte[] eight = flacSilence(192_000, 8, 3 * 4096 + 100);
        s.put("seed-flac-constant-8ch-192k", eight);
        byte[] declares = eight.clone();
        // STREAMINFO's 36-bit total starts in the low nibble of its byte 13 (file byte 8 + 13)
        long total = 600L * 192_000;
        declares[8 + 13] = (byte) (declares[8 + 13] & 0xF0 | (int) (total >>> 32));
        for (int i = 0; i < 4; i++) {
            declares[8 + 14 + i] = (byte) (total >>> (24 - 8 * i));
        }
        s.put("seed-flac-declares-10min-holds-3-blocks", declares);
        return s;
    }

    static byte[] flacSilence(int rate, int channels, long frames) {
        try {
            Path f = Files.createTempFile("seed", ".flac");
            try {
                return Files.readAllBytes(FlacSilence.write(f, rate, channels, frames));
            } finally {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "ser4j.fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        Path dir = Path.of(DIR);
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : seeds().entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }
}
