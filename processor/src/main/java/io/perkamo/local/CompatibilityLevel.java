package io.perkamo.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** The Confluent compatibility levels, checked with Avro's own reader/writer rules. */
enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    static Optional<CompatibilityLevel> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }

    /**
     * Why the candidate may not follow the existing versions (oldest first); empty when it
     * may. Non-transitive levels look at the newest version only.
     */
    List<String> problems(Schema candidate, List<Schema> existing) {
        if (this == NONE || existing.isEmpty()) {
            return List.of();
        }
        List<Schema> against = transitive() ? existing : List.of(existing.get(existing.size() - 1));
        List<String> problems = new ArrayList<>();
        for (Schema previous : against) {
            if (this != FORWARD && this != FORWARD_TRANSITIVE) {
                // backward: the new schema reads what the previous one wrote
                problems.addAll(describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous),
                        "new schema cannot read data written with an earlier one"));
            }
            if (this != BACKWARD && this != BACKWARD_TRANSITIVE) {
                // forward: the previous schema reads what the new one writes
                problems.addAll(describe(SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate),
                        "an earlier schema cannot read data written with the new one"));
            }
        }
        return problems;
    }

    private static List<String> describe(SchemaPairCompatibility pair, String direction) {
        if (pair.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return pair.getResult().getIncompatibilities().stream()
                .map(i -> direction + ": " + i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .toList();
    }
}
