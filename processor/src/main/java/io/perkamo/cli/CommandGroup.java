package io.perkamo.cli;

import java.util.Map;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code spaces}, {@code keys}, {@code program} ...):
 * alone it prints its usage. It carries the environment its subcommands read (see
 * {@link CliSupport#env}), the process's unless a test gives its own.
 */
abstract class CommandGroup implements Runnable {
    final Map<String, String> env;

    @Spec
    CommandSpec spec;

    CommandGroup(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
