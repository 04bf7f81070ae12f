package io.github.ser4j.onnx;

import io.github.ser4j.api.SpeakerContext;
import io.github.ser4j.onnx.pipeline.SpeakerStatistics;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The speaker context of an ensemble: one {@link SpeakerStatistics} per member (each updated by its member's clips
 * with speech; a member that reuses another member's input, which has no feature statistics, leaves its clip count
 * at 0), and a count of the clips and windows in which at least one member found speech. Thread-safe: each
 * member's statistics and the count are updated atomically, but not together.
 */
final class EnsembleSpeakerContext implements SpeakerContext {
    private final EnsembleModel owner;
    private final SpeakerStatistics[] members;
    private final AtomicLong clips = new AtomicLong();

    EnsembleSpeakerContext(EnsembleModel owner, SpeakerStatistics[] members) {
        this.owner = owner;
        this.members = members;
    }

    EnsembleModel owner() {
        return owner;
    }

    /** {@return the statistics of member {@code i}} */
    SpeakerStatistics member(int i) {
        return members[i];
    }

    void counted() {
        clips.incrementAndGet();
    }

    @Override
    public long clips() {
        return clips.get();
    }

    /** {@return whether any member adapts to the speaker} */
    @Override
    public boolean adaptive() {
        return Arrays.stream(members).anyMatch(SpeakerStatistics::adaptive);
    }

    @Override
    public void reset() {
        for (SpeakerStatistics s : members) {
            s.reset();
        }
        clips.set(0);
    }

    @Override
    public String toString() {
        return "EnsembleSpeakerContext[" + clips() + " clips, " + members.length + " members]";
    }
}
