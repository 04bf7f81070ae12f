package io.github.ser4j.onnx.card;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.ser4j.api.ModelException;
import io.github.ser4j.onnx.card.EnsembleCard.Member;
import io.github.ser4j.onnx.card.EnsembleCard.Use;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads an ensemble card's JSON into an {@link EnsembleCard}. Stateless. */
final class EnsembleCardReader {
    /** The top-level field that makes a card an ensemble card. */
    static final String ENSEMBLE = "ensemble";
    /** Sections of a single-model card that an ensemble card must not have: its members have them. */
    private static final List<String> MEMBER_SECTIONS =
            List.of("model", "audio", "speech_gate", "features", "input", "output");
    private static final JsonFactory FACTORY = new JsonFactory();

    private EnsembleCardReader() {
    }

    static boolean isEnsemble(byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                if (ENSEMBLE.equals(p.currentName())) {
                    return true;
                }
                p.nextToken();
                p.skipChildren();
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static EnsembleCard parse(byte[] json, String source) {
        JsonFields top = ModelCardReader.header(source, ModelCardReader.tree(json, source));
        for (String section : MEMBER_SECTIONS) {
            if (top.has(section)) {
                throw top.error(section, "is not allowed in an ensemble card: each member card has its own (an "
                        + "ensemble card has format, schema_version, name, version, description, ensemble, streaming "
                        + "and provenance)");
            }
        }
        if (!top.has(ENSEMBLE)) {
            throw top.error(ENSEMBLE, "is required but missing (this is a single-model card: read it with "
                    + "ModelCard.parse)");
        }
        String name = top.requiredString("name");
        String version = top.requiredString("version");
        String description = top.string("description", "");
        JsonFields ens = top.object(ENSEMBLE, true);
        List<Member> members = parseMembers(ens);
        ens.finish();
        JsonFields sf = top.object("streaming", false);
        Optional<ModelCard.Streaming> streaming = Optional.empty();
        if (sf != null) {
            sf.required("window_seconds");
            streaming = Optional.of(ModelCardReader.parseStreaming(sf, 0));
        }
        String[] provenance = ModelCardReader.provenance(top);
        top.finish();
        return new EnsembleCard(source, name, version, description, members, streaming, provenance[1],
                provenance[0]);
    }

    private static List<Member> parseMembers(JsonFields ens) {
        JsonNode list = ens.required("members");
        String path = ens.child("members");
        if (!list.isArray() || list.isEmpty() || list.size() > EnsembleCard.MAX_MEMBERS) {
            throw JsonFields.error(ens.source(), path, "must be an array of 1 to " + EnsembleCard.MAX_MEMBERS
                    + " members, got " + JsonFields.describe(list));
        }
        List<Member> members = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonFields m = JsonFields.object(ens.source(), path + "[" + i + "]", list.get(i));
            String card = m.requiredString("card");
            String sha = m.string("sha256", null);
            if (sha != null && !sha.matches("[0-9a-f]{64}")) {
                throw m.error("sha256", "must be 64 lowercase hexadecimal digits, got \"" + sha + "\"");
            }
            double weight = m.number("weight", 1.0, 0.0, 1e6, true);
            Use use = Use.valueOf(m.choice("use", "always", "always", "single_clip", "adapted")
                    .toUpperCase(Locale.ROOT));
            boolean av = m.bool("arousal_valence", true);
            m.finish();
            members.add(new Member(card, Optional.ofNullable(sha), weight, use, av));
        }
        for (boolean adapted : new boolean[] {false, true}) {
            if (members.stream().noneMatch(m -> m.use().appliesTo(adapted))) {
                throw new ModelException("model card " + ens.source() + ": " + path + " has no member for "
                        + (adapted ? "adapted calls (with a speaker context): give one \"use\": \"always\" or "
                        + "\"adapted\"" : "single clips (no speaker context): give one \"use\": \"always\" or "
                        + "\"single_clip\""));
            }
        }
        return members;
    }
}
