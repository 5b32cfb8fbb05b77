package io.perkamo.schemas.input;

import io.perkamo.schemas.Json;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.AvroTrust;

/**
 * Turns an input as it arrives (JSON on the events topic or an HTTP body, or an Avro record)
 * into a validated {@link Input}, applying SPEC section 2 in one place for the API and the
 * stream. Every problem is reported, not just the first. Unknown fields are ignored; a JSON
 * null counts as absent.
 *
 * <p>Numbers inside context and traits keep their exact literal value (BigDecimal with its
 * scale, or an integer node). occurred_at (or the receipt / record time standing in for it) is
 * truncated to milliseconds, the precision of the Avro contract, so both ways in agree.
 */
public final class InputParser {

    static final int MAX_USER_ID_BYTES = 256;
    static final int MAX_TRANSACTION_ID_BYTES = 256;
    static final int MAX_EVENT_BYTES = 128;
    static final int MAX_REWARD_BYTES = 128;
    static final int MAX_OBJECT_BYTES = 16 * 1024;
    /** How far ahead of its receipt (or record) time an input's occurred_at may be. */
    public static final Duration MAX_FUTURE = Duration.ofHours(24);
    static final Pattern EVENT = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$");
    static final Pattern REWARD = Pattern.compile("^[a-z0-9][a-z0-9_.-]*$");
    /** Top-level context keys the engine's own state would shadow in conditions; compared lowercased. */
    static final Set<String> RESERVED_CONTEXT_KEYS =
            Set.of("xp", "wallet", "wallets", "rewards", "level", "perks", "achievements");
    static final Set<String> KINDS = Set.of("event", "identify", "redemption");

    private static final DateTimeFormatter OFFSET_WITHOUT_COLON = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendOffset("+HHMM", "Z").toFormatter(Locale.ROOT);

    static {
        AvroTrust.install();
    }

    private InputParser() {
    }

    /** A JSON object from the events topic: kind is read from the body ("event" when absent). */
    public static Parsed parseJson(byte[] body, Instant receivedAt) {
        return parse(body, Optional.empty(), receivedAt);
    }

    /** An element already read with {@link #readTree}, e.g. one entry of a batch; kind from the body. */
    public static Parsed parseJson(JsonNode body, Instant receivedAt) {
        return parse(body, Optional.empty(), receivedAt);
    }

    /** POST /v1/events and /v1/client/events: {user_id, event, transaction_id, context?, occurred_at?}. */
    public static Parsed parseEvent(byte[] body, Instant receivedAt) {
        return parse(body, Optional.of("event"), receivedAt);
    }

    /** One element of POST /v1/events:batch, read with {@link #readTree}. */
    public static Parsed parseEvent(JsonNode body, Instant receivedAt) {
        return parse(body, Optional.of("event"), receivedAt);
    }

    /** POST /v1/identify: {user_id, traits}. */
    public static Parsed parseIdentify(byte[] body, Instant receivedAt) {
        return parse(body, Optional.of("identify"), receivedAt);
    }

    /** POST /v1/rewards/redeem: {user_id, reward, transaction_id, context?}. */
    public static Parsed parseRedemption(byte[] body, Instant receivedAt) {
        return parse(body, Optional.of("redemption"), receivedAt);
    }

    /**
     * An Avro input from the events topic. context and traits must hold JSON text; occurred_at
     * falls back to recordTime.
     */
    public static Parsed fromAvro(io.perkamo.schemas.avro.Input record, Instant recordTime) {
        List<Problem> problems = new ArrayList<>();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("kind", record.getKind() == null ? null : record.getKind().name());
        body.put("user_id", record.getUserId());
        body.put("transaction_id", record.getTransactionId());
        body.put("event", record.getEvent());
        body.put("reward", record.getReward());
        jsonText(record.getContext(), "context", ErrorCodes.INVALID_CONTEXT, problems)
                .ifPresent(node -> body.set("context", node));
        jsonText(record.getTraits(), "traits", ErrorCodes.INVALID_TRAITS, problems)
                .ifPresent(node -> body.set("traits", node));
        if (record.getOccurredAt() != null) {
            body.put("occurred_at", Timestamps.format(record.getOccurredAt()));
        }
        return new Validation(body, problems).run(Optional.empty(), recordTime);
    }

    /**
     * Reads JSON the way this parser does (exact numbers, no duplicate keys), for callers that
     * pick a body apart first, like the batch endpoint. Empty when the bytes are not JSON.
     */
    public static Optional<JsonNode> readTree(byte[] body) {
        return Json.read(body);
    }

    private static Parsed parse(byte[] body, Optional<String> kind, Instant receivedAt) {
        return Json.read(body)
                .map(node -> parse(node, kind, receivedAt))
                .orElseGet(() -> new Parsed.Invalid(List.of(new Problem(ErrorCodes.INVALID_JSON, "",
                        "the body is not valid JSON"))));
    }

    private static Parsed parse(JsonNode body, Optional<String> kind, Instant receivedAt) {
        if (!(body instanceof ObjectNode object)) {
            return new Parsed.Invalid(List.of(new Problem(ErrorCodes.INVALID_JSON, "",
                    "the body must be a JSON object, not " + describe(body))));
        }
        return new Validation(object, new ArrayList<>()).run(kind, receivedAt);
    }

    private static Optional<JsonNode> jsonText(String text, String field, String code, List<Problem> problems) {
        if (text == null) {
            return Optional.empty();
        }
        Optional<JsonNode> node = Json.read(text);
        if (node.isEmpty()) {
            problems.add(new Problem(code, field, field + " must hold JSON text"));
        }
        return node;
    }

    /** One pass over one body, collecting problems. */
    private static final class Validation {
        private final ObjectNode body;
        private final List<Problem> problems;

        Validation(ObjectNode body, List<Problem> problems) {
            this.body = body;
            this.problems = problems;
        }

        Parsed run(Optional<String> forcedKind, Instant receivedAt) {
            Optional<String> kind = forcedKind.isPresent() ? forcedKind : kind();
            Optional<String> userId = text("user_id", ErrorCodes.INVALID_USER_ID, MAX_USER_ID_BYTES, true, null);
            boolean txRequired = kind.map(k -> !k.equals("identify")).orElse(false);
            Optional<String> txId = text("transaction_id", ErrorCodes.INVALID_TRANSACTION_ID,
                    MAX_TRANSACTION_ID_BYTES, txRequired, null);
            Optional<String> event = Optional.empty();
            Optional<String> reward = Optional.empty();
            Optional<ObjectNode> context = Optional.empty();
            Optional<ObjectNode> traits = Optional.empty();
            switch (kind.orElse("")) {
                case "event" -> {
                    event = text("event", ErrorCodes.INVALID_EVENT, MAX_EVENT_BYTES, true, EVENT);
                    context = context();
                }
                case "redemption" -> {
                    reward = text("reward", ErrorCodes.INVALID_REWARD, MAX_REWARD_BYTES, true, REWARD);
                    context = context();
                }
                case "identify" -> traits = object("traits", ErrorCodes.INVALID_TRAITS, ErrorCodes.TRAITS_TOO_LARGE);
                default -> {
                    // unknown kind: already reported; the common fields are still checked
                }
            }
            Optional<Instant> occurredAt = occurredAt(receivedAt);
            if (!problems.isEmpty()) {
                return new Parsed.Invalid(problems);
            }
            Instant at = occurredAt.orElseThrow();
            return new Parsed.Valid(switch (kind.orElseThrow()) {
                case "event" -> new Input.Event(userId.orElseThrow(), txId.orElseThrow(), event.orElseThrow(),
                        context.orElseThrow(), at);
                case "redemption" -> new Input.Redemption(userId.orElseThrow(), txId.orElseThrow(),
                        reward.orElseThrow(), context.orElseThrow(), at);
                default -> new Input.Identify(userId.orElseThrow(), txId, traits.orElseThrow(), at);
            });
        }

        private Optional<String> kind() {
            Optional<JsonNode> value = field("kind");
            if (value.isEmpty()) {
                return Optional.of("event");
            }
            if (value.get().isTextual() && KINDS.contains(value.get().textValue())) {
                return Optional.of(value.get().textValue());
            }
            problems.add(new Problem(ErrorCodes.INVALID_KIND, "kind",
                    "kind must be one of event, identify, redemption, not " + describe(value.get())));
            return Optional.empty();
        }

        private Optional<String> text(String name, String code, int maxBytes, boolean required, Pattern pattern) {
            Optional<JsonNode> value = field(name);
            if (value.isEmpty()) {
                if (required) {
                    problems.add(new Problem(code, name, name + " is required"));
                }
                return Optional.empty();
            }
            if (!value.get().isTextual()) {
                problems.add(new Problem(code, name, name + " must be a string, not " + describe(value.get())));
                return Optional.empty();
            }
            String text = value.get().textValue();
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes == 0 || bytes > maxBytes) {
                problems.add(new Problem(code, name,
                        name + " must be 1 to " + maxBytes + " bytes of UTF-8, got " + bytes));
                return Optional.empty();
            }
            if (pattern != null && !pattern.matcher(text).matches()) {
                problems.add(new Problem(code, name, name + " must match " + pattern.pattern()
                        + (name.equals("event") ? " (lowercase and namespaced, like purchase.completed)" : "")));
                return Optional.empty();
            }
            return Optional.of(text);
        }

        private Optional<ObjectNode> context() {
            Optional<ObjectNode> context = object("context", ErrorCodes.INVALID_CONTEXT, ErrorCodes.CONTEXT_TOO_LARGE);
            context.ifPresent(object -> {
                for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (RESERVED_CONTEXT_KEYS.contains(name.toLowerCase(Locale.ROOT))) {
                        problems.add(new Problem(ErrorCodes.RESERVED_CONTEXT_FIELD, "context." + name,
                                "context field \"" + name + "\" is reserved (reserved, in any case: "
                                        + "xp, wallet, wallets, rewards, level, perks, achievements)"));
                    }
                }
            });
            return context;
        }

        /** A JSON object; absent, null and [] (PHP's empty array) mean {}. */
        private Optional<ObjectNode> object(String name, String invalidCode, String tooLargeCode) {
            Optional<JsonNode> value = field(name);
            if (value.isEmpty() || (value.get().isArray() && value.get().isEmpty())) {
                return Optional.of(Json.MAPPER.createObjectNode());
            }
            if (!(value.get() instanceof ObjectNode object)) {
                problems.add(new Problem(invalidCode, name,
                        name + " must be a JSON object, not " + describe(value.get())));
                return Optional.empty();
            }
            int size = Json.bytes(object).length;
            if (size > MAX_OBJECT_BYTES) {
                problems.add(new Problem(tooLargeCode, name,
                        name + " is " + size + " bytes of JSON, at most " + MAX_OBJECT_BYTES + " are allowed"));
                return Optional.empty();
            }
            return Optional.of(object.deepCopy());
        }

        private Optional<Instant> occurredAt(Instant receivedAt) {
            Optional<JsonNode> value = field("occurred_at");
            if (value.isEmpty()) {
                return Optional.of(receivedAt.truncatedTo(ChronoUnit.MILLIS));
            }
            Optional<Instant> parsed = value.get().isTextual() ? instant(value.get().textValue()) : Optional.empty();
            if (parsed.isEmpty()) {
                problems.add(new Problem(ErrorCodes.INVALID_OCCURRED_AT, "occurred_at",
                        "occurred_at must be an ISO-8601 date-time with an offset, like 2026-06-01T10:00:00+00:00, not "
                                + describe(value.get())));
            } else if (parsed.get().isAfter(receivedAt.plus(MAX_FUTURE))) {
                // a far-future event time would hold dedup entries and limit windows hostage
                problems.add(new Problem(ErrorCodes.OCCURRED_AT_IN_FUTURE, "occurred_at",
                        "occurred_at " + parsed.get() + " is more than 24 h after the time it was received ("
                                + receivedAt.truncatedTo(ChronoUnit.SECONDS) + ")"));
                return Optional.empty();
            }
            return parsed;
        }

        private Optional<JsonNode> field(String name) {
            JsonNode value = body.get(name);
            return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
        }
    }

    static Optional<Instant> instant(String text) {
        Optional<Instant> common = Timestamps.parseCommon(text);
        if (common.isPresent()) {
            return common;
        }
        for (DateTimeFormatter format : List.of(DateTimeFormatter.ISO_OFFSET_DATE_TIME, OFFSET_WITHOUT_COLON)) {
            try {
                Instant instant = OffsetDateTime.parse(text, format).toInstant().truncatedTo(ChronoUnit.MILLIS);
                instant.toEpochMilli(); // must fit the Avro contract's long millis
                return Optional.of(instant);
            } catch (DateTimeException | ArithmeticException e) {
                // try the next accepted form
            }
        }
        return Optional.empty();
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> {
                String text = node.textValue();
                yield "\"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
            }
            case ARRAY -> node.isEmpty() ? "[]" : "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> node.asText();
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
