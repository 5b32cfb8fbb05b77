package io.perkamo.cli;

import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "broker", description = "(not yet available)")
final class BrokerCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("perkamo broker is not available yet");
    }
}
