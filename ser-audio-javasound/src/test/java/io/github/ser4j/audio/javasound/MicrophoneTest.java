package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioDevice;
import io.github.ser4j.api.AudioDeviceException;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.PcmFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Capture through the real javax.sound code path, on the fake devices of {@link FakeMixerProvider} (registered on the
 * test class path), plus one test on a real capture device where the machine has one.
 */
class MicrophoneTest {

    @Test
    void listsTheInputDevices() {
        List<String> names = JavaSoundAudio.inputDevices().stream().map(AudioDevice::name).collect(Collectors.toList());
        assertTrue(names.contains(FakeMixerProvider.MIC), names.toString());
        assertEquals(names, AudioSource.inputDevices().stream().map(AudioDevice::name).collect(Collectors.toList()));
        AudioDevice mic = JavaSoundAudio.inputDevices().stream()
                .filter(d -> d.name().equals(FakeMixerProvider.MIC)).findFirst().orElseThrow();
        assertTrue(mic.description().contains("ser4j tests"), mic.description());
    }

    @Test
    void aMissingDeviceIsNamedAndTheAvailableOnesListed() {
        AudioDeviceException e = assertThrows(AudioDeviceException.class,
                () -> JavaSoundAudio.microphone("Studio Mic 3000", 16000));
        assertTrue(e.getMessage().contains("'Studio Mic 3000'"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + FakeMixerProvider.MIC + "'"), e.getMessage());
    }

    @Test
    void capturesMixesDownAndResamples() throws Exception {
        try (MicrophoneSource mic = JavaSoundAudio.microphone(FakeMixerProvider.MIC, 16000)) {
            assertEquals(PcmFormat.mono(16000), mic.format());
            assertEquals(new PcmFormat(44100, 2), mic.deviceFormat(), "the only format the device accepts");
            assertTrue(mic.isCapturing());
            float[] x = readFor(mic, 16000 / 2);
            // the fake plays 440 Hz at half scale on both channels: mono at 16 kHz must be the same tone
            int crossings = 0;
            float peak = 0;
            for (int i = 2000; i < x.length; i++) { // skip the resampler's start-up
                if (x[i - 1] < 0 && x[i] >= 0) {
                    crossings++;
                }
                peak = Math.max(peak, Math.abs(x[i]));
            }
            double seconds = (x.length - 2000) / 16000.0;
            assertEquals(440, crossings / seconds, 10, "frequency");
            assertEquals(0.5, peak, 0.02, "amplitude");
            assertEquals(0, mic.droppedFrames());
            assertTrue(mic.failure().isEmpty());
        }
    }

    @Test
    void closeIsPromptAndEndsTheStream() throws Exception {
        MicrophoneSource mic = JavaSoundAudio.microphone(FakeMixerProvider.MIC, 44100);
        readFor(mic, 4410);
        long t0 = System.nanoTime();
        mic.close();
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "close took too long");
        assertFalse(mic.isCapturing());
        float[] buf = new float[1000];
        int n;
        int frames = 0;
        while ((n = mic.read(buf, 0, buf.length)) > 0) {
            frames += n; // what was captured before close is still delivered
        }
        assertEquals(-1, n);
        assertTrue(frames < 44100, "drained " + frames);
        mic.close(); // idempotent
    }

    @Test
    void closeFromAnotherThreadUnblocksARead() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            MicrophoneSource mic = MicrophoneSource.builder().device(FakeMixerProvider.STALL).sampleRate(44100)
                    .stallTimeoutSeconds(60).open();
            readFor(mic, 4410);
            Thread closer = new Thread(() -> {
                sleep(300);
                mic.close();
            });
            closer.start();
            float[] buf = new float[44100];
            int n;
            while ((n = mic.read(buf, 0, buf.length)) > 0) {
                assertTrue(n > 0);
            }
            assertEquals(-1, n);
            closer.join();
        });
    }

    @Test
    void anUnpluggedDeviceEndsTheStreamWithAReason() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (MicrophoneSource mic = JavaSoundAudio.microphone(FakeMixerProvider.UNPLUG, 16000)) {
                float[] all = readToEnd(mic);
                assertEquals(0.3 * 16000, all.length, 0.05 * 16000, "what the device delivered before it went");
                AudioDeviceException why = mic.failure().orElseThrow();
                assertTrue(why.getMessage().contains(FakeMixerProvider.UNPLUG) && why.getMessage().contains("unplugged"),
                        why.getMessage());
                assertFalse(mic.isCapturing());
            }
        });
    }

    @Test
    void aDeviceThatStallsOrGoesSilentIsGivenUp() {
        for (String name : new String[] {FakeMixerProvider.STALL, FakeMixerProvider.ZERO}) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try (MicrophoneSource mic = MicrophoneSource.builder().device(name).stallTimeoutSeconds(0.5).open()) {
                    float[] all = readToEnd(mic);
                    assertEquals(0.2 * 16000, all.length, 0.05 * 16000, name);
                    assertTrue(mic.failure().orElseThrow().getMessage().contains("no audio"), name);
                }
            });
        }
    }

    @Test
    void aSlowReaderLosesTheOldestAudioNotMemory() throws Exception {
        // the fast fake delivers far quicker than real time; a 0.1 s ring cannot keep it all
        try (MicrophoneSource mic = MicrophoneSource.builder().device(FakeMixerProvider.FAST).sampleRate(44100)
                .bufferSeconds(0.1).open()) {
            Thread.sleep(300);
            assertTrue(mic.droppedFrames() > 44100 / 10, "dropped " + mic.droppedFrames());
            float[] buf = new float[100_000];
            int n = mic.read(buf, 0, buf.length);
            assertTrue(n > 0 && n <= 8192, "at most the ring's capacity is waiting: " + n);
        }
    }

    @Test
    void refusedFormatsAndBusyDevicesAreClearErrors() {
        AudioDeviceException refused = assertThrows(AudioDeviceException.class,
                () -> JavaSoundAudio.microphone(FakeMixerProvider.REFUSE, 16000));
        assertTrue(refused.getMessage().contains("refused every format tried")
                && refused.getMessage().contains("16000 Hz 16-bit mono"), refused.getMessage());
        AudioDeviceException busy = assertThrows(AudioDeviceException.class,
                () -> JavaSoundAudio.microphone(FakeMixerProvider.BUSY, 16000));
        assertTrue(busy.getMessage().contains("busy"), busy.getMessage());
    }

    @Test
    void theProviderOpensMicrophonesToo() throws Exception {
        try (AudioSource mic = AudioSource.microphone(FakeMixerProvider.MIC, 8000)) {
            assertEquals(PcmFormat.mono(8000), mic.format());
            assertEquals(4000, readFor(mic, 4000).length);
        }
    }

    @Test
    void aRealCaptureDeviceWhereThereIsOne() throws Exception {
        List<AudioDevice> real = JavaSoundAudio.inputDevices().stream()
                .filter(d -> !d.name().startsWith(FakeMixerProvider.PREFIX)).collect(Collectors.toList());
        Assumptions.assumeFalse(real.isEmpty(), "no capture device on this machine (as on CI): real capture skipped");
        AudioDevice device = real.get(0);
        MicrophoneSource mic;
        try {
            mic = JavaSoundAudio.microphone(device.name(), 16000);
        } catch (AudioDeviceException e) {
            Assumptions.abort("capture device '" + device.name() + "' is present but unusable here: " + e.getMessage());
            return;
        }
        try (mic) {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals(8000, readFor(mic, 8000).length));
        }
    }

    private static float[] readFor(AudioSource src, int frames) throws IOException {
        float[] out = new float[frames];
        int got = 0;
        while (got < frames) {
            int n = src.read(out, got, frames - got);
            if (n < 0) {
                throw new IllegalStateException("ended after " + got + " frames");
            }
            got += n;
        }
        return out;
    }

    private static float[] readToEnd(AudioSource src) throws IOException {
        float[] out = new float[1 << 20];
        int got = 0;
        int n;
        while ((n = src.read(out, got, Math.min(4096, out.length - got))) > 0) {
            got += n;
        }
        return java.util.Arrays.copyOf(out, got);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
