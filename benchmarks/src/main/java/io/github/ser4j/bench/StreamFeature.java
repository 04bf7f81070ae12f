package io.github.ser4j.bench;

import io.github.ser4j.dsp.stream.FeatureStream;

/** The features the streaming benchmarks run, with the parameters of the targets. */
enum StreamFeature {
    /** |STFT|^2, 257 values per frame. */
    stft_power {
        @Override
        FeatureStream newStream() {
            return Params.stft().newStream(2.0);
        }
    },
    /** Mel power spectrogram, 64 values per frame. */
    melspectrogram {
        @Override
        FeatureStream newStream() {
            return Params.melspectrogram().build().newStream();
        }
    },
    /** MFCC, 40 values per frame; top_db=None since a stream cannot know the whole signal's maximum. */
    mfcc {
        @Override
        FeatureStream newStream() {
            return Params.mfcc().topDb(null).build().newStream();
        }
    };

    abstract FeatureStream newStream();
}
