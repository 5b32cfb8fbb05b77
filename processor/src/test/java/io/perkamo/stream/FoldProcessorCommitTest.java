package io.perkamo.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.perkamo.schemas.input.Input;
import io.perkamo.topics.PerkamoHeaders;

/** An input someone waits on over HTTP asks Streams to commit early; one from a plain producer does not. */
class FoldProcessorCommitTest {

    @Test
    void anApiInputAsksForAnEarlyCommit() throws Exception {
        AtomicBoolean committed = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        // a fresh thread: the spacing between early commits is kept per stream thread
        Thread thread = new Thread(() -> {
            MockProcessorContext<Object, Object> context = context();
            FoldProcessor fold = processor(context);
            RecordHeaders headers = new RecordHeaders();
            headers.add(PerkamoHeaders.REQUEST_ID, "req-1/0".getBytes(StandardCharsets.UTF_8));
            fold.process(input("t1").withHeaders(headers));
            committed.set(context.committed());
        });
        thread.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        thread.start();
        thread.join();
        assertThat(failure.get()).isNull();
        assertThat(committed).isTrue();
    }

    @Test
    void aProducedInputWaitsForTheCommitInterval() {
        MockProcessorContext<Object, Object> context = context();
        processor(context).process(input("t2"));
        assertThat(context.forwarded()).extracting(f -> f.childName().orElse("")).contains(PerkamoTopology.OUTCOMES_SINK);
        assertThat(context.committed()).isFalse();
    }

    private static Record<Object, Object> input(String tx) {
        Input event = new Input.Event("u1", tx, "lesson.finished", JsonNodeFactory.instance.objectNode(),
                Instant.parse("2026-06-01T10:00:00Z"));
        return new Record<>("u1", new RoutedInput("s1", event, new byte[0]), 0L);
    }

    private static FoldProcessor processor(MockProcessorContext<Object, Object> context) {
        FoldProcessor fold = new FoldProcessor(new ProgramRegistry(), Duration.ofDays(30));
        fold.init(context);
        return fold;
    }

    private static MockProcessorContext<Object, Object> context() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        for (String name : new String[] {StoreNames.PROFILES, StoreNames.DECISIONS, StoreNames.PROGRAMS}) {
            KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                    Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        return context;
    }
}
