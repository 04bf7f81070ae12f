package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioSource;
import io.github.ser4j.api.PcmFormat;
import io.github.ser4j.api.spi.AudioInputProvider;
import io.github.ser4j.dsp.signal.Resampler;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mono/resampled entry points, against sox's decoding; and the ServiceLoader registration. */
class MonoAndProviderTest {

    @Test
    void theProviderIsRegistered() {
        AudioInputProvider p = AudioSource.backend();
        assertInstanceOf(JavaSoundAudioProvider.class, p);
        assertEquals("javasound", p.name());
        assertTrue(ServiceLoader.load(AudioInputProvider.class).stream()
                .anyMatch(s -> s.type() == JavaSoundAudioProvider.class));
        // looked up once and kept (the SPI's documented contract), not a new instance per open()
        assertSame(p, AudioSource.backend());
    }

    @Test
    void monoIsTheMeanOfTheChannels() throws Exception {
        for (String f : new String[] {"wav_s16_stereo.wav", "wav_s16_6ch_extensible.wav", "flac_s24_stereo.flac"}) {
            float[] ref = TestAudio.reference(f);
            AudioFileInfo info = JavaSoundAudio.probe(TestAudio.fixture(f));
            int ch = info.channels();
            AudioSource mono = JavaSoundAudio.openMono(TestAudio.fixture(f), info.sampleRate());
            assertEquals(PcmFormat.mono(info.sampleRate()), mono.format());
            float[] x = TestAudio.readAll(mono, 100);
            assertEquals(ref.length / ch, x.length, f);
            for (int i = 0; i < x.length; i++) {
                double mean = 0;
                for (int c = 0; c < ch; c++) {
                    mean += ref[i * ch + c];
                }
                assertEquals(mean / ch, x[i], 1e-6, f + " frame " + i);
            }
        }
    }

    @Test
    void resamplesWhileStreamingAndReadsWholeFiles() throws Exception {
        // 96 kHz stereo 24-bit to 16 kHz mono: as long as ser-dsp's resampler says, the same whichever way it is read
        java.nio.file.Path f = TestAudio.fixture("wav_s24_96k_stereo.wav");
        float[] streamed = TestAudio.readAll(JavaSoundAudio.openMono(f, 16000), 37);
        float[] whole = JavaSoundAudio.readMono(f, 16000, 1.0);
        float[] fromBytes = TestAudio.readAll(JavaSoundAudio.openMono(TestAudio.bytes("wav_s24_96k_stereo.wav"),
                16000), 4096);
        assertEquals(Resampler.of(96000, 16000).outputLength(1920), whole.length);
        assertEquals(whole.length, streamed.length);
        for (int i = 0; i < whole.length; i++) {
            assertEquals(whole[i], streamed[i], 1e-6);
            assertEquals(whole[i], fromBytes[i], 1e-6);
        }
        AudioSource same = JavaSoundAudio.open(TestAudio.fixture("wav_s16_mono.wav"));
        assertSame(same, JavaSoundAudio.mono(same, 16000), "already mono at the rate: no wrapper");
        same.close();
        assertThrows(io.github.ser4j.api.AudioException.class, () -> JavaSoundAudio.readMono(f, 16000, 0.01),
                "longer than maxSeconds");
        assertThrows(IllegalArgumentException.class, () -> JavaSoundAudio.readMono(f, 16000, 0));
    }

    @Test
    void floatBuffersAreSourcesToo() throws Exception {
        float[] x = {0.1f, -0.2f, 0.3f};
        AudioSource src = JavaSoundAudio.of(x, 8000);
        x[0] = 9; // copied: later changes do not leak in
        assertEquals(0.1f, TestAudio.readAll(src, 10)[0]);
    }
}
