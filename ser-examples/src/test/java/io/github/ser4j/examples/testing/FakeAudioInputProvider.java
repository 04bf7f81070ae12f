package io.github.ser4j.examples.testing;

import io.github.ser4j.api.AudioDevice;
import io.github.ser4j.api.AudioDeviceException;
import io.github.ser4j.api.AudioException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.UnsupportedAudioException;
import io.github.ser4j.api.spi.AudioInputProvider;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Lowest-priority test audio backend (16-bit PCM WAV through the JDK), so the CLI's plumbing can be tested before or
 * without ser-audio-javasound; the real backend wins whenever it is on the class path.
 */
public final class FakeAudioInputProvider implements AudioInputProvider {
    @Override
    public String name() {
        return "fake-wav";
    }

    @Override
    public int priority() {
        return -1000;
    }

    @Override
    public AudioSource open(Path path) {
        try {
            return open(Files.newInputStream(path));
        } catch (IOException e) {
            throw new AudioException("cannot open " + path + ": " + e, e);
        }
    }

    @Override
    public AudioSource open(InputStream in) {
        try {
            AudioInputStream ais = AudioSystem.getAudioInputStream(new BufferedInputStream(in));
            AudioFormat f = ais.getFormat();
            if (f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED || f.getSampleSizeInBits() != 16
                    || f.isBigEndian()) {
                throw new UnsupportedAudioException("fake backend reads 16-bit little-endian PCM only: " + f);
            }
            byte[] bytes = ais.readAllBytes();
            float[] samples = new float[bytes.length / 2];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8)) / 32768f;
            }
            return AudioSource.of(samples, new PcmFormat((int) f.getSampleRate(), f.getChannels()));
        } catch (UnsupportedAudioFileException e) {
            throw new UnsupportedAudioException("not a WAV/AIFF/AU stream: " + e.getMessage());
        } catch (IOException e) {
            throw new AudioException("cannot read audio: " + e, e);
        }
    }

    @Override
    public AudioSource microphone(String deviceName, int sampleRate) {
        throw new AudioDeviceException("the fake backend has no devices");
    }

    @Override
    public List<AudioDevice> inputDevices() {
        return List.of();
    }
}
