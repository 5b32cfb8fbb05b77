package io.perkamo.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A second baseline: the Perkamo processor's I/O shape with no logic in it. Per input it reads
 * and writes a per-user store and a per-transaction store (RocksDB, changelogged, no cache, as
 * the processor's) and emits two records, all of the average sizes the Perkamo run wrote. What
 * it reaches bounds any processor that must persist and emit this much per input on this box;
 * the gap between it and Perkamo is what parsing, folding and encoding cost.
 *
 * <p>Args: bootstrap input-topic outcomes-topic profiles-topic state-dir threads
 * outcome-bytes profile-bytes stored-profile-bytes stored-decision-bytes. Prints "RUNNING" when ready.
 */
public final class IoShapeApp {
    private IoShapeApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        String bootstrap = args[0];
        String outcomes = args[2];
        String profiles = args[3];
        int[] sizes = {Integer.parseInt(args[6]), Integer.parseInt(args[7]), Integer.parseInt(args[8]),
                Integer.parseInt(args[9])};
        Topology topology = new Topology();
        topology.addSource("in", Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(), args[1]);
        topology.addProcessor("shape", () -> new Shape(sizes), "in");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("users"),
                Serdes.String(), Serdes.ByteArray()), "shape");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("transactions"),
                Serdes.String(), Serdes.ByteArray()), "shape");
        topology.addSink("outcomes", outcomes, Serdes.Bytes().serializer(), Serdes.ByteArray().serializer(), "shape");
        topology.addSink("profiles", profiles, Serdes.Bytes().serializer(), Serdes.ByteArray().serializer(), "shape");
        CountApp.run(topology, "bench-io-shape", bootstrap, args[4], Integer.parseInt(args[5]), 100);
    }

    /** Values are the input's bytes repeated to size: text that compresses like the real JSON. */
    private static final class Shape implements Processor<Object, byte[], Object, byte[]> {
        private final int[] sizes;
        private ProcessorContext<Object, byte[]> context;
        private KeyValueStore<String, byte[]> users;
        private KeyValueStore<String, byte[]> transactions;
        private long sequence;

        Shape(int[] sizes) {
            this.sizes = sizes;
        }

        @Override
        public void init(ProcessorContext<Object, byte[]> context) {
            this.context = context;
            this.users = context.getStateStore("users");
            this.transactions = context.getStateStore("transactions");
        }

        @Override
        public void process(Record<Object, byte[]> record) {
            String user = new String(((org.apache.kafka.common.utils.Bytes) record.key()).get(), StandardCharsets.UTF_8);
            String transaction = user + '\u0000' + sequence++;
            byte[] input = record.value().length == 0 ? new byte[] {'x'} : record.value();
            users.get(user);
            transactions.get(transaction);
            users.put(user, fill(input, sizes[2]));
            transactions.put(transaction, fill(input, sizes[3]));
            context.forward(record.withValue(fill(input, sizes[1])), "profiles");
            context.forward(record.withValue(fill(input, sizes[0])), "outcomes");
        }

        private static byte[] fill(byte[] from, int size) {
            byte[] out = Arrays.copyOf(from, size);
            for (int i = from.length; i < size; i++) {
                out[i] = from[i % from.length];
            }
            return out;
        }
    }
}
