package io.perkamo.cli;

import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "program", description = "(not yet available)")
final class ProgramCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("perkamo program is not available yet");
    }
}
