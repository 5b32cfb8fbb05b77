package io.perkamo.replay;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.schemas.Json;
import io.perkamo.schemas.registry.SchemaRegistryClient;

/**
 * An events export ({@code perkamo export --topic events}, JSON lines or Avro) as a replay's
 * history: the records exactly as the topic held them, with the partition count and program
 * versions from its header. No broker is needed.
 */
public final class ExportFile {
    private static final byte[] AVRO_MAGIC = {'O', 'b', 'j', 1};

    private ExportFile() {
    }

    /** @param registry for Avro inputs in the log, as the deployment had */
    public static SpaceHistory read(Path file, Optional<SchemaRegistryClient> registry) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        boolean avro;
        try (InputStream in = Files.newInputStream(file)) {
            avro = java.util.Arrays.equals(in.readNBytes(4), AVRO_MAGIC);
        }
        ExportHeader header = avro ? avroHeader(file) : jsonHeader(file);
        EventLog log = avro ? new AvroLog(file, header) : new JsonLog(file, header);
        return new SpaceHistory(header.space(), header.programs(), log, SpaceHistory.decoder(registry));
    }

    private static ExportHeader jsonHeader(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            JsonNode header = first == null ? null : Json.read(first.getBytes(StandardCharsets.UTF_8))
                    .map(n -> n.get(ExportHeader.FIELD)).orElse(null);
            if (header == null) {
                throw new IllegalArgumentException(file + " is not an events export (perkamo export --topic events):"
                        + " its first line has no " + ExportHeader.FIELD);
            }
            return ExportHeader.fromJson(header);
        }
    }

    private static ExportHeader avroHeader(Path file) throws IOException {
        try (DataFileStream<GenericRecord> in = new DataFileStream<>(Files.newInputStream(file),
                new GenericDatumReader<>())) {
            String meta = in.getMetaString(ExportHeader.AVRO_META);
            if (meta == null) {
                throw new IllegalArgumentException(file + " is not an events export: no " + ExportHeader.AVRO_META
                        + " metadata");
            }
            return ExportHeader.fromJson(Json.MAPPER.readTree(meta));
        }
    }

    private abstract static class FileLog implements EventLog {
        final Path file;
        final ExportHeader header;

        FileLog(Path file, ExportHeader header) {
            this.file = file;
            this.header = header;
        }

        @Override
        public String topic() {
            return header.topic();
        }

        @Override
        public int partitions() {
            return header.partitions();
        }

        @Override
        public long expectedRecords() {
            return 0; // unknown without a pass over the file
        }
    }

    private static final class JsonLog extends FileLog {
        JsonLog(Path file, ExportHeader header) {
            super(file, header);
        }

        @Override
        public void read(Sink sink) throws InterruptedException {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new BufferedInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
                in.readLine(); // the header
                String line;
                long number = 1;
                while ((line = in.readLine()) != null) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    LogRecord r = record(Json.MAPPER.readTree(line), number);
                    if (!sink.accept(r.partition(), List.of(r))) {
                        return;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private LogRecord record(JsonNode n, long line) {
            if (!n.has("partition") || !n.has("offset")) {
                throw new IllegalArgumentException(file + " line " + line + " is not an exported events record");
            }
            RecordHeaders headers = new RecordHeaders();
            for (JsonNode h : n.path("headers")) {
                headers.add(h.get(0).asText(), h.get(1).isNull() ? null : Base64.getDecoder().decode(h.get(1).asText()));
            }
            return new LogRecord(n.get("partition").asInt(), n.get("offset").asLong(),
                    Instant.parse(n.get("timestamp").asText()).toEpochMilli(), bytes(n, "key"), bytes(n, "value"),
                    headers);
        }

        private static byte[] bytes(JsonNode n, String name) {
            JsonNode text = n.get(name);
            if (text != null && !text.isNull()) {
                return text.asText().getBytes(StandardCharsets.UTF_8);
            }
            JsonNode b64 = n.get(name + "_base64");
            return b64 == null || b64.isNull() ? null : Base64.getDecoder().decode(b64.asText());
        }
    }

    private static final class AvroLog extends FileLog {
        AvroLog(Path file, ExportHeader header) {
            super(file, header);
        }

        @Override
        public void read(Sink sink) throws InterruptedException {
            try (DataFileStream<GenericRecord> in = new DataFileStream<>(
                    new BufferedInputStream(Files.newInputStream(file), 1 << 16), new GenericDatumReader<>())) {
                List<LogRecord> batch = new ArrayList<>();
                int partition = -1;
                GenericRecord rec = null;
                while (in.hasNext()) {
                    rec = in.next(rec);
                    LogRecord r = record(rec);
                    if (r.partition() != partition && !batch.isEmpty()) {
                        if (!sink.accept(partition, batch)) {
                            return;
                        }
                        batch = new ArrayList<>();
                    }
                    partition = r.partition();
                    batch.add(r);
                    if (batch.size() >= 1000) {
                        if (!sink.accept(partition, batch)) {
                            return;
                        }
                        batch = new ArrayList<>();
                    }
                }
                if (!batch.isEmpty()) {
                    sink.accept(partition, batch);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static LogRecord record(GenericRecord rec) {
            RecordHeaders headers = new RecordHeaders();
            for (Object o : (List<?>) rec.get("headers")) {
                GenericRecord h = (GenericRecord) o;
                headers.add(h.get("key").toString(), bytes(h.get("value")));
            }
            return new LogRecord((Integer) rec.get("partition"), (Long) rec.get("offset"), (Long) rec.get("timestamp"),
                    bytes(rec.get("key")), bytes(rec.get("value")), headers);
        }

        private static byte[] bytes(Object value) {
            if (value == null) {
                return null;
            }
            ByteBuffer b = ((ByteBuffer) value).duplicate();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }
    }
}
