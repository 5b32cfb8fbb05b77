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
 * An immutable sorted map over one array of keys and values, interleaved ({@code k0, v0, k1,
 * v1, ...}). A profile's maps are small (a few wallets, perks, counters), so a lookup is a short
 * binary search, and the fold's copy for a change is one small array copy instead of a new tree
 * (copied twice, into the working copy and again into the new state, as it was). One array, not
 * a tree or two arrays, also means fewer objects to fetch from memory when a user's state is
 * read: the fold spends much of its time waiting for exactly that. States share these maps:
 * nothing can change one.
 */
final class SortedArrayMap<V> extends AbstractMap<String, V> implements SortedMap<String, V> {
    private static final SortedArrayMap<?> EMPTY = new SortedArrayMap<>(new Object[0], 0, null);

    /** Keys at even indices, each followed by its value; only the first 2 * size slots are used. */
    private final Object[] entries;
    private final int size;
    private final Comparator<? super String> comparator;

    private SortedArrayMap(Object[] entries, int size, Comparator<? super String> comparator) {
        this.entries = entries;
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
        Object[] entries = new Object[2 * sorted.size()];
        int i = 0;
        for (Map.Entry<String, V> e : sorted.entrySet()) {
            entries[i++] = e.getKey();
            entries[i++] = e.getValue();
        }
        return new SortedArrayMap<>(entries, sorted.size(), sorted.comparator());
    }

    /** Binary search over the keys: the key's index (0..size-1), or -(insertion point) - 1. */
    private static int search(Object[] entries, int size, String key, Comparator<? super String> comparator) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            String k = (String) entries[2 * mid];
            int cmp = comparator == null ? k.compareTo(key) : comparator.compare(k, key);
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

    private int indexOf(Object key) {
        return search(entries, size, (String) key, comparator);
    }

    @SuppressWarnings("unchecked")
    private V valueAt(int i) {
        return (V) entries[2 * i + 1];
    }

    @Override
    public V get(Object key) {
        int i = indexOf(key);
        return i >= 0 ? valueAt(i) : null;
    }

    @Override
    public V getOrDefault(Object key, V fallback) {
        int i = indexOf(key);
        return i >= 0 ? valueAt(i) : fallback; // one search, where Map's default does two for a missing key
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
                    public Map.Entry<String, V> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>((String) entries[2 * i], valueAt(i));
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
        return (String) entries[0];
    }

    @Override
    public String lastKey() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        return (String) entries[2 * (size - 1)];
    }

    /**
     * The fold's working copy of one map: reads go to the state's map until the first change,
     * which copies its array; {@link #result()} hands the array to a new map without another copy.
     */
    static final class Draft<V> {
        private final SortedArrayMap<V> base;
        private Object[] entries;
        private int size;

        Draft(SortedArrayMap<V> base) {
            this.base = base;
            this.entries = base.entries;
            this.size = base.size;
        }

        @SuppressWarnings("unchecked")
        V get(String key) {
            int i = search(entries, size, key, base.comparator);
            return i >= 0 ? (V) entries[2 * i + 1] : null;
        }

        V getOrDefault(String key, V fallback) {
            V v = get(key);
            return v != null ? v : fallback;
        }

        boolean containsKey(String key) {
            return search(entries, size, key, base.comparator) >= 0;
        }

        void put(String key, V value) {
            int i = search(entries, size, key, base.comparator);
            if (i >= 0) {
                if (entries == base.entries) {
                    entries = entries.clone(); // first change: the state's map stays as it is
                }
                entries[2 * i + 1] = value;
                return;
            }
            int at = -(i + 1);
            if (entries == base.entries || 2 * size == entries.length) {
                entries = Arrays.copyOf(entries, 2 * (size + Math.max(1, size))); // room to grow
            }
            System.arraycopy(entries, 2 * at, entries, 2 * at + 2, 2 * (size - at));
            entries[2 * at] = key;
            entries[2 * at + 1] = value;
            size++;
        }

        /** The map with the changes: the state's own map when there were none. */
        SortedArrayMap<V> result() {
            return entries == base.entries ? base : new SortedArrayMap<>(entries, size, base.comparator);
        }
    }
}
