package io.perkamo.core.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import org.apache.avro.specific.SpecificRecordBase;

import io.perkamo.schemas.AvroTrust;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.avro.StoredDecision;

/**
 * State-store values: Avro single-object encoding (a schema fingerprint, then the binary
 * body), so a store written by an older release can be told apart and resolved.
 */
public final class StoreCodecs {
    static {
        AvroTrust.install();
    }

    private StoreCodecs() {
    }

    public static byte[] encode(SpecificRecordBase record) {
        try {
            ByteBuffer buffer;
            if (record instanceof Profile p) {
                buffer = Profile.getEncoder().encode(p);
            } else if (record instanceof StoredDecision d) {
                buffer = StoredDecision.getEncoder().encode(d);
            } else {
                throw new IllegalArgumentException("not a store value: " + record.getClass());
            }
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Profile decodeProfile(byte[] bytes) {
        try {
            return Profile.getDecoder().decode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable profile in the state store", e);
        }
    }

    public static StoredDecision decodeDecision(byte[] bytes) {
        try {
            return StoredDecision.getDecoder().decode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable decision in the state store", e);
        }
    }
}
