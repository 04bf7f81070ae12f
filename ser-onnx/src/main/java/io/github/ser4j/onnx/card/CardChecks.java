package io.github.ser4j.onnx.card;

import io.github.ser4j.onnx.card.ModelCard.Audio;
import io.github.ser4j.onnx.card.ModelCard.Feature;
import io.github.ser4j.onnx.card.ModelCard.Features;

import java.util.List;

/** Checks of a card across sections, which the JSON Schema cannot express. Stateless. */
final class CardChecks {
    private CardChecks() {
    }

    /**
     * @param source   the card, for messages
     * @param audio    its audio section
     * @param features its features section
     * @throws io.github.ser4j.api.ModelException naming the field when the sections disagree
     */
    static void check(String source, Audio audio, Features features) {
        List<Feature> stack = features.stack();
        checkFunctionals(source, audio, stack);
        if (stack.size() > 1) {
            for (int i = 0; i < stack.size(); i++) {
                if (stack.get(i).kind() == FeatureKind.WAVEFORM) {
                    throw JsonFields.error(source, "features.stack[" + i + "].name",
                            "is waveform, which must be the only feature (its columns are samples, not frames)");
                }
            }
            Feature first = stack.get(0);
            for (int i = 1; i < stack.size(); i++) {
                Feature f = stack.get(i);
                if (f.hopLength() != first.hopLength()) {
                    throw JsonFields.error(source, "features.stack[" + i + "].params.hop_length", "is "
                            + f.hopLength() + " but features.stack[0] has " + first.hopLength()
                            + ": stacked features need the same frame count");
                }
                if (f.center() != first.center()) {
                    throw JsonFields.error(source, "features.stack[" + i + "].params.center", "is " + f.center()
                            + " but features.stack[0] has " + first.center()
                            + ": stacked features need the same frame count");
                }
                if (f.center() && f.frameLength() % 2 != first.frameLength() % 2) {
                    throw JsonFields.error(source, "features.stack[" + i + "]", "has frame length "
                            + f.frameLength() + " but features.stack[0] has " + first.frameLength()
                            + ": with center=true stacked features need n_fft/frame_length that are all even or all "
                            + "odd (an odd one gives one frame fewer for some clip lengths)");
                }
                if (!f.center() && f.frameLength() != first.frameLength()) {
                    throw JsonFields.error(source, "features.stack[" + i + "]", "has frame length "
                            + f.frameLength() + " but features.stack[0] has " + first.frameLength()
                            + ": with center=false stacked features need the same n_fft/frame_length");
                }
            }
        }
    }

    /** functionals: the only feature, at 16 kHz (training/functionals.py's SR). */
    private static void checkFunctionals(String source, Audio audio, List<Feature> stack) {
        for (int i = 0; i < stack.size(); i++) {
            if (stack.get(i).kind() != FeatureKind.FUNCTIONALS) {
                continue;
            }
            if (stack.size() > 1) {
                throw JsonFields.error(source, "features.stack[" + i + "].name", "is functionals, which must be the "
                        + "only feature (one column of 139 clip-level values, not frames)");
            }
            int sr = io.github.ser4j.dsp.prosody.Functionals.SR;
            if (audio.sampleRate() != sr) {
                throw JsonFields.error(source, "audio.sample_rate", "is " + (audio.keepsNativeRate()
                        ? "null (the clip's own rate)" : audio.sampleRate()) + " but features.stack[" + i
                        + "] is functionals, which supports only " + sr + " Hz (set \"sample_rate\": " + sr + ")");
            }
        }
    }
}
