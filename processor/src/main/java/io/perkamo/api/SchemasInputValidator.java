package io.perkamo.api;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.input.InputParser;
import io.perkamo.schemas.input.Parsed;

/** The API's validation: the shared rules of schemas' {@link InputParser}, nothing added. */
public final class SchemasInputValidator implements InputValidator {

    @Override
    public Result parse(Kind kind, JsonNode body, Instant receivedAt) {
        Parsed parsed = switch (kind) {
            case EVENT -> InputParser.parseEvent(body, receivedAt);
            case IDENTIFY -> InputParser.parseJson(withKind(body, "identify"), receivedAt);
            case REDEMPTION -> InputParser.parseJson(withKind(body, "redemption"), receivedAt);
        };
        if (parsed instanceof Parsed.Valid valid) {
            return new Valid(valid.input());
        }
        return new Invalid(((Parsed.Invalid) parsed).problems());
    }

    /** The route decides the kind; a {@code kind} field in an HTTP body is ignored like any unknown one. */
    private static JsonNode withKind(JsonNode body, String kind) {
        if (!(body instanceof ObjectNode object)) {
            return body;
        }
        ObjectNode copy = object.deepCopy();
        copy.put("kind", kind);
        return copy;
    }
}
