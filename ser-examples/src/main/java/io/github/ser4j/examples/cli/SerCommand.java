package io.github.ser4j.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * The top-level {@code ser} command: it only dispatches to its subcommands. A new command is a class annotated with
 * {@link Command} (with {@code mixinStandardHelpOptions = true}) listed in {@code subcommands} below.
 */
@Command(name = "ser",
        mixinStandardHelpOptions = true,
        versionProvider = SerCommand.Version.class,
        description = "Speech emotion recognition on the JVM (ser4j).",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
                AnalyzeCommand.class,
                EvaluateCommand.class,
                FeaturesCommand.class,
                ExtractCommand.class,
                LiveCommand.class,
                ServeCommand.class,
                ModelsCommand.class,
                DevicesCommand.class,
                CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
                "  0   success",
                "  1   some inputs failed (reported in the output); the others were processed",
                "  2   invalid command line",
                "  3   no usable model (bad model card, no inference backend)",
                "  4   input/output failed (unreadable input, unwritable output, audio device)",
                "  5   the model failed while running",
                "  70  internal error (a bug; SER_DEBUG=1 prints the stack trace)"
        })
public final class SerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Creates the command; picocli fills in its fields. */
    public SerCommand() {
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** Reports the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SerCommand.class.getPackage().getImplementationVersion();
            return new String[] {"ser4j " + (v == null ? "(development build)" : v),
                    "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
                            + " " + System.getProperty("os.arch")};
        }
    }
}
