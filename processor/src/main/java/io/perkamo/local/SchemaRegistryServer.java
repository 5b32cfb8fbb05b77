package io.perkamo.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.util.JavalinBindException;
import io.perkamo.schemas.Json;

/**
 * A schema-registry endpoint speaking the Confluent REST API subset (register, lookup,
 * get by id, subject versions, compatibility, config, soft and hard delete), Avro only,
 * so Confluent's serializers, kcat and our own client work against local mode.
 *
 * <p>Storage is Confluent's: a compacted single-partition topic (`_schemas`) with one
 * record per registration and per config change. On start the server reads the topic to
 * its end before it answers; a write is applied in memory only after the broker
 * acknowledged it. One server writes to a topic at a time (local mode); it reads the
 * topic to its end before each write, so a restarted or replaced server continues where
 * the last one stopped.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 8081;
    public static final String DEFAULT_TOPIC = "_schemas";
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String HOST = "127.0.0.1";
    /** Request attribute set once a handler wrote a registry body, so error mappers keep it. */
    private static final String ANSWERED = "perkamo.registry.answered";
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final int requestedPort;
    private final SchemaLog schemaLog;
    private final RegistryState state = new RegistryState();
    private final Object lock = new Object();
    private Javalin app;

    /** A server on the default topic `_schemas`; port 0 picks a free port. */
    public SchemaRegistryServer(String bootstrapServers, int port) {
        this(bootstrapServers, port, DEFAULT_TOPIC);
    }

    /** A server storing its schemas in the given topic; port 0 picks a free port. */
    public SchemaRegistryServer(String bootstrapServers, int port, String topic) {
        this.requestedPort = port;
        this.schemaLog = new SchemaLog(bootstrapServers, topic, KAFKA_TIMEOUT);
    }

    /**
     * Creates the topic if needed, reads it to its end, then listens.
     *
     * @throws Ports.PortInUseException when the port is taken
     * @throws IllegalStateException    when the broker or the topic cannot be used
     */
    public synchronized SchemaRegistryServer start() {
        if (app != null) {
            return this;
        }
        if (requestedPort != 0) {
            Ports.requireFree(requestedPort, "schema registry");
        }
        int subjects;
        try {
            schemaLog.open();
            synchronized (lock) {
                schemaLog.catchUp(state);
                subjects = state.subjects(false).size();
            }
        } catch (RuntimeException e) {
            schemaLog.close();
            throw e;
        }
        Javalin server = Javalin.create(this::configure);
        try {
            server.start(HOST, requestedPort);
        } catch (JavalinBindException e) {
            schemaLog.close();
            throw new Ports.PortInUseException(requestedPort, "schema registry");
        } catch (RuntimeException e) {
            schemaLog.close();
            throw e;
        }
        app = server;
        log.info("Schema registry ready on {} (topic {}, {} subjects)", url(), schemaLog.topic(), subjects);
        return this;
    }

    /** The port it listens on (the chosen one when constructed with 0). */
    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("the schema registry is not started");
        }
        return app.port();
    }

    /** The URL clients use: http://localhost:&lt;port&gt;. */
    public String url() {
        return "http://localhost:" + port();
    }

    @Override
    public synchronized void close() {
        if (app == null) {
            return;
        }
        app.stop();
        app = null;
        synchronized (lock) {
            schemaLog.close();
        }
        log.info("Schema registry stopped");
    }

    // --- routes -------------------------------------------------------------------------

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.router.ignoreTrailingSlashes = true;
        var r = config.routes;
        r.get("/", ctx -> respond(ctx, 200, Map.of()));
        r.get("/schemas/types", ctx -> respond(ctx, 200, List.of("AVRO")));
        r.get("/schemas/ids/{id}", ctx -> respond(ctx, 200, Map.of("schema", schemaById(ctx))));
        r.get("/schemas/ids/{id}/schema", ctx -> respondRaw(ctx, schemaById(ctx)));
        r.get("/schemas/ids/{id}/versions", this::usesOfId);
        r.get("/subjects", ctx -> respond(ctx, 200, read(() -> state.subjects(flag(ctx, "deleted")))));
        r.post("/subjects/{subject}/versions", this::register);
        r.post("/subjects/{subject}", this::lookup);
        r.delete("/subjects/{subject}", this::deleteSubject);
        r.get("/subjects/{subject}/versions", this::versions);
        r.get("/subjects/{subject}/versions/{version}", ctx -> respond(ctx, 200, body(version(ctx))));
        r.get("/subjects/{subject}/versions/{version}/schema", ctx -> respondRaw(ctx, version(ctx).schema()));
        r.delete("/subjects/{subject}/versions/{version}", this::deleteVersion);
        r.post("/compatibility/subjects/{subject}/versions/{version}", this::compatibility);
        r.post("/compatibility/subjects/{subject}/versions", this::compatibility);
        r.get("/config", ctx -> respond(ctx, 200,
                Map.of("compatibilityLevel", read(state::globalLevel).name())));
        r.put("/config", ctx -> putLevel(ctx, Optional.empty()));
        r.get("/config/{subject}", this::getSubjectLevel);
        r.put("/config/{subject}", ctx -> putLevel(ctx, Optional.of(subject(ctx))));
        r.delete("/config/{subject}", this::deleteSubjectLevel);
        r.exception(RegistryException.class, (e, ctx) -> error(ctx, e.status(), e.errorCode(), e.getMessage()));
        r.exception(Exception.class, (e, ctx) -> {
            log.warn("Schema registry request {} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, RegistryException.STORE_ERROR, "Internal error: " + e.getMessage());
        });
        r.error(404, ctx -> {
            if (ctx.attribute(ANSWERED) == null) {
                error(ctx, 404, 404, "HTTP 404 Not Found");
            }
        });
        r.error(405, ctx -> error(ctx, 405, 405, "HTTP 405 Method Not Allowed"));
    }

    private void register(Context ctx) {
        String subject = subject(ctx);
        SchemaRequest request = SchemaRequest.from(ctx.body());
        Schema schema = RegistryState.parse(request.schema());
        String identity = RegistryState.identity(schema);
        int id;
        synchronized (lock) {
            schemaLog.catchUp(state);
            Optional<RegistryState.Version> existing = state.find(subject, identity);
            if (existing.isPresent()) {
                id = existing.get().id();
            } else {
                List<String> problems = state.effectiveLevel(subject).problems(schema, liveSchemas(subject));
                if (!problems.isEmpty()) {
                    throw new RegistryException(409, RegistryException.INCOMPATIBLE,
                            "Schema being registered is incompatible with an earlier schema for subject \""
                                    + subject + "\", details: " + problems);
                }
                OptionalInt known = state.idOf(identity);
                id = known.isPresent() ? known.getAsInt() : state.nextId();
                write(new RegistryState.Version(subject, state.nextVersion(subject), id, request.schema(), false));
                log.debug("Registered schema id {} under a subject", id);
            }
        }
        respond(ctx, 200, Map.of("id", id));
    }

    private void lookup(Context ctx) {
        String subject = subject(ctx);
        SchemaRequest request = SchemaRequest.from(ctx.body());
        String identity = RegistryState.identity(RegistryState.parse(request.schema()));
        RegistryState.Version found = read(() -> {
            if (state.versions(subject, false).isEmpty()) {
                throw RegistryException.subjectNotFound(subject);
            }
            return state.find(subject, identity)
                    .orElseThrow(() -> RegistryException.schemaNotFound("Schema not found"));
        });
        respond(ctx, 200, body(found));
    }

    private void versions(Context ctx) {
        String subject = subject(ctx);
        boolean deleted = flag(ctx, "deleted");
        List<Integer> numbers = read(() -> state.versions(subject, deleted).stream()
                .map(RegistryState.Version::version).toList());
        if (numbers.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        respond(ctx, 200, numbers);
    }

    private RegistryState.Version version(Context ctx) {
        String subject = subject(ctx);
        OptionalInt number = versionSpec(ctx.pathParam("version"));
        return read(() -> {
            if (state.versions(subject, false).isEmpty()) {
                throw RegistryException.subjectNotFound(subject);
            }
            Optional<RegistryState.Version> v = number.isEmpty()
                    ? state.latest(subject)
                    : state.version(subject, number.getAsInt());
            return v.orElseThrow(() -> RegistryException.versionNotFound(ctx.pathParam("version")));
        });
    }

    private void compatibility(Context ctx) {
        String subject = subject(ctx);
        String versionText = ctx.pathParamMap().getOrDefault("version", "latest");
        OptionalInt number = versionSpec(versionText);
        Schema candidate = RegistryState.parse(SchemaRequest.from(ctx.body()).schema());
        List<String> problems = read(() -> {
            List<RegistryState.Version> live = state.versions(subject, false);
            if (live.isEmpty()) {
                return List.of();
            }
            List<Schema> against;
            if (number.isEmpty()) {
                against = liveSchemas(subject);
            } else {
                RegistryState.Version target = state.version(subject, number.getAsInt())
                        .orElseThrow(() -> RegistryException.versionNotFound(versionText));
                against = List.of(RegistryState.parse(target.schema()));
            }
            return state.effectiveLevel(subject).problems(candidate, against);
        });
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("is_compatible", problems.isEmpty());
        if (flag(ctx, "verbose")) {
            result.put("messages", problems);
        }
        respond(ctx, 200, result);
    }

    private void deleteSubject(Context ctx) {
        String subject = subject(ctx);
        boolean permanent = flag(ctx, "permanent");
        List<Integer> deleted = new ArrayList<>();
        synchronized (lock) {
            schemaLog.catchUp(state);
            List<RegistryState.Version> live = state.versions(subject, false);
            List<RegistryState.Version> all = state.versions(subject, true);
            if (all.isEmpty()) {
                throw RegistryException.subjectNotFound(subject);
            }
            if (permanent) {
                if (!live.isEmpty()) {
                    throw new RegistryException(404, RegistryException.SUBJECT_NOT_SOFT_DELETED, "Subject '"
                            + subject + "' was not deleted first before being permanently deleted");
                }
                for (RegistryState.Version v : all) {
                    schemaLog.append(SchemaRecords.schemaKey(subject, v.version()), null);
                    state.removeVersion(subject, v.version());
                    deleted.add(v.version());
                }
            } else {
                if (live.isEmpty()) {
                    throw new RegistryException(404, RegistryException.SUBJECT_SOFT_DELETED, "Subject '" + subject
                            + "' was soft deleted. Set permanent=true to delete permanently");
                }
                for (RegistryState.Version v : live) {
                    write(new RegistryState.Version(subject, v.version(), v.id(), v.schema(), true));
                    deleted.add(v.version());
                }
            }
        }
        respond(ctx, 200, deleted);
    }

    private void deleteVersion(Context ctx) {
        String subject = subject(ctx);
        String versionText = ctx.pathParam("version");
        OptionalInt number = versionSpec(versionText);
        boolean permanent = flag(ctx, "permanent");
        int version;
        synchronized (lock) {
            schemaLog.catchUp(state);
            List<RegistryState.Version> all = state.versions(subject, true);
            if (all.isEmpty()) {
                throw RegistryException.subjectNotFound(subject);
            }
            Optional<RegistryState.Version> target = number.isEmpty()
                    ? state.latest(subject)
                    : all.stream().filter(v -> v.version() == number.getAsInt()).findFirst();
            RegistryState.Version v = target.orElseThrow(() -> RegistryException.versionNotFound(versionText));
            if (permanent) {
                if (!v.deleted()) {
                    throw new RegistryException(404, 40407, "Subject '" + subject + "' Version " + v.version()
                            + " was not deleted first before being permanently deleted");
                }
                schemaLog.append(SchemaRecords.schemaKey(subject, v.version()), null);
                state.removeVersion(subject, v.version());
            } else {
                if (v.deleted()) {
                    throw new RegistryException(404, 40406, "Subject '" + subject + "' Version " + v.version()
                            + " was soft deleted. Set permanent=true to delete permanently");
                }
                write(new RegistryState.Version(subject, v.version(), v.id(), v.schema(), true));
            }
            version = v.version();
        }
        respond(ctx, 200, version);
    }

    private void getSubjectLevel(Context ctx) {
        String subject = subject(ctx);
        boolean defaultToGlobal = flag(ctx, "defaultToGlobal");
        CompatibilityLevel level = read(() -> state.subjectLevel(subject)
                .or(() -> defaultToGlobal ? Optional.of(state.globalLevel()) : Optional.empty())
                .orElseThrow(() -> new RegistryException(404, RegistryException.SUBJECT_LEVEL_NOT_CONFIGURED,
                        "Subject '" + subject + "' does not have subject-level compatibility configured")));
        respond(ctx, 200, Map.of("compatibilityLevel", level.name()));
    }

    private void putLevel(Context ctx, Optional<String> subject) {
        JsonNode body = SchemaRequest.json(ctx.body());
        CompatibilityLevel level = CompatibilityLevel.parse(body.path("compatibility").asText(null))
                .orElseThrow(() -> new RegistryException(422, RegistryException.INVALID_COMPATIBILITY_LEVEL,
                        "Invalid compatibility level. Valid values are none, backward, forward, full, "
                                + "backward_transitive, forward_transitive, and full_transitive"));
        synchronized (lock) {
            schemaLog.catchUp(state);
            schemaLog.append(SchemaRecords.configKey(subject), SchemaRecords.configValue(level));
            state.applyLevel(subject, Optional.of(level));
        }
        respond(ctx, 200, Map.of("compatibility", level.name()));
    }

    private void deleteSubjectLevel(Context ctx) {
        String subject = subject(ctx);
        CompatibilityLevel previous;
        synchronized (lock) {
            schemaLog.catchUp(state);
            previous = state.subjectLevel(subject).orElseThrow(() -> new RegistryException(404,
                    RegistryException.SUBJECT_LEVEL_NOT_CONFIGURED,
                    "Subject '" + subject + "' does not have subject-level compatibility configured"));
            schemaLog.append(SchemaRecords.configKey(Optional.of(subject)), null);
            state.applyLevel(Optional.of(subject), Optional.empty());
        }
        respond(ctx, 200, Map.of("compatibilityLevel", previous.name()));
    }

    private void usesOfId(Context ctx) {
        int id = schemaId(ctx);
        List<Map<String, Object>> uses = read(() -> {
            if (state.schemaById(id).isEmpty()) {
                throw RegistryException.schemaNotFound("Schema " + id + " not found");
            }
            return state.usesOf(id).stream()
                    .map(v -> Map.<String, Object>of("subject", v.subject(), "version", v.version()))
                    .toList();
        });
        respond(ctx, 200, uses);
    }

    // --- helpers ------------------------------------------------------------------------

    /** Writes a registration to the topic, then (once acknowledged) to memory. Caller holds the lock. */
    private void write(RegistryState.Version v) {
        schemaLog.append(SchemaRecords.schemaKey(v.subject(), v.version()), SchemaRecords.schemaValue(v));
        state.apply(v);
    }

    private List<Schema> liveSchemas(String subject) {
        return state.versions(subject, false).stream().map(v -> RegistryState.parse(v.schema())).toList();
    }

    private String schemaById(Context ctx) {
        int id = schemaId(ctx);
        return read(() -> state.schemaById(id))
                .orElseThrow(() -> RegistryException.schemaNotFound("Schema " + id + " not found"));
    }

    private <T> T read(java.util.function.Supplier<T> query) {
        synchronized (lock) {
            return query.get();
        }
    }

    private static int schemaId(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("Schema " + text + " not found");
        }
    }

    /** Empty for "latest" (or -1, as Confluent accepts), else the version number. */
    private static OptionalInt versionSpec(String text) {
        if ("latest".equalsIgnoreCase(text) || "-1".equals(text)) {
            return OptionalInt.empty();
        }
        try {
            int v = Integer.parseInt(text);
            if (v >= 1) {
                return OptionalInt.of(v);
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw RegistryException.invalidVersion(text);
    }

    /** The subject path parameter, URL-decoded by the router. */
    private static String subject(Context ctx) {
        return ctx.pathParam("subject");
    }

    private static boolean flag(Context ctx, String name) {
        return Boolean.parseBoolean(ctx.queryParam(name));
    }

    private static Map<String, Object> body(RegistryState.Version v) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", v.subject());
        body.put("version", v.version());
        body.put("id", v.id());
        body.put("schema", v.schema());
        return body;
    }

    private static void respond(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType(CONTENT_TYPE).result(JSON.writeValueAsBytes(body));
            ctx.attribute(ANSWERED, Boolean.TRUE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void respondRaw(Context ctx, String text) {
        ctx.status(200).contentType(CONTENT_TYPE).result(text.getBytes(StandardCharsets.UTF_8));
        ctx.attribute(ANSWERED, Boolean.TRUE);
    }

    private static void error(Context ctx, int status, int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code);
        body.put("message", message);
        respond(ctx, status, body);
    }

    /** The body of register, lookup and compatibility requests. */
    record SchemaRequest(String schema) {
        static SchemaRequest from(String body) {
            JsonNode json = json(body);
            JsonNode type = json.get("schemaType");
            if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
                throw RegistryException.invalidSchema("schema type " + type.asText()
                        + " is not supported; this registry holds AVRO schemas only");
            }
            JsonNode refs = json.get("references");
            if (refs != null && refs.isArray() && !refs.isEmpty()) {
                throw RegistryException.invalidSchema("schema references are not supported");
            }
            JsonNode schema = json.get("schema");
            if (schema == null || !schema.isTextual() || schema.asText().isBlank()) {
                throw RegistryException.invalidSchema("empty schema");
            }
            return new SchemaRequest(schema.asText());
        }

        static JsonNode json(String body) {
            try {
                JsonNode node = body == null || body.isBlank() ? null : JSON.readTree(body);
                if (node == null || !node.isObject()) {
                    throw new RegistryException(400, 400, "The request body must be a JSON object");
                }
                return node;
            } catch (IOException e) {
                throw new RegistryException(400, 400, "The request body is not valid JSON");
            }
        }
    }
}
