package io.perkamo.stream;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.perkamo.core.fold.ProfileState;
import io.perkamo.core.step.FoldStep;

/**
 * Recently used profiles, decoded: decoding a profile from the store costs as much as folding
 * an input into it, and an active user's inputs come in runs. An entry is only used while the
 * store still holds exactly the bytes it stands for, so the store stays the one truth (a
 * restore, a rebalance or an aborted transaction simply makes entries miss).
 *
 * <p>A state the fold produced is kept only when it may stand for its bytes
 * ({@link FoldStep#standsForItsBytes}: its traits are the decoded ones it started from), so a
 * replay after a crash, which decodes, sees exactly what this run saw.
 */
final class DecodedProfiles {
    /** Per task; about 1-2 KiB a profile. */
    static final int DEFAULT_CAPACITY = 4096;

    private record Entry(byte[] bytes, ProfileState state) {
    }

    private final Map<String, Entry> entries;

    DecodedProfiles(int capacity) {
        this.entries = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The state the store's bytes hold (the empty profile when there are none). */
    ProfileState state(String key, byte[] stored, String userId) {
        if (stored == null) {
            entries.remove(key);
            return ProfileState.empty(userId);
        }
        Entry entry = entries.get(key);
        if (entry != null && Arrays.equals(entry.bytes(), stored)) {
            return entry.state();
        }
        ProfileState state = FoldStep.decodeProfile(stored);
        entries.put(key, new Entry(stored, state));
        return state;
    }

    /** The fold stored {@code encoded} for {@code next}, starting from {@code previous}. */
    void wrote(String key, byte[] encoded, ProfileState next, ProfileState previous) {
        if (FoldStep.standsForItsBytes(next, previous)) {
            entries.put(key, new Entry(encoded, next));
        } else {
            entries.remove(key);
        }
    }
}
