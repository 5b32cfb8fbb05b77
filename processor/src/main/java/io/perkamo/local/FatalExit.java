package io.perkamo.local;

import org.apache.kafka.common.utils.internals.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's broker calls Exit.exit/halt on fatal errors, which would end the whole JVM
 * (API, processor) without a word. In local mode we log the reason loudly, then end the
 * process with the same status so a supervisor sees the failure.
 */
final class FatalExit {
    private static final Logger log = LoggerFactory.getLogger(FatalExit.class);
    private static volatile boolean installed;

    private FatalExit() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        Exit.setExitProcedure((status, message) -> fail("exit", status, message));
        Exit.setHaltProcedure((status, message) -> fail("halt", status, message));
        installed = true;
    }

    private static void fail(String how, int status, String message) {
        String text = "The embedded Kafka broker asked to " + how + " the JVM with status " + status
                + (message == null ? "" : ": " + message);
        log.error(text);
        System.err.println("perkamo: fatal: " + text);
        if (Boolean.getBoolean("perkamo.exit.throw")) {
            throw new IllegalStateException(text);
        }
        Runtime.getRuntime().halt(status == 0 ? 1 : status);
    }
}
