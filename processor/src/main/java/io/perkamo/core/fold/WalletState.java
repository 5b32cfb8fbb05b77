package io.perkamo.core.fold;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import io.perkamo.core.program.CompiledProgram;

/**
 * An outcome's wallet state: every program wallet (0 when untouched) in program order, then any
 * other wallet the profile holds, in key order. A read-only view over the program's wallet keys
 * and the state's (immutable) balances, so the fold builds no map for it; readers see the same
 * entries, order, equality and text as the copied map it replaces.
 */
final class WalletState extends AbstractMap<String, Long> {
    private final List<String> programWallets;
    private final CompiledProgram program;
    private final Map<String, Long> balances;
    private int size = -1;

    WalletState(CompiledProgram program, ProfileState state) {
        this.programWallets = program.walletKeys();
        this.program = program;
        this.balances = state.wallets();
    }

    @Override
    public Long get(Object key) {
        if (key instanceof String w && program.hasWallet(w)) {
            return balances.getOrDefault(w, 0L);
        }
        return key instanceof String ? balances.get(key) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String w && (program.hasWallet(w) || balances.containsKey(w));
    }

    @Override
    public int size() {
        if (size < 0) {
            int others = 0;
            for (String w : balances.keySet()) {
                if (!program.hasWallet(w)) {
                    others++;
                }
            }
            size = programWallets.size() + others;
        }
        return size;
    }

    @Override
    public Set<Map.Entry<String, Long>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Long>> iterator() {
                Iterator<Map.Entry<String, Long>> others = balances.entrySet().iterator();
                return new Iterator<>() {
                    private int next;
                    private Map.Entry<String, Long> other = advance();

                    private Map.Entry<String, Long> advance() {
                        while (others.hasNext()) {
                            Map.Entry<String, Long> e = others.next();
                            if (!program.hasWallet(e.getKey())) {
                                return e;
                            }
                        }
                        return null;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < programWallets.size() || other != null;
                    }

                    @Override
                    public Map.Entry<String, Long> next() {
                        if (next < programWallets.size()) {
                            String w = programWallets.get(next++);
                            return new AbstractMap.SimpleImmutableEntry<>(w, balances.getOrDefault(w, 0L));
                        }
                        if (other == null) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<String, Long> e = new AbstractMap.SimpleImmutableEntry<>(other);
                        other = advance();
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return WalletState.this.size();
            }
        };
    }
}
