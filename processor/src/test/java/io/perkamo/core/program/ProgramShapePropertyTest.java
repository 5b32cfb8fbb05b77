package io.perkamo.core.program;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Whatever shape a program takes, reading it gives a definition or a list of problems, never an
 * exception: the demo program with random parts replaced, added or removed.
 */
class ProgramShapePropertyTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectNode DEMO = ((ProgramParse.Parsed) Programs.parse(ProgramsTest.demoText()))
            .definition().toJson();

    record Mutation(int where, int how, JsonNode value) {
    }

    @Property(tries = 200)
    void anyShapeIsADefinitionOrProblemsNeverAnException(@ForAll @Size(min = 1, max = 4) List<@From("mutations") Mutation> mutations) {
        // given the demo program, mutated
        ObjectNode program = DEMO.deepCopy();
        for (Mutation m : mutations) {
            apply(program, m);
        }
        for (boolean strict : new boolean[] {true, false}) {
            // when
            ProgramParse parse = strict ? Programs.parse(program) : Programs.parsePublished(program);
            // then
            if (parse instanceof ProgramParse.Invalid invalid) {
                assertThat(invalid.problems()).isNotEmpty().allSatisfy(p -> {
                    assertThat(p.path()).isNotNull();
                    assertThat(p.code()).isNotBlank();
                    assertThat(p.message()).isNotBlank();
                });
            } else {
                ProgramDefinition def = ((ProgramParse.Parsed) parse).definition();
                assertThat(Programs.compile(def, 1, Instant.EPOCH).version()).isEqualTo(1);
                ProgramParse again = strict ? Programs.parse(def.toJson()) : Programs.parsePublished(def.toJson());
                assertThat(again).isEqualTo(new ProgramParse.Parsed(def));
            }
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<JsonNode> values = Arbitraries.of(
                F.textNode(""), F.textNode("x"), F.textNode("2024"), F.textNode("{{amount}} /"), F.textNode("a.b"),
                F.textNode("day"), F.numberNode(0), F.numberNode(-1), F.numberNode(7), F.numberNode(Long.MAX_VALUE),
                F.numberNode(new BigInteger("123456789012345678901234567890")), F.numberNode(1.5), F.booleanNode(true),
                F.nullNode(), F.arrayNode(), F.arrayNode().add(1).add("x"), F.objectNode(),
                F.objectNode().put("key", "k").put("name", "N"), F.objectNode().put("zz", 1));
        return Combinators.combine(Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 2),
                values).as(Mutation::new);
    }

    /** how: 0 replaces a node, 1 adds a field (or an item) to a container, 2 removes a node. */
    private static void apply(ObjectNode root, Mutation m) {
        List<JsonNode[]> slots = new ArrayList<>(); // {parent, child} pairs
        collect(root, slots);
        if (slots.isEmpty()) {
            return;
        }
        JsonNode[] slot = slots.get(m.where() % slots.size());
        JsonNode parent = slot[0];
        JsonNode child = slot[1];
        switch (m.how()) {
            case 0 -> replace(parent, child, m.value().deepCopy());
            case 1 -> {
                if (child instanceof ObjectNode o) {
                    o.set(m.value().isTextual() && !m.value().textValue().isEmpty() ? m.value().textValue() : "rule",
                            m.value().deepCopy());
                } else if (child instanceof ArrayNode a) {
                    a.add(m.value().deepCopy());
                } else {
                    replace(parent, child, m.value().deepCopy());
                }
            }
            default -> remove(parent, child);
        }
    }

    private static void collect(JsonNode parent, List<JsonNode[]> out) {
        for (JsonNode child : parent) {
            out.add(new JsonNode[] {parent, child});
            collect(child, out);
        }
    }

    private static void replace(JsonNode parent, JsonNode child, JsonNode value) {
        if (parent instanceof ObjectNode o) {
            o.properties().stream().filter(e -> e.getValue() == child).map(java.util.Map.Entry::getKey).findFirst()
                    .ifPresent(k -> o.set(k, value));
        } else if (parent instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) == child) {
                    a.set(i, value);
                    return;
                }
            }
        }
    }

    private static void remove(JsonNode parent, JsonNode child) {
        if (parent instanceof ObjectNode o) {
            o.properties().stream().filter(e -> e.getValue() == child).map(java.util.Map.Entry::getKey).findFirst()
                    .ifPresent(o::remove);
        } else if (parent instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) == child) {
                    a.remove(i);
                    return;
                }
            }
        }
    }
}
