package io.perkamo.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.control.ProgramVersion;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramHistory;

/**
 * Every Space's program versions, compiled once per version. The truth is the global
 * programs store (the control topic); this is a cache over it, dropped per Space when the
 * global processor sees a new version and rebuilt from the store on the next input, which
 * also covers a restart (a global store is restored without its processor running).
 */
public final class ProgramRegistry {
    private static final Logger log = LoggerFactory.getLogger(ProgramRegistry.class);

    private final Map<String, ProgramHistory> histories = new ConcurrentHashMap<>();
    private final Map<String, CompiledProgram> compiled = new ConcurrentHashMap<>();

    ProgramHistory history(String space, ReadOnlyKeyValueStore<String, byte[]> store) {
        return histories.computeIfAbsent(space, s -> load(s, store));
    }

    void invalidate(String space) {
        histories.remove(space);
    }

    private ProgramHistory load(String space, ReadOnlyKeyValueStore<String, byte[]> store) {
        ProgramHistory history = ProgramHistory.EMPTY;
        // keys are "<slug>:<19-digit version>"; ';' sorts right after ':'
        try (KeyValueIterator<String, byte[]> it = store.range(space + ":", space + ";")) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                if (entry.value == null) {
                    continue;
                }
                CompiledProgram program = compiled.computeIfAbsent(entry.key, k -> compile(k, entry.value));
                if (program != null) {
                    history = history.with(program);
                }
            }
        }
        return history;
    }

    private CompiledProgram compile(String key, byte[] value) {
        try {
            return ProgramVersion.fromRecord(value).compile();
        } catch (RuntimeException e) {
            // Programs are validated before they are published; one that still fails is skipped
            // loudly rather than stopping every Space's stream.
            log.error("Program version {} cannot be compiled and is ignored: {}", key, e.getMessage());
            return null;
        }
    }
}
