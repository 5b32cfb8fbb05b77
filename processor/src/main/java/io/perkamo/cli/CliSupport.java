package io.perkamo.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.KafkaException;
import org.slf4j.LoggerFactory;

import io.perkamo.control.ControlPlaneException;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.local.PerkamoHome;
import io.perkamo.topics.TopicsException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every command shares: running a command body so that an expected failure becomes one
 * {@code perkamo: ...} line on stderr and exit code 1, the environment of the run (the one a
 * {@link CommandGroup} was given, for tests, else the process's), $PERKAMO_HOME and the
 * master key.
 */
final class CliSupport {

    private CliSupport() {
    }

    /** A command's body. */
    interface Action {
        void run() throws Exception;
    }

    /** Runs a command: expected failures become one line on stderr and exit code 1. */
    static int execute(CommandSpec spec, Action action) {
        quietClientLogs(env(spec));
        try {
            action.run();
            return 0;
        } catch (IllegalArgumentException | ControlPlaneException | TopicsException | IllegalStateException
                 | KafkaException e) {
            printError(spec, e.getMessage() == null ? e.toString() : e.getMessage());
            return 1;
        } catch (Exception e) {
            printError(spec, e.toString());
            return 1;
        }
    }

    /** The one-line error format of every command. */
    static void printError(CommandSpec spec, String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("perkamo: " + message);
        err.flush();
    }

    /** The environment of this run: that of the nearest enclosing {@link CommandGroup}, else the process's. */
    static Map<String, String> env(CommandSpec spec) {
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            if (s.userObject() instanceof CommandGroup group) {
                return group.env;
            }
        }
        return System.getenv();
    }

    /** $PERKAMO_HOME of this environment, else that of the process (default ~/.perkamo). */
    static PerkamoHome home(Map<String, String> env) {
        String home = env.get("PERKAMO_HOME");
        return home != null && !home.isBlank()
                ? new PerkamoHome(Path.of(home).toAbsolutePath())
                : PerkamoHome.fromEnvironment();
    }

    /**
     * PERKAMO_MASTER_KEY, else $PERKAMO_HOME/master.key; when neither exists the file is created
     * if {@code createIfMissing} (local mode), else this fails telling the user what to set.
     */
    static MasterKey masterKey(Map<String, String> env, boolean createIfMissing) {
        return MasterKey.fromEnvironmentOrFile(env, home(env).masterKeyFile(), createIfMissing);
    }

    /** Kafka clients warn on every failed connection; a CLI says it once, in its own words. */
    private static void quietClientLogs(Map<String, String> env) {
        if (env.containsKey("PERKAMO_KAFKA_LOG_LEVEL")) {
            return;
        }
        if (LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger kafka) {
            kafka.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        if (!env.containsKey("PERKAMO_LOG_LEVEL")
                && LoggerFactory.getLogger("io.perkamo.control") instanceof ch.qos.logback.classic.Logger control) {
            control.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
