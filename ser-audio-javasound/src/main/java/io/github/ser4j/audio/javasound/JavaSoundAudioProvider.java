package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioDevice;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.spi.AudioInputProvider;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@link AudioInputProvider} named {@code "javasound"} (priority 0) behind {@link AudioSource#open(Path)},
 * {@link AudioSource#open(InputStream)}, {@link AudioSource#microphone(String, int)} and
 * {@link AudioSource#inputDevices()}: delegates to {@link JavaSoundAudio}.
 *
 * <p>Stateless, immutable and thread-safe.
 */
public final class JavaSoundAudioProvider implements AudioInputProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public JavaSoundAudioProvider() {
    }

    @Override
    public String name() {
        return "javasound";
    }

    @Override
    public AudioSource open(Path path) {
        return JavaSoundAudio.open(path);
    }

    @Override
    public AudioSource open(InputStream in) {
        return JavaSoundAudio.open(in);
    }

    @Override
    public AudioSource microphone(String deviceName, int sampleRate) {
        return JavaSoundAudio.microphone(deviceName, sampleRate);
    }

    @Override
    public List<AudioDevice> inputDevices() {
        return JavaSoundAudio.inputDevices();
    }
}
