package io.github.ser4j.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.BackendNotFoundException;
import io.github.ser4j.api.EmotionRecognizer;
import io.github.ser4j.api.ModelInfo;
import io.github.ser4j.api.RecognizerOptions;
import io.github.ser4j.examples.io.Json;
import io.github.ser4j.examples.io.ModelJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ser models}: what the embedded default model and any given model cards are. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"Lists the embedded default model and the given model cards: labels, sample rate, streaming "
                + "window and hop, licence and provenance.",
                "Exit code 3 if a given card is unusable, or if no card is given and no default model is embedded."})
public final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "CARD", description = "A model card (JSON) to describe; repeatable.")
    List<Path> cards = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (one JSON object per model per line). Default: ${DEFAULT-VALUE}.")
    Format format;

    /** Output formats of this command. */
    enum Format { text, json }

    /** Creates the command; picocli fills in its fields. */
    public ModelsCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int code = ExitCodes.OK;
        int shown = 0;
        try (EmotionRecognizer r = EmotionRecognizer.create(RecognizerOptions.defaults())) {
            print(out, "embedded", r.model());
            shown++;
        } catch (BackendNotFoundException e) {
            err.println("ser models: no embedded default model: " + e.getMessage());
            if (cards.isEmpty()) {
                code = ExitCodes.MODEL;
            }
        }
        for (Path card : cards) {
            try (EmotionRecognizer r = EmotionRecognizer.create(card, RecognizerOptions.defaults())) {
                print(out, card.toString(), r.model());
                shown++;
            } catch (RuntimeException e) {
                err.println("ser models: " + card + ": " + Main.describe(e));
                code = Math.max(code, ExitCodes.of(e) == ExitCodes.INTERNAL ? ExitCodes.INTERNAL : ExitCodes.MODEL);
            }
        }
        out.flush();
        return shown == 0 && code == ExitCodes.OK ? ExitCodes.MODEL : code;
    }

    private void print(PrintWriter out, String source, ModelInfo m) {
        if (format == Format.json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("source", source);
            out.println(Json.line(ModelJson.put(o, m)));
        } else {
            out.println(m.name() + " " + m.version() + "  (" + source + ")");
            out.println("  labels:      " + String.join(", ", m.labels()));
            out.println(String.format(Locale.ROOT, "  audio:       %d Hz; streaming window %.2f s, hop %.2f s",
                    m.sampleRate(), m.windowSeconds(), m.hopSeconds()));
            out.println("  license:     " + m.license());
            out.println("  provenance:  " + m.description().replace("\n", "\n               "));
            out.println();
        }
    }
}
