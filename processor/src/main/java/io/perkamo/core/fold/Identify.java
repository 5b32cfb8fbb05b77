package io.perkamo.core.fold;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.input.Input;

/** An identify: merges the input's traits into the profile's. */
final class Identify {
    private Identify() {
    }

    /** Top-level keys replace; a JSON null removes the key. Copy: the state's traits are shared. */
    static void merge(Fold f, Input.Identify i) {
        ObjectNode merged = f.newTraits.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = i.traits().fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                merged.remove(field.getKey());
            } else {
                merged.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        f.newTraits = merged;
        f.effects.add(Effect.make(Effect.TRAITS_MERGED, null, null, null, null, null));
    }
}
