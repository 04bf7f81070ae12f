package io.github.ser4j.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ser4j.api.AudioDevice;
import io.github.ser4j.api.AudioSource;
import io.github.ser4j.examples.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ser devices}: the capture devices {@code ser live --device} accepts. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"Lists the audio capture devices (names for 'ser live --device NAME').",
                "Prints a note to stderr and exits 0 when there are none."})
public final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (one JSON object per device per line). Default: ${DEFAULT-VALUE}.")
    ModelsCommand.Format format;

    /** Creates the command; picocli fills in its fields. */
    public DevicesCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<AudioDevice> devices = AudioSource.inputDevices();
        if (devices.isEmpty()) {
            spec.commandLine().getErr().println("ser devices: no audio capture devices found");
        }
        for (AudioDevice d : devices) {
            if (format == ModelsCommand.Format.json) {
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.put("name", d.name());
                o.put("description", d.description());
                out.println(Json.line(o));
            } else {
                out.println(d.description().isEmpty() ? d.name() : d.name() + "  -  " + d.description());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
