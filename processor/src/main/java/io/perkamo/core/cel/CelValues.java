package io.perkamo.core.cel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cel.common.values.NullValue;

/** JSON to CEL values: integers as long, decimals as double, objects as maps, null as CEL null. */
public final class CelValues {
    private CelValues() {
    }

    public static Map<String, Object> fromObject(ObjectNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            out.put(f.getKey(), fromJson(f.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    static Object fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (node.isObject()) {
            return fromObject((ObjectNode) node);
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>(node.size());
            node.elements().forEachRemaining(n -> items.add(fromJson(n)));
            return Collections.unmodifiableList(items);
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }
}
