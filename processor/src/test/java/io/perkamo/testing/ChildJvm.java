package io.perkamo.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Java main in its own process, started with this JVM's class path (so test sources and
 * the product both run), its output in a log file. Used by the benchmark and the fault
 * injection to run brokers and processors as separate processes that can be killed.
 */
public final class ChildJvm implements AutoCloseable {
    private static final List<ChildJvm> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        // whatever ends this JVM (Ctrl-C, an exception in main), its children end with it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(c -> c.process.destroyForcibly()),
                "child-jvm-stop"));
    }

    private final String name;
    private final Path log;
    private final Process process;

    private ChildJvm(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /**
     * @param jvmOptions e.g. -Xmx1g or a JFR option
     */
    public static ChildJvm start(String name, List<String> jvmOptions, String mainClass, List<String> args,
                                 Map<String, String> env, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "---- start " + name + " " + java.time.Instant.now() + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ChildJvm child = new ChildJvm(name, log, pb.start());
            STARTED.add(child);
            return child;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
    }

    public static List<String> cli(String... args) {
        return List.of(args);
    }

    /** Waits until the log (since this start) contains {@code text}; fails when the process ends first. */
    public void awaitLine(String text, Duration timeout) throws InterruptedException {
        boolean printed = Eventually.holdsWithin(timeout, () -> {
            if (lastStart().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " ended (exit " + process.exitValue() + ") before printing \""
                        + text + "\"; see " + log);
            }
            return false;
        });
        if (!printed) {
            throw new IllegalStateException(name + " did not print \"" + text + "\" within " + timeout + "; see " + log);
        }
    }

    private String lastStart() {
        try {
            String all = Files.readString(log, StandardCharsets.ISO_8859_1);
            int at = all.lastIndexOf("---- start " + name + " ");
            return at < 0 ? all : all.substring(at);
        } catch (IOException e) {
            return "";
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL, then waits for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends a signal by name (STOP, CONT, TERM, KILL) with kill(1). */
    public void signal(String signal) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (orderly shutdown), SIGKILL after the grace period. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    @Override
    public String toString() {
        return name + "(pid " + process.pid() + ")";
    }
}
