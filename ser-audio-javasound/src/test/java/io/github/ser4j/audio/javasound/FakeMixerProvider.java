package io.github.ser4j.audio.javasound;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.Control;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;
import javax.sound.sampled.spi.MixerProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Test-only capture devices, registered with javax.sound through
 * {@code META-INF/services/javax.sound.sampled.spi.MixerProvider} on the test class path, so that the real
 * {@code AudioSystem} code path is exercised without hardware: a working 44.1 kHz stereo microphone playing a 440 Hz
 * tone, and devices that get unplugged, stall, refuse every format or are busy. Their names start with
 * {@value #PREFIX}.
 */
public final class FakeMixerProvider extends MixerProvider {
    static final String PREFIX = "ser4j-test ";
    static final String MIC = PREFIX + "mic";
    static final String UNPLUG = PREFIX + "unplug";
    static final String STALL = PREFIX + "stall";
    static final String ZERO = PREFIX + "zero";
    static final String REFUSE = PREFIX + "refuse";
    static final String BUSY = PREFIX + "busy";
    static final String FAST = PREFIX + "fast";

    enum Behaviour { WORK, UNPLUG, STALL, ZERO, REFUSE, BUSY, FAST }

    private static final Map<String, FakeMixer> MIXERS = new LinkedHashMap<>();

    static {
        MIXERS.put(MIC, new FakeMixer(MIC, Behaviour.WORK));
        MIXERS.put(UNPLUG, new FakeMixer(UNPLUG, Behaviour.UNPLUG));
        MIXERS.put(STALL, new FakeMixer(STALL, Behaviour.STALL));
        MIXERS.put(ZERO, new FakeMixer(ZERO, Behaviour.ZERO));
        MIXERS.put(REFUSE, new FakeMixer(REFUSE, Behaviour.REFUSE));
        MIXERS.put(BUSY, new FakeMixer(BUSY, Behaviour.BUSY));
        MIXERS.put(FAST, new FakeMixer(FAST, Behaviour.FAST));
    }

    /** Called by ServiceLoader. */
    public FakeMixerProvider() {
    }

    @Override
    public Mixer.Info[] getMixerInfo() {
        return MIXERS.values().stream().map(Mixer::getMixerInfo).toArray(Mixer.Info[]::new);
    }

    @Override
    public Mixer getMixer(Mixer.Info info) {
        if (info == null) {
            throw new IllegalArgumentException("no default mixer here");
        }
        FakeMixer m = MIXERS.get(info.getName());
        if (m == null || m.getMixerInfo() != info) {
            throw new IllegalArgumentException("not ours: " + info);
        }
        return m;
    }

    /** The one format the working fake devices accept. */
    static final AudioFormat FORMAT = new AudioFormat(44100, 16, 2, true, false);

    static final class FakeMixer implements Mixer {
        private final Mixer.Info info;
        private final Behaviour behaviour;

        FakeMixer(String name, Behaviour behaviour) {
            this.info = new Mixer.Info(name, "ser4j tests", "a fake capture device", "1.0") {
            };
            this.behaviour = behaviour;
        }

        @Override
        public Mixer.Info getMixerInfo() {
            return info;
        }

        @Override
        public Line.Info[] getSourceLineInfo() {
            return new Line.Info[0];
        }

        @Override
        public Line.Info[] getTargetLineInfo() {
            return new Line.Info[] {new DataLine.Info(TargetDataLine.class, FORMAT)};
        }

        @Override
        public Line.Info[] getSourceLineInfo(Line.Info info) {
            return new Line.Info[0];
        }

        @Override
        public Line.Info[] getTargetLineInfo(Line.Info info) {
            return isLineSupported(info) ? getTargetLineInfo() : new Line.Info[0];
        }

        @Override
        public boolean isLineSupported(Line.Info info) {
            if (!TargetDataLine.class.isAssignableFrom(info.getLineClass())) {
                return false;
            }
            if (behaviour == Behaviour.REFUSE || !(info instanceof DataLine.Info)) {
                return true; // claims anything, then refuses to open (a lying driver)
            }
            for (AudioFormat f : ((DataLine.Info) info).getFormats()) {
                if (f.matches(FORMAT)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Line getLine(Line.Info info) throws LineUnavailableException {
            if (!isLineSupported(info)) {
                throw new IllegalArgumentException("unsupported line " + info);
            }
            return new FakeLine(behaviour);
        }

        @Override
        public int getMaxLines(Line.Info info) {
            return 1;
        }

        @Override
        public Line[] getSourceLines() {
            return new Line[0];
        }

        @Override
        public Line[] getTargetLines() {
            return new Line[0];
        }

        @Override
        public void synchronize(Line[] lines, boolean maintainSync) {
            throw new IllegalArgumentException("no synchronisation");
        }

        @Override
        public void unsynchronize(Line[] lines) {
        }

        @Override
        public boolean isSynchronizationSupported(Line[] lines, boolean maintainSync) {
            return false;
        }

        @Override
        public Line.Info getLineInfo() {
            return new Line.Info(Mixer.class);
        }

        @Override
        public void open() {
        }

        @Override
        public void close() {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public Control[] getControls() {
            return new Control[0];
        }

        @Override
        public boolean isControlSupported(Control.Type control) {
            return false;
        }

        @Override
        public Control getControl(Control.Type control) {
            throw new IllegalArgumentException("no controls");
        }

        @Override
        public void addLineListener(LineListener listener) {
        }

        @Override
        public void removeLineListener(LineListener listener) {
        }
    }

    /** A capture line producing a 440 Hz tone at half scale on both channels, paced in real time. */
    static final class FakeLine implements TargetDataLine {
        private final Behaviour behaviour;
        private volatile boolean open;
        private volatile boolean running;
        private long frame;
        private long startNanos;

        FakeLine(Behaviour behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public void open(AudioFormat format, int bufferSize) throws LineUnavailableException {
            if (behaviour == Behaviour.BUSY) {
                throw new LineUnavailableException("device in use by another application");
            }
            if (behaviour == Behaviour.REFUSE || !format.matches(FORMAT)) {
                throw new IllegalArgumentException("format not supported: " + format);
            }
            open = true;
        }

        @Override
        public void open(AudioFormat format) throws LineUnavailableException {
            open(format, 8820);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (!open || !running) {
                return 0;
            }
            double t = (double) frame / FORMAT.getSampleRate();
            switch (behaviour) {
                case UNPLUG:
                    if (t >= 0.3) {
                        open = false;
                        throw new IllegalStateException("device removed");
                    }
                    break;
                case STALL:
                    if (t >= 0.2) {
                        while (open) { // blocks inside the "driver" until closed
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                        }
                        return 0;
                    }
                    break;
                case ZERO:
                    if (t >= 0.2) {
                        return 0;
                    }
                    break;
                default:
                    break;
            }
            int frames = len / 4;
            for (int i = 0; i < frames; i++, frame++) {
                short s = (short) Math.round(16384 * Math.sin(2 * Math.PI * 440 * frame / FORMAT.getSampleRate()));
                int o = off + 4 * i;
                b[o] = (byte) s;
                b[o + 1] = (byte) (s >> 8);
                b[o + 2] = (byte) s;
                b[o + 3] = (byte) (s >> 8);
            }
            if (behaviour != Behaviour.FAST) {
                // pace like a real device: the data is ready when its time has come
                long due = startNanos + (long) (frame / FORMAT.getSampleRate() * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            return frames * 4;
        }

        @Override
        public void drain() {
        }

        @Override
        public void flush() {
        }

        @Override
        public void start() {
            startNanos = System.nanoTime();
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public boolean isActive() {
            return running;
        }

        @Override
        public AudioFormat getFormat() {
            return FORMAT;
        }

        @Override
        public int getBufferSize() {
            return 8820;
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public int getFramePosition() {
            return (int) frame;
        }

        @Override
        public long getLongFramePosition() {
            return frame;
        }

        @Override
        public long getMicrosecondPosition() {
            return (long) (frame / FORMAT.getSampleRate() * 1e6);
        }

        @Override
        public float getLevel() {
            return AudioSystemNotSpecified.VALUE;
        }

        @Override
        public Line.Info getLineInfo() {
            return new DataLine.Info(TargetDataLine.class, FORMAT);
        }

        @Override
        public void open() throws LineUnavailableException {
            open(FORMAT);
        }

        @Override
        public void close() {
            open = false;
            running = false;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public Control[] getControls() {
            return new Control[0];
        }

        @Override
        public boolean isControlSupported(Control.Type control) {
            return false;
        }

        @Override
        public Control getControl(Control.Type control) {
            throw new IllegalArgumentException("no controls");
        }

        @Override
        public void addLineListener(LineListener listener) {
        }

        @Override
        public void removeLineListener(LineListener listener) {
        }
    }

    private static final class AudioSystemNotSpecified {
        static final float VALUE = javax.sound.sampled.AudioSystem.NOT_SPECIFIED;
    }
}
