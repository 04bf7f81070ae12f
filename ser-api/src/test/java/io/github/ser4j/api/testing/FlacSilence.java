package io.github.ser4j.api.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes valid FLAC files of digital silence (CONSTANT subframes, 16 bits, blocks of 4096 frames): about 2 + 3 x
 * channels + 9 bytes per block, so hours of audio fit in a few megabytes. Decompression-bomb fixtures, made at test
 * time (nothing committed), shared by the modules' tests through ser-api's test jar. Each frame carries its CRC-8
 * and CRC-16, so a conforming decoder accepts it.
 */
public final class FlacSilence {
    private static final int BLOCK = 4096;

    private FlacSilence() {
    }

    /**
     * @param file       where to write
     * @param sampleRate Hz
     * @param channels   1..8
     * @param frames     frames per channel
     * @return {@code file}
     */
    public static Path write(Path file, int sampleRate, int channels, long frames) throws IOException {
        return write(file, sampleRate, channels, frames, true);
    }

    /** As {@link #write(Path, int, int, long)}; without {@code declareTotal} the STREAMINFO total is 0 (unknown). */
    public static Path write(Path file, int sampleRate, int channels, long frames, boolean declareTotal)
            throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(new byte[] {'f', 'L', 'a', 'C', (byte) 0x80, 0, 0, 34});
            byte[] si = new byte[34];
            int lastBlock = (int) (frames % BLOCK == 0 ? BLOCK : frames % BLOCK);
            int minBlock = frames > BLOCK ? BLOCK : lastBlock; // the last block does not count
            si[0] = (byte) (Math.max(16, minBlock) >> 8);
            si[1] = (byte) Math.max(16, minBlock);
            si[2] = (byte) (BLOCK >> 8);
            si[3] = (byte) BLOCK;
            // 20 bits rate, 3 bits channels-1, 5 bits bps-1, 36 bits total
            long packed = ((long) sampleRate << 44) | ((long) (channels - 1) << 41) | (15L << 36) | (declareTotal ? frames : 0);
            for (int i = 0; i < 8; i++) {
                si[10 + i] = (byte) (packed >>> (56 - 8 * i));
            }
            out.write(si);
            byte[] frame = new byte[32 + 3 * channels];
            long number = 0;
            for (long done = 0; done < frames; done += BLOCK, number++) {
                int n = (int) Math.min(BLOCK, frames - done);
                int p = 0;
                frame[p++] = (byte) 0xFF;
                frame[p++] = (byte) 0xF8;
                frame[p++] = (byte) ((n == BLOCK ? 12 : 7) << 4); // block size code; sample rate from STREAMINFO
                frame[p++] = (byte) ((channels - 1) << 4 | 4 << 1); // independent channels, 16 bits
                p = utf8(frame, p, number);
                if (n != BLOCK) {
                    frame[p++] = (byte) ((n - 1) >> 8);
                    frame[p++] = (byte) (n - 1);
                }
                frame[p] = crc8(frame, p);
                p++;
                for (int c = 0; c < channels; c++) {
                    frame[p++] = 0; // CONSTANT subframe, no wasted bits
                    frame[p++] = 0; // the constant: 0 in 16 bits
                    frame[p++] = 0;
                }
                int crc = crc16(frame, p);
                frame[p++] = (byte) (crc >> 8);
                frame[p++] = (byte) crc;
                out.write(frame, 0, p);
            }
        }
        return file;
    }

    private static int utf8(byte[] b, int p, long v) {
        if (v < 0x80) {
            b[p++] = (byte) v;
            return p;
        }
        int bytes = v < 0x800 ? 2 : v < 0x10000 ? 3 : v < 0x200000 ? 4 : v < 0x4000000 ? 5 : 6;
        b[p++] = (byte) ((0xFF00 >> bytes) & 0xFF | (v >>> (6 * (bytes - 1))));
        for (int i = bytes - 2; i >= 0; i--) {
            b[p++] = (byte) (0x80 | ((v >>> (6 * i)) & 0x3F));
        }
        return p;
    }

    private static byte crc8(byte[] b, int len) {
        int crc = 0;
        for (int i = 0; i < len; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x80) != 0 ? (crc << 1) ^ 0x07 : crc << 1;
            }
        }
        return (byte) crc;
    }

    private static int crc16(byte[] b, int len) {
        int crc = 0;
        for (int i = 0; i < len; i++) {
            crc ^= (b[i] & 0xFF) << 8;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x8005 : crc << 1;
            }
        }
        return crc & 0xFFFF;
    }
}
