package io.perkamo.stream;

import java.util.function.Function;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes outcomes and profiles in the deployment's output format: JSON (readable with kcat,
 * the local default) or Avro in the Confluent wire format (schemas registered under
 * TopicNameStrategy by the wrapped serializer). Unwraps the Space the fold attached.
 */
public final class OutputSerializer<V> implements Serializer<Object> {
    private final Serializer<V> delegate;

    private OutputSerializer(Serializer<V> delegate) {
        this.delegate = delegate;
    }

    /** @param toJson the value as compact UTF-8 JSON */
    public static <V> OutputSerializer<V> json(Function<V, byte[]> toJson) {
        return new OutputSerializer<>((topic, value) -> toJson.apply(value));
    }

    public static <V> OutputSerializer<V> of(Serializer<V> serializer) {
        return new OutputSerializer<>(serializer);
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        return delegate.serialize(topic, unwrap(data));
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Object data) {
        return delegate.serialize(topic, headers, unwrap(data));
    }

    @SuppressWarnings("unchecked")
    private V unwrap(Object data) {
        return data instanceof SpaceValue<?> sv ? (V) sv.value() : (V) data;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
