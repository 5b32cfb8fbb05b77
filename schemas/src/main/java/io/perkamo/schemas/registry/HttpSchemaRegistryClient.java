package io.perkamo.schemas.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.perkamo.schemas.Json;

/**
 * {@link SchemaRegistryClient} over the Confluent REST API, with java.net.http.
 *
 * <p>The base URL may carry a path prefix (Apicurio: {@code http://host:8080/apis/ccompat/v7})
 * that is kept; trailing slashes are ignored. Several comma-separated URLs are tried in order
 * when one cannot be reached. Ids and (subject, schema) registrations are cached for ever:
 * the registry never changes what an id means. Answers may carry extra fields, and a missing
 * {@code schemaType} means AVRO, so Karapace, Redpanda and Apicurio answers are read as well.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private final List<String> baseUrls;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<Registration, Integer> idsByRegistration = new ConcurrentHashMap<>();

    private record Registration(String subject, String schema) {
    }

    /** A client with its own HttpClient and a 10 s timeout per request. */
    public HttpSchemaRegistryClient(String baseUrl) {
        this(baseUrl, HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build(), DEFAULT_TIMEOUT);
    }

    public HttpSchemaRegistryClient(String baseUrl, HttpClient http, Duration requestTimeout) {
        this.baseUrls = parseBaseUrls(baseUrl);
        this.http = Objects.requireNonNull(http, "http");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    @Override
    public int register(String subject, Schema schema) {
        Registration key = new Registration(subject, schema.toString());
        Integer cached = idsByRegistration.get(key);
        if (cached != null) {
            return cached;
        }
        // AVRO is the default schemaType; leaving it out keeps old registries happy.
        ObjectNode body = MAPPER.createObjectNode().put("schema", key.schema());
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", Optional.of(body));
        int id = requiredInt(answer, "id");
        idsByRegistration.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, Optional.empty());
        Schema schema = avroSchema(answer, "schema id " + id);
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public List<String> subjects() {
        JsonNode answer = send("GET", "/subjects", Optional.empty());
        List<String> subjects = new ArrayList<>();
        for (JsonNode subject : array(answer, "/subjects")) {
            subjects.add(subject.asText());
        }
        return List.copyOf(subjects);
    }

    @Override
    public List<Integer> versions(String subject) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions", Optional.empty());
        List<Integer> versions = new ArrayList<>();
        for (JsonNode version : array(answer, "versions of " + subject)) {
            versions.add(version.asInt());
        }
        return List.copyOf(versions);
    }

    @Override
    public SubjectVersion getVersion(String subject, int version) {
        return subjectVersion(subject, Integer.toString(version));
    }

    @Override
    public SubjectVersion getLatestVersion(String subject) {
        return subjectVersion(subject, "latest");
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        ObjectNode body = MAPPER.createObjectNode().put("schema", schema.toString());
        try {
            JsonNode answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                    Optional.of(body));
            JsonNode compatible = answer.get("is_compatible");
            if (compatible == null || !compatible.isBoolean()) {
                throw unexpected("compatibility of " + subject, "no boolean is_compatible");
            }
            return compatible.booleanValue();
        } catch (SchemaRegistryException e) {
            // Confluent answers 404 (40401/40402) for a subject without versions; nothing to break.
            if (e.isNotFound()) {
                return true;
            }
            throw e;
        }
    }

    private SubjectVersion subjectVersion(String subject, String version) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/" + version, Optional.empty());
        String what = subject + " version " + version;
        int id = requiredInt(answer, "id");
        Schema schema = avroSchema(answer, what);
        schemasById.putIfAbsent(id, schema);
        JsonNode subjectName = answer.get("subject");
        return new SubjectVersion(subjectName != null && subjectName.isTextual() ? subjectName.asText() : subject,
                requiredInt(answer, "version"), id, schema);
    }

    private JsonNode send(String method, String path, Optional<ObjectNode> body) {
        SchemaRegistryException unreachable = null;
        for (String base : baseUrls) {
            HttpRequest request = request(method, base + path, body);
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                unreachable = new SchemaRegistryException(0, 0,
                        "schema registry unreachable: " + method + " " + base + path + ": " + e, e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(0, 0, "interrupted: " + method + " " + path, e);
            }
            return answer(method, path, response);
        }
        throw Objects.requireNonNull(unreachable);
    }

    private HttpRequest request(String method, String url, Optional<ObjectNode> body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT);
        if (body.isPresent()) {
            builder.header("Content-Type", CONTENT_TYPE);
            builder.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body.get())));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    private static JsonNode answer(String method, String path, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        Optional<JsonNode> json = readJson(response.body());
        if (status >= 200 && status < 300) {
            return json.orElseThrow(() -> new SchemaRegistryException(status, 0,
                    method + " " + path + " answered " + status + " without a JSON body"));
        }
        int errorCode = json.map(j -> j.path("error_code").asInt(0)).orElse(0);
        String message = json.map(j -> j.path("message").asText(""))
                .filter(m -> !m.isEmpty())
                .orElseGet(() -> truncate(new String(response.body(), StandardCharsets.UTF_8)));
        throw new SchemaRegistryException(status, errorCode,
                method + " " + path + " failed with HTTP " + status
                        + (errorCode != 0 ? " (error_code " + errorCode + ")" : "") + ": " + message);
    }

    private static Schema avroSchema(JsonNode answer, String what) {
        JsonNode type = answer.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new SchemaRegistryException(200, SchemaRegistryException.UNUSABLE_SCHEMA,
                    what + " is a " + type.asText() + " schema; only AVRO is supported");
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw unexpected(what, "no schema text");
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(200, SchemaRegistryException.UNUSABLE_SCHEMA,
                    what + " is not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    private static Iterable<JsonNode> array(JsonNode answer, String what) {
        if (!answer.isArray()) {
            throw unexpected(what, "not a JSON array");
        }
        return answer;
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw unexpected(field, "no integer " + field + " in " + truncate(answer.toString()));
        }
        return value.intValue();
    }

    private static SchemaRegistryException unexpected(String what, String detail) {
        return new SchemaRegistryException(200, 0, "unexpected schema registry answer for " + what + ": " + detail);
    }

    private static Optional<JsonNode> readJson(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(MAPPER.readTree(body));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static byte[] bytes(ObjectNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON object", e);
        }
    }

    /** Path segment encoding: URLEncoder is for forms, so its '+' for a space becomes %20. */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String truncate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private static List<String> parseBaseUrls(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        List<String> urls = new ArrayList<>();
        for (String part : baseUrl.split(",")) {
            String url = part.trim();
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            if (url.isEmpty()) {
                continue;
            }
            URI uri = URI.create(url);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("schema registry URL must be http(s): " + url);
            }
            urls.add(url);
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no schema registry URL in '" + baseUrl + "'");
        }
        return List.copyOf(urls);
    }
}
