package io.perkamo.schemas.input;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One text per JSON value, whatever the producer's key order, whitespace, escaping or
 * number spelling: object keys sorted (by UTF-16 code units, recursively), no whitespace,
 * numbers as the shortest exact decimal (10, 10.0 and 1E+1 are all "10"). The processor
 * hashes this to tell a retry from a conflicting payload.
 */
public final class CanonicalJson {
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private CanonicalJson() {
    }

    public static String write(JsonNode node) {
        StringBuilder out = new StringBuilder(64);
        append(out, node);
        return out.toString();
    }

    private static void append(StringBuilder out, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendString(out, names.get(i));
                out.append(':');
                append(out, node.get(names.get(i)));
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            Iterator<JsonNode> items = node.elements();
            boolean first = true;
            while (items.hasNext()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                append(out, items.next());
            }
            out.append(']');
        } else if (node.isNumber()) {
            out.append(canonicalNumber(node));
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else {
            appendString(out, node.asText());
        }
    }

    private static String canonicalNumber(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        BigDecimal d = node.decimalValue();
        if (d.signum() == 0) {
            return "0";
        }
        return d.stripTrailingZeros().toPlainString();
    }

    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        ENCODER.quoteAsString(s, out);
        out.append('"');
    }
}
