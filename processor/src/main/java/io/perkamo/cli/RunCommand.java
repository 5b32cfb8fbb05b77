package io.perkamo.cli;

import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "run", description = "(not yet available)")
final class RunCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("perkamo run is not available yet");
    }
}
