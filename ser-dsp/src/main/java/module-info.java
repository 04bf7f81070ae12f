/**
 * librosa-exact audio features, resampling and voice-activity detection for ser4j. The package
 * {@code io.github.ser4j.dsp.internal} is not exported.
 */
// JTransforms and JLargeArrays have no module names of their own: their jar file names give them. A descriptor (not
// just an Automatic-Module-Name) is needed all the same: ser-onnx requires this module, and javac finds a module in a
// reactor's target/classes only by its module-info.class.
@SuppressWarnings("requires-automatic")
module io.github.ser4j.dsp {
    requires transitive io.github.ser4j.api;
    requires JTransforms;
    requires JLargeArrays;
    requires org.slf4j;

    exports io.github.ser4j.dsp.denoise;
    exports io.github.ser4j.dsp.feature;
    exports io.github.ser4j.dsp.fft;
    exports io.github.ser4j.dsp.prosody;
    exports io.github.ser4j.dsp.signal;
    exports io.github.ser4j.dsp.spectral;
    exports io.github.ser4j.dsp.stream;
    exports io.github.ser4j.dsp.vad;

    provides io.github.ser4j.api.spi.VadProvider with io.github.ser4j.dsp.vad.EnergyVadProvider;
}
