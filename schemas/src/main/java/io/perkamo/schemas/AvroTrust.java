package io.perkamo.schemas;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Lets Avro instantiate the generated classes of io.perkamo.schemas.avro.
 *
 * <p>Since 1.12.1 Avro refuses to load a class by schema name unless it is trusted, and it
 * does that even to fill a builder's default (an Outcome built without delta fails with
 * "Forbidden io.perkamo.schemas.avro.OutcomeDelta"). The serdes and JSON mappers of this
 * module call {@link #install()} themselves; code that builds or reads generated records
 * without them calls it once at startup (or sets the system property
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES=io.perkamo.schemas.avro}).
 */
public final class AvroTrust {

    private static final String PACKAGE = "io.perkamo.schemas.avro.";
    private static volatile boolean installed;

    private AvroTrust() {
    }

    /** Adds the generated package to Avro's trusted classes, keeping whatever was trusted before. Idempotent. */
    public static void install() {
        if (installed) {
            return;
        }
        synchronized (AvroTrust.class) {
            if (!installed) {
                ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
                ClassSecurityPredicate ours = type -> type.getName().startsWith(PACKAGE);
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous, ours));
                installed = true;
            }
        }
    }
}
