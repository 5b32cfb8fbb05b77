package io.perkamo.core.fold;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable sorted map over two parallel arrays. A profile's maps are small (a few wallets,
 * perks, counters), so a lookup is a short binary search, and the fold's copy for a change is two
 * small array copies instead of a new tree (copied twice, into the working copy and again into
 * the new state, as it was). States share these maps: nothing can change one.
 */
final class SortedArrayMap<V> extends AbstractMap<String, V> implements SortedMap<String, V> {
    private static final SortedArrayMap<?> EMPTY = new SortedArrayMap<>(new String[0], new Object[0], 0, null);

    private final String[] keys;
    private final Object[] values;
    private final int size;
    private final Comparator<? super String> comparator;

    private SortedArrayMap(String[] keys, Object[] values, int size, Comparator<? super String> comparator) {
        this.keys = keys;
        this.values = values;
        this.size = size;
        this.comparator = comparator;
    }

    @SuppressWarnings("unchecked")
    static <V> SortedArrayMap<V> empty() {
        return (SortedArrayMap<V>) EMPTY;
    }

    /** The map itself when it is one already; else a copy, in the map's own order. */
    static <V> SortedArrayMap<V> copyOf(SortedMap<String, V> map) {
        if (map instanceof SortedArrayMap<V> same) {
            return same;
        }
        TreeMap<String, V> sorted = new TreeMap<>(map); // keeps the comparator; rejects null keys as before
        String[] keys = new String[sorted.size()];
        Object[] values = new Object[sorted.size()];
        int i = 0;
        for (Map.Entry<String, V> e : sorted.entrySet()) {
            keys[i] = e.getKey();
            values[i++] = e.getValue();
        }
        return new SortedArrayMap<>(keys, values, keys.length, sorted.comparator());
    }

    private int indexOf(Object key) {
        return search(keys, size, (String) key, comparator);
    }

    /** Binary search as in Arrays.binarySearch: the index, or -(insertion point) - 1. */
    private static int search(String[] keys, int size, String key, Comparator<? super String> comparator) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int cmp = comparator == null ? keys[mid].compareTo(key) : comparator.compare(keys[mid], key);
            if (cmp < 0) {
                low = mid + 1;
            } else if (cmp > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = indexOf(key);
        return i >= 0 ? (V) values[i] : null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getOrDefault(Object key, V fallback) {
        int i = indexOf(key);
        return i >= 0 ? (V) values[i] : fallback; // one search, where Map's default does two for a missing key
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Map.Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Map.Entry<String, V> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(keys[i], (V) values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    @Override
    public Comparator<? super String> comparator() {
        return comparator;
    }

    // sub-maps are views of a tree copy: nothing in the engine needs them fast

    @Override
    public SortedMap<String, V> subMap(String fromKey, String toKey) {
        return Collections.unmodifiableSortedMap(tree().subMap(fromKey, toKey));
    }

    @Override
    public SortedMap<String, V> headMap(String toKey) {
        return Collections.unmodifiableSortedMap(tree().headMap(toKey));
    }

    @Override
    public SortedMap<String, V> tailMap(String fromKey) {
        return Collections.unmodifiableSortedMap(tree().tailMap(fromKey));
    }

    private TreeMap<String, V> tree() {
        TreeMap<String, V> tree = new TreeMap<>(comparator);
        tree.putAll(this);
        return tree;
    }

    @Override
    public String firstKey() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        return keys[0];
    }

    @Override
    public String lastKey() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        return keys[size - 1];
    }

    /**
     * The fold's working copy of one map: reads go to the state's map until the first change,
     * which copies its arrays; {@link #result()} hands them to a new map without another copy.
     */
    static final class Draft<V> {
        private final SortedArrayMap<V> base;
        private String[] keys;
        private Object[] values;
        private int size;

        Draft(SortedArrayMap<V> base) {
            this.base = base;
            this.keys = base.keys;
            this.values = base.values;
            this.size = base.size;
        }

        @SuppressWarnings("unchecked")
        V get(String key) {
            int i = search(keys, size, key, base.comparator);
            return i >= 0 ? (V) values[i] : null;
        }

        V getOrDefault(String key, V fallback) {
            V v = get(key);
            return v != null ? v : fallback;
        }

        boolean containsKey(String key) {
            return search(keys, size, key, base.comparator) >= 0;
        }

        void put(String key, V value) {
            int i = search(keys, size, key, base.comparator);
            if (i >= 0) {
                // a new value for a key the map has: the keys array stays shared with the state's map
                if (values == base.values) {
                    values = values.clone();
                }
                values[i] = value;
                return;
            }
            int at = -(i + 1);
            if (keys == base.keys || size == keys.length) {
                keys = Arrays.copyOf(keys, size + Math.max(1, size));
            }
            if (values == base.values || values.length < keys.length) {
                values = Arrays.copyOf(values, keys.length);
            }
            System.arraycopy(keys, at, keys, at + 1, size - at);
            System.arraycopy(values, at, values, at + 1, size - at);
            keys[at] = key;
            values[at] = value;
            size++;
        }

        /** The map with the changes: the state's own map when there were none. */
        SortedArrayMap<V> result() {
            return values == base.values ? base : new SortedArrayMap<>(keys, values, size, base.comparator);
        }
    }
}
