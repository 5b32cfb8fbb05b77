package io.perkamo.core.fold;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** SortedArrayMap and its Draft against TreeMap: the map they replace in the fold. */
class SortedArrayMapTest {

    @Property(tries = 500)
    void aDraftChangesLikeATreeMapAndLeavesItsBaseAlone(@ForAll("entries") Map<String, Integer> initial,
                                                       @ForAll("puts") List<Map.Entry<String, Integer>> puts,
                                                       @ForAll("puts") List<Map.Entry<String, Integer>> morePuts) {
        // given a state's map, and a TreeMap as the model
        SortedArrayMap<Integer> base = SortedArrayMap.copyOf(new TreeMap<>(initial));
        TreeMap<String, Integer> model = new TreeMap<>(initial);

        // when one input changes it, and the next input changes the result again
        SortedArrayMap.Draft<Integer> draft = new SortedArrayMap.Draft<>(base);
        for (Map.Entry<String, Integer> put : puts) {
            draft.put(put.getKey(), put.getValue());
            model.put(put.getKey(), put.getValue());
            assertThat(draft.get(put.getKey())).isEqualTo(put.getValue());
        }
        SortedArrayMap<Integer> first = draft.result();
        TreeMap<String, Integer> firstModel = new TreeMap<>(model);
        SortedArrayMap.Draft<Integer> next = new SortedArrayMap.Draft<>(first);
        for (Map.Entry<String, Integer> put : morePuts) {
            next.put(put.getKey(), put.getValue());
            model.put(put.getKey(), put.getValue());
        }
        SortedArrayMap<Integer> second = next.result();

        // then each map holds what the model held at its time, in order; earlier maps are unchanged
        assertThat(base).containsExactlyEntriesOf(new TreeMap<>(initial));
        assertThat(first).containsExactlyEntriesOf(firstModel);
        assertThat(second).containsExactlyEntriesOf(model);
        assertThat(second).isEqualTo(model).hasSameHashCodeAs(model).hasToString(model.toString());
        assertThat(first == base).isEqualTo(puts.isEmpty());
        for (String key : List.of("a", "b", "m", "z", "zz", "")) {
            assertThat(second.get(key)).isEqualTo(model.get(key));
            assertThat(second.containsKey(key)).isEqualTo(model.containsKey(key));
            assertThat(second.getOrDefault(key, -1)).isEqualTo(model.getOrDefault(key, -1));
            assertThat(next.containsKey(key)).isEqualTo(model.containsKey(key));
        }
        if (!model.isEmpty()) {
            assertThat(second.firstKey()).isEqualTo(model.firstKey());
            assertThat(second.lastKey()).isEqualTo(model.lastKey());
            assertThat(second.headMap("m")).isEqualTo(model.headMap("m"));
            assertThat(second.tailMap("m")).isEqualTo(model.tailMap("m"));
        }
    }

    @Provide
    Arbitrary<Map<String, Integer>> entries() {
        return Arbitraries.maps(keys(), Arbitraries.integers().between(0, 9)).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Map.Entry<String, Integer>>> puts() {
        return Combinators.combine(keys(), Arbitraries.integers().between(0, 9))
                .as(Map::entry).list().ofMaxSize(8);
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.strings().withCharRange('a', 'e').ofMinLength(0).ofMaxLength(2);
    }
}
