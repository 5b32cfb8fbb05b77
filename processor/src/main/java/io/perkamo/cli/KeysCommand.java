package io.perkamo.cli;

import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "keys", description = "(not yet available)")
final class KeysCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("perkamo keys is not available yet");
    }
}
