package io.perkamo.schemas.input;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One text per JSON value, for fingerprints: a retry whose payload means the same thing must
 * hash the same, whoever serialized it.
 *
 * <p>Objects have their keys sorted (by UTF-16 code units, as in RFC 8785) at every depth;
 * arrays keep their order; there is no whitespace; strings are escaped minimally (non-ASCII is
 * written as UTF-8, "\/" is just "/"). Numbers are compared by value: 1, 1.0, 1.00 and 1e0 all
 * become {@code 1}, and -0.0 becomes {@code 0}. We chose value over type because a PHP client
 * may send 10.0 one time and 10 the next for the same amount. A value is written in plain
 * decimal (2.50 is {@code 2.5}, 1e3 is {@code 1000}) unless that needs more than 21 padding
 * zeros; then it is its significant digits with an exponent ({@code 1E400}, {@code 15E-31}),
 * so a short literal like 1e999999999 never expands.
 */
public final class CanonicalJson {

    private static final int MAX_PADDING = 21;

    private CanonicalJson() {
    }

    /** The canonical text of a JSON value. Throws IllegalArgumentException for NaN, infinities and non-JSON nodes. */
    public static String write(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = Json.MAPPER.getFactory().createGenerator(out)) {
            write(node, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonNode node, JsonGenerator out) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
                fields.sort(Map.Entry.comparingByKey());
                out.writeStartObject();
                for (Map.Entry<String, JsonNode> field : fields) {
                    out.writeFieldName(field.getKey());
                    write(field.getValue(), out);
                }
                out.writeEndObject();
            }
            case ARRAY -> {
                out.writeStartArray();
                for (JsonNode element : node) {
                    write(element, out);
                }
                out.writeEndArray();
            }
            case STRING -> out.writeString(node.textValue());
            case NUMBER -> out.writeNumber(number(node));
            case BOOLEAN -> out.writeBoolean(node.booleanValue());
            case NULL -> out.writeNull();
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    static String number(JsonNode node) {
        if (node.isInt() || node.isLong()) {
            return Long.toString(node.longValue()); // what the BigDecimal path below gives for them, cheaper
        }
        BigDecimal value;
        if (node.isIntegralNumber()) {
            value = new BigDecimal(node.bigIntegerValue());
        } else if (node.isBigDecimal()) {
            value = node.decimalValue();
        } else {
            double d = node.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("not a JSON number: " + d);
            }
            value = BigDecimal.valueOf(d); // the shortest decimal that reads back as this double
        }
        BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        // Plain unless that would pad more than MAX_PADDING zeros: 1e999999999 must not become a gigabyte.
        if (stripped.scale() <= 0) {
            return -stripped.scale() <= MAX_PADDING
                    ? stripped.toBigIntegerExact().toString()
                    : stripped.unscaledValue() + "E" + (-stripped.scale());
        }
        return stripped.scale() - stripped.precision() <= MAX_PADDING
                ? stripped.toPlainString()
                : stripped.unscaledValue() + "E-" + stripped.scale();
    }
}
