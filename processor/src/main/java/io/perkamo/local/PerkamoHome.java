package io.perkamo.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where local mode keeps its data: $PERKAMO_HOME, default ~/.perkamo. The broker's log
 * and metadata, the Streams state and the master key all live below it, so a restart
 * finds everything as it was.
 */
public record PerkamoHome(Path root) {

    public static PerkamoHome fromEnvironment() {
        return from(System.getenv());
    }

    static PerkamoHome from(Map<String, String> env) {
        String configured = env.get("PERKAMO_HOME");
        if (configured != null && !configured.isBlank()) {
            return new PerkamoHome(Path.of(configured).toAbsolutePath());
        }
        return new PerkamoHome(Path.of(System.getProperty("user.home"), ".perkamo"));
    }

    public Path kafkaDir() {
        return root.resolve("kafka");
    }

    public Path stateDir() {
        return root.resolve("streams");
    }

    public Path masterKeyFile() {
        return root.resolve("master.key");
    }

    /** The console's operator token, as its SHA-256 (delete it for a new token at the next start). */
    public Path operatorTokenFile() {
        return root.resolve("operator-token.sha256");
    }
}
