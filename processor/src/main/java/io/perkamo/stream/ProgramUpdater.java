package io.perkamo.stream;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Global processor of the programs control topic: keeps the global store, tells the registry. */
final class ProgramUpdater implements Processor<String, byte[], Void, Void> {
    private final ProgramRegistry registry;
    private KeyValueStore<String, byte[]> store;

    ProgramUpdater(ProgramRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(StoreNames.PROGRAMS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        int colon = record.key().lastIndexOf(':');
        if (colon > 0) {
            registry.invalidate(record.key().substring(0, colon));
        }
    }
}
