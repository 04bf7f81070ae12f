package io.github.ser4j.onnx.card;

import io.github.ser4j.api.ModelException;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed and checked ensemble card: a model card ({@code ser4j-model-card}, schema version
 * {@value ModelCard#SCHEMA_VERSION}) with an {@code ensemble} section instead of {@code model}, {@code audio},
 * {@code speech_gate}, {@code features}, {@code input} and {@code output}. Its members are ordinary (single-model)
 * cards, named relative to the ensemble card's folder; the recogniser fuses their probabilities (and arousal/valence)
 * by a weighted mean. The format is documented in {@code docs/model-card.md} ("Ensemble cards").
 *
 * <p>Parsing checks the ensemble card alone (fields, ranges, that each mode has a member); the members themselves
 * (that they are single-model cards with the same labels and sample rate) are checked when a recogniser loads them.
 * Every failure is a {@link ModelException} naming the card, the field's JSON path and the value.
 *
 * <p>Immutable and thread-safe.
 */
public final class EnsembleCard {
    /** Most members an ensemble may have. */
    public static final int MAX_MEMBERS = 8;

    /** When a member runs. */
    public enum Use {
        /** In both modes. */
        ALWAYS,
        /** Only for calls without a speaker context (single clip). */
        SINGLE_CLIP,
        /** Only for calls with a speaker context (adapted). */
        ADAPTED;

        /**
         * @param adapted whether the call has a speaker context in play
         * @return whether a member with this use runs in that mode
         */
        public boolean appliesTo(boolean adapted) {
            return this == ALWAYS || (this == ADAPTED) == adapted;
        }

        /** {@return the name used in cards, e.g. {@code single_clip}} */
        public String cardName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One member. Immutable and thread-safe.
     *
     * @param card           the member card's path relative to the ensemble card's folder, '/'-separated
     * @param sha256         the SHA-256 of the member card file's bytes (lowercase hex), if pinned
     * @param weight         the member's weight in the fused mean, finite and greater than 0
     * @param use            in which mode the member runs
     * @param arousalValence whether the member's arousal/valence counts in the fused arousal/valence
     */
    public record Member(String card, Optional<String> sha256, double weight, Use use, boolean arousalValence) {
    }

    private final String source;
    private final String name;
    private final String version;
    private final String description;
    private final List<Member> members;
    private final Optional<ModelCard.Streaming> streaming;
    private final String license;
    private final String provenanceJson;

    EnsembleCard(String source, String name, String version, String description, List<Member> members,
                 Optional<ModelCard.Streaming> streaming, String license, String provenanceJson) {
        this.source = source;
        this.name = name;
        this.version = version;
        this.description = description;
        this.members = List.copyOf(members);
        this.streaming = streaming;
        this.license = license;
        this.provenanceJson = provenanceJson;
    }

    /**
     * Parses and checks an ensemble card.
     *
     * @param json   the card's bytes (UTF-8 JSON)
     * @param source a name for messages, e.g. the file path or class-path resource
     * @return the card
     * @throws ModelException if the card is invalid or not an ensemble card (the message names the source and field)
     */
    public static EnsembleCard parse(byte[] json, String source) {
        return EnsembleCardReader.parse(json, source);
    }

    /**
     * Cheap check whether the bytes of a card are an ensemble card: a JSON object with a top-level {@code ensemble}
     * field. Says nothing about validity; false for anything that is not a JSON object.
     *
     * @param json bytes of a card
     * @return whether {@link #parse} (rather than {@link ModelCard#parse}) is the reader for them
     */
    public static boolean isEnsemble(byte[] json) {
        return EnsembleCardReader.isEnsemble(json);
    }

    /** {@return where the card came from (file path or resource), as used in messages} */
    public String source() {
        return source;
    }

    /** {@return the ensemble's name} */
    public String name() {
        return name;
    }

    /** {@return the ensemble's version} */
    public String version() {
        return version;
    }

    /** {@return the description, possibly empty} */
    public String description() {
        return description;
    }

    /** {@return the members in card order, 1 to {@value #MAX_MEMBERS}; unmodifiable} */
    public List<Member> members() {
        return members;
    }

    /** {@return the streaming defaults, if the card has them (otherwise the first member's apply)} */
    public Optional<ModelCard.Streaming> streaming() {
        return streaming;
    }

    /** {@return {@code provenance.license}, or {@code "unknown"}} */
    public String license() {
        return license;
    }

    /** {@return the provenance object as compact JSON ({@code "{}"} when absent)} */
    public String provenanceJson() {
        return provenanceJson;
    }

    @Override
    public String toString() {
        return "EnsembleCard[" + name + " " + version + ", " + members.size() + " members, from " + source + "]";
    }
}
