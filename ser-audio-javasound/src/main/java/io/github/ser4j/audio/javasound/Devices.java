package io.github.ser4j.audio.javasound;

import io.github.ser4j.api.AudioDevice;
import io.github.ser4j.api.AudioDeviceException;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds capture devices (mixers with a {@link TargetDataLine}) and opens one in a format it accepts, trying the
 * requested rate first, then common rates, mono then stereo, 16, 24, 32 then 8 bits, little then big endian. Any
 * failure of the sound system itself (no driver, a broken native library) reads as "no devices", never as a crash.
 *
 * <p>Stateless and thread-safe.
 */
final class Devices {
    private static final Line.Info CAPTURE = new Line.Info(TargetDataLine.class);
    private static final int[] RATES = {48000, 44100, 16000, 32000, 22050, 96000, 8000, 11025, 24000};

    private Devices() {
    }

    /** A capture line opened in a negotiated format. */
    record Opened(TargetDataLine line, AudioFormat format, AudioDevice device) {
    }

    static List<AudioDevice> list() {
        List<AudioDevice> out = new ArrayList<>();
        for (Mixer.Info info : mixerInfos()) {
            Mixer m = mixer(info);
            if (m != null && supportsCapture(m)) {
                out.add(device(info));
            }
        }
        return out;
    }

    /**
     * @param name      a device name from {@link #list()}, or null for the system default
     * @param rate      the rate wanted (tried first)
     * @param bufferMs  the line's buffer, in milliseconds
     */
    static Opened open(String name, int rate, int bufferMs) {
        Mixer mixer = null;
        AudioDevice device;
        if (name == null) {
            device = new AudioDevice("default", "the system's default capture device");
        } else {
            for (Mixer.Info info : mixerInfos()) {
                if (info.getName().equals(name)) {
                    Mixer m = mixer(info);
                    if (m != null && supportsCapture(m)) {
                        mixer = m;
                        break;
                    }
                }
            }
            if (mixer == null) {
                List<AudioDevice> available = list();
                throw new AudioDeviceException("no capture device named '" + name + "'; available: "
                        + (available.isEmpty() ? "none" : names(available)));
            }
            device = device(mixer.getMixerInfo());
        }
        List<String> tried = new ArrayList<>();
        LineUnavailableException busy = null;
        RuntimeException failure = null;
        for (AudioFormat f : candidates(rate)) {
            DataLine.Info info = new DataLine.Info(TargetDataLine.class, f);
            try {
                if (mixer != null ? !mixer.isLineSupported(info) : !AudioSystem.isLineSupported(info)) {
                    continue;
                }
                tried.add(describe(f));
                TargetDataLine line = (TargetDataLine) (mixer != null ? mixer.getLine(info) : AudioSystem.getLine(info));
                int bufferBytes = Math.max(f.getFrameSize() * 256,
                        (int) (f.getFrameRate() * bufferMs / 1000) * f.getFrameSize());
                try {
                    line.open(f, bufferBytes);
                } catch (LineUnavailableException | RuntimeException e) {
                    line.close();
                    throw e;
                }
                return new Opened(line, f, device);
            } catch (LineUnavailableException e) {
                busy = e;
            } catch (IllegalArgumentException | SecurityException | IllegalStateException e) {
                failure = e; // this format refused: try the next
            } catch (LinkageError e) {
                throw new AudioDeviceException("the sound system is unusable (" + e + "); capture devices: none", e);
            }
        }
        String who = name == null ? "the default capture device" : "capture device '" + name + "'";
        if (busy != null) {
            throw new AudioDeviceException(who + " is busy or unavailable: " + busy.getMessage(), busy);
        }
        if (tried.isEmpty()) {
            List<AudioDevice> available = list();
            throw new AudioDeviceException(who + " accepts none of the PCM formats ser4j can capture"
                    + (name == null ? "; available devices: " + (available.isEmpty() ? "none" : names(available)) : ""));
        }
        throw new AudioDeviceException(who + " refused every format tried: " + tried, failure);
    }

    private static List<AudioFormat> candidates(int rate) {
        Set<Integer> rates = new LinkedHashSet<>();
        rates.add(rate);
        for (int r : RATES) {
            rates.add(r);
        }
        List<AudioFormat> out = new ArrayList<>();
        for (int r : rates) {
            for (int channels = 1; channels <= 2; channels++) {
                for (int bits : new int[] {16, 24, 32}) {
                    out.add(new AudioFormat(r, bits, channels, true, false));
                    out.add(new AudioFormat(r, bits, channels, true, true));
                }
                out.add(new AudioFormat(r, 8, channels, false, false));
            }
        }
        return out;
    }

    static String describe(AudioFormat f) {
        return (int) f.getSampleRate() + " Hz " + f.getSampleSizeInBits() + "-bit "
                + (f.getChannels() == 1 ? "mono" : f.getChannels() + "ch")
                + (f.getSampleSizeInBits() > 8 ? (f.isBigEndian() ? " BE" : " LE") : "");
    }

    private static String names(List<AudioDevice> devices) {
        List<String> names = new ArrayList<>();
        for (AudioDevice d : devices) {
            names.add("'" + d.name() + "'");
        }
        return String.join(", ", names);
    }

    private static Mixer.Info[] mixerInfos() {
        try {
            return AudioSystem.getMixerInfo();
        } catch (RuntimeException | LinkageError e) {
            return new Mixer.Info[0]; // no usable sound system: no devices
        }
    }

    private static Mixer mixer(Mixer.Info info) {
        try {
            return AudioSystem.getMixer(info);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static boolean supportsCapture(Mixer m) {
        try {
            return m.isLineSupported(CAPTURE);
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static AudioDevice device(Mixer.Info info) {
        StringBuilder d = new StringBuilder();
        for (String part : new String[] {info.getDescription(), info.getVendor(), info.getVersion()}) {
            if (part != null && !part.isBlank() && !part.equalsIgnoreCase("unknown version")) {
                d.append(d.length() == 0 ? "" : ", ").append(part.trim());
            }
        }
        return new AudioDevice(info.getName(), d.toString());
    }
}
