package io.perkamo.cli;

import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "spaces", description = "(not yet available)")
final class SpacesCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("perkamo spaces is not available yet");
    }
}
