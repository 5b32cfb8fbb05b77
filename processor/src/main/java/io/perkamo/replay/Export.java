package io.perkamo.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;

import io.perkamo.schemas.AvroTrust;
import io.perkamo.schemas.Json;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.input.OutcomeJson;
import io.perkamo.schemas.input.ProfileJson;
import io.perkamo.schemas.registry.SchemaRegistryClient;
import io.perkamo.schemas.wire.ConfluentWire;
import io.perkamo.topics.InputRouting;
import io.perkamo.topics.OutputFormat;
import io.perkamo.topics.Topics;
import io.perkamo.topics.WireFormats;

/**
 * {@code perkamo export}: a Space's events, outcomes or profiles topic (read_committed, up to
 * its end now) as JSON lines or an Avro object container file, for DuckDB, Spark, pandas, and
 * for {@code perkamo replay --input}.
 *
 * <ul>
 *   <li>outcomes, profiles: one record per line as the contract's JSON (JSON lines), or the
 *       schemas' Outcome / Profile records (Avro), whichever format the deployment writes.</li>
 *   <li>events: each record exactly (partition, offset, time, key, value, headers), with what the
 *       router made of it (fold, move, refuse and its DLQ code) and the input's main fields; a
 *       header (the first JSON line, or Avro metadata) holds the partition count and program
 *       versions.</li>
 * </ul>
 */
public final class Export {
    static {
        // the Avro writers build generated records by schema name: without this a fresh
        // `perkamo export --format avro` fails with "Forbidden io.perkamo.schemas.avro.Profile"
        AvroTrust.install();
    }

    public enum Topic { EVENTS, OUTCOMES, PROFILES;

        public static Topic of(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    public enum Format { JSONL, AVRO;

        public static Format of(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    static final String EVENT_SCHEMA = "/io/perkamo/replay/EventRecord.avsc";

    private Export() {
    }

    /** Writes the topic to {@code out} and returns the number of records written. */
    public static long write(String bootstrap, String space, Topic topic, Format format,
                             Optional<SchemaRegistryClient> registry, OutputStream out)
            throws IOException, InterruptedException {
        if (topic == Topic.EVENTS) {
            try (SpaceHistory history = SpaceHistory.fromCluster(bootstrap, space, registry, Optional.empty())) {
                ExportHeader header = new ExportHeader(space, history.events().topic(), history.events().partitions(),
                        Instant.now(), history.programs());
                return format == Format.JSONL ? eventsJsonl(history, header, out) : eventsAvro(history, header, out);
            }
        }
        SpaceHistory.programs(bootstrap, space); // the Space must exist
        String name = topic == Topic.OUTCOMES ? Topics.OUTCOMES.name(space) : Topics.PROFILES.name(space);
        WireFormats formats = new WireFormats(registry.isPresent() ? OutputFormat.AVRO : OutputFormat.JSON, registry);
        try (KafkaEventLog log = new KafkaEventLog(bootstrap, name, Optional.empty())) {
            if (topic == Topic.OUTCOMES) {
                return values(log, Topics.OUTCOMES.valueSerde(formats).deserializer(), OutcomeJson::bytes,
                        Outcome.getClassSchema(), format, out);
            }
            return values(log, Topics.PROFILES.valueSerde(formats).deserializer(), ProfileJson::bytes,
                    Profile.getClassSchema(), format, out);
        }
    }

    // ---- outcomes and profiles

    private static <V extends SpecificRecord> long values(EventLog log, Deserializer<V> reader,
                                                          java.util.function.Function<V, byte[]> toJson, Schema schema,
                                                          Format format, OutputStream out)
            throws IOException, InterruptedException {
        long[] n = {0};
        if (format == Format.JSONL) {
            log.read((partition, batch) -> {
                for (LogRecord r : batch) {
                    if (r.value() == null) {
                        continue;
                    }
                    // a JSON deployment's record is the contract's JSON already
                    byte[] line = ConfluentWire.isFramed(r.value())
                            ? toJson.apply(reader.deserialize(log.topic(), r.value())) : r.value();
                    write(out, line);
                    write(out, NEWLINE);
                    n[0]++;
                }
                return true;
            });
            out.flush();
            return n[0];
        }
        try (DataFileWriter<V> writer = new DataFileWriter<>(new SpecificDatumWriter<V>(schema))) {
            writer.setCodec(CodecFactory.deflateCodec(6));
            writer.create(schema, nonClosing(out));
            log.read((partition, batch) -> {
                for (LogRecord r : batch) {
                    if (r.value() != null) {
                        append(writer, reader.deserialize(log.topic(), r.value()));
                        n[0]++;
                    }
                }
                return true;
            });
        }
        out.flush();
        return n[0];
    }

    // ---- events

    private static final byte[] NEWLINE = {'\n'};

    private static long eventsJsonl(SpaceHistory history, ExportHeader header, OutputStream out)
            throws IOException, InterruptedException {
        write(out, Json.MAPPER.writeValueAsBytes(Json.MAPPER.createObjectNode().set(ExportHeader.FIELD,
                header.toJson())));
        write(out, NEWLINE);
        long[] n = {0};
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(nonClosing(out), JsonEncoding.UTF8)) {
            g.setRootValueSeparator(null);
            EventLog log = history.events();
            log.read((partition, batch) -> {
                try {
                    for (LogRecord r : batch) {
                        eventLine(g, r, route(history, r));
                        g.writeRaw('\n');
                        n[0]++;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return true;
            });
        }
        out.flush();
        return n[0];
    }

    private static InputRouting.Route route(SpaceHistory history, LogRecord r) {
        int partitions = history.events().partitions();
        return InputRouting.route(history.decoder(), history.events().topic(), r.partition(), t -> partitions, r.key(),
                r.value(), r.timestamp(), r.rerouted());
    }

    private static void eventLine(JsonGenerator g, LogRecord r, InputRouting.Route route) throws IOException {
        g.writeStartObject();
        g.writeNumberField("partition", r.partition());
        g.writeNumberField("offset", r.offset());
        g.writeStringField("timestamp", Instant.ofEpochMilli(r.timestamp()).toString());
        bytesField(g, "key", r.key());
        bytesField(g, "value", r.value());
        g.writeArrayFieldStart("headers");
        for (Header h : r.headers()) {
            g.writeStartArray();
            g.writeString(h.key());
            if (h.value() == null) {
                g.writeNull();
            } else {
                g.writeString(Base64.getEncoder().encodeToString(h.value()));
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        Decoded d = decoded(route);
        g.writeStringField("route", d.route());
        g.writeStringField("dlq_code", d.dlqCode());
        g.writeStringField("user_id", d.input().map(Input::userId).orElse(null));
        g.writeStringField("kind", d.input().map(Input::kind).orElse(null));
        g.writeStringField("event", d.input().filter(i -> i instanceof Input.Event)
                .map(i -> ((Input.Event) i).event()).orElse(null));
        g.writeStringField("reward", d.input().filter(i -> i instanceof Input.Redemption)
                .map(i -> ((Input.Redemption) i).reward()).orElse(null));
        g.writeStringField("transaction_id", d.input().flatMap(Input::transactionId).orElse(null));
        g.writeStringField("occurred_at", d.input().map(i -> i.occurredAt().toString()).orElse(null));
        g.writeEndObject();
    }

    /** Text when the bytes are UTF-8 (the usual JSON record), else {@code <name>_base64}; absent: null. */
    private static void bytesField(JsonGenerator g, String name, byte[] bytes) throws IOException {
        if (bytes == null) {
            g.writeNullField(name);
            return;
        }
        Optional<String> text = utf8(bytes);
        if (text.isPresent()) {
            g.writeStringField(name, text.get());
        } else {
            g.writeStringField(name + "_base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    static Optional<String> utf8(byte[] bytes) {
        if (ConfluentWire.isFramed(bytes)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private record Decoded(String route, String dlqCode, Optional<Input> input) {
    }

    private static Decoded decoded(InputRouting.Route route) {
        if (route instanceof InputRouting.Refuse refuse) {
            return new Decoded("refuse", refuse.code(), Optional.empty());
        }
        if (route instanceof InputRouting.Move) {
            return new Decoded("move", null, Optional.empty());
        }
        return new Decoded("fold", null, Optional.of(((InputRouting.Fold) route).input()));
    }

    static Schema eventSchema() {
        try (InputStream in = Export.class.getResourceAsStream(EVENT_SCHEMA)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long eventsAvro(SpaceHistory history, ExportHeader header, OutputStream out)
            throws IOException, InterruptedException {
        Schema schema = eventSchema();
        Schema headerSchema = schema.getField("headers").schema().getElementType();
        long[] n = {0};
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
            writer.setCodec(CodecFactory.deflateCodec(6));
            writer.setMeta(ExportHeader.AVRO_META, Json.MAPPER.writeValueAsString(header.toJson()));
            writer.create(schema, nonClosing(out));
            history.events().read((partition, batch) -> {
                for (LogRecord r : batch) {
                    GenericRecord rec = new GenericData.Record(schema);
                    rec.put("partition", r.partition());
                    rec.put("offset", r.offset());
                    rec.put("timestamp", r.timestamp());
                    rec.put("key", r.key() == null ? null : ByteBuffer.wrap(r.key()));
                    rec.put("value", r.value() == null ? null : ByteBuffer.wrap(r.value()));
                    List<GenericRecord> headers = new ArrayList<>();
                    for (Header h : r.headers()) {
                        GenericRecord hr = new GenericData.Record(headerSchema);
                        hr.put("key", h.key());
                        hr.put("value", h.value() == null ? null : ByteBuffer.wrap(h.value()));
                        headers.add(hr);
                    }
                    rec.put("headers", headers);
                    Decoded d = decoded(route(history, r));
                    rec.put("route", d.route());
                    rec.put("dlq_code", d.dlqCode());
                    d.input().ifPresent(i -> {
                        rec.put("user_id", i.userId());
                        rec.put("kind", i.kind());
                        if (i instanceof Input.Event e) {
                            rec.put("event", e.event());
                        }
                        if (i instanceof Input.Redemption red) {
                            rec.put("reward", red.reward());
                        }
                        rec.put("transaction_id", i.transactionId().orElse(null));
                        rec.put("occurred_at", i.occurredAt().toEpochMilli());
                    });
                    append(writer, rec);
                    n[0]++;
                }
                return true;
            });
        }
        out.flush();
        return n[0];
    }

    private static <T> void append(DataFileWriter<T> writer, T record) {
        try {
            writer.append(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The writers close what they write to; the caller owns {@code out}. */
    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
