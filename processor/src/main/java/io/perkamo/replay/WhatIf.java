package io.perkamo.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.perkamo.core.fold.Outcome;
import io.perkamo.core.fold.ProfileState;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramHistory;
import io.perkamo.core.step.FoldStep;
import io.perkamo.schemas.input.Input;

/**
 * The what-if: the same records folded in two lanes, the live program history and the draft's,
 * compared. Per input it tallies what each lane credited and debited and which redemptions
 * went the other way; at the end it compares every user's final state.
 */
final class WhatIf {
    /** Keep this many redemption changes as examples (the counts cover all of them). */
    static final int EXAMPLES = 100;

    /** A redemption decided differently by the draft. */
    record RedemptionChange(int partition, long offset, String userId, String transactionId, String reward,
                            String live, String draft) {
    }

    /** A user whose final state differs. {@code movement}: the sum over wallets of |draft - live|. */
    record UserDiff(String userId, UserView live, UserView draft, long movement) {
    }

    /** Per lane, end-of-run distributions. */
    record States(Map<String, Long> outstanding, Map<Integer, Long> levels, Map<String, Long> perks,
                  Map<String, Long> achievements) {
    }

    record Result(LogCounts counts, long users, List<String> wallets, LaneTally live, LaneTally draft,
                  States liveStates, States draftStates, long redemptions, Map<String, Long> redemptionChanges,
                  List<RedemptionChange> redemptionExamples, List<UserDiff> differing) {
    }

    private final List<PartitionWhatIf> observers = new ArrayList<>();

    synchronized Observer observer(int partition) {
        PartitionWhatIf o = new PartitionWhatIf(partition);
        observers.add(o);
        return o;
    }

    private static final class PartitionWhatIf implements Observer {
        final int partition;
        final LogCounts counts = new LogCounts();
        final LaneTally live = new LaneTally();
        final LaneTally draft = new LaneTally();
        final Map<String, Long> changes = new TreeMap<>();
        final List<RedemptionChange> examples = new ArrayList<>();
        long redemptions;

        PartitionWhatIf(int partition) {
            this.partition = partition;
        }

        @Override
        public void refused(LogRecord record, String code, boolean counted) {
            counts.refused(code, counted);
        }

        @Override
        public void moved(LogRecord record, boolean counted) {
            counts.moved(counted);
        }

        @Override
        public void folded(LogRecord record, Input input, Optional<FoldStep.Result> liveResult,
                           Optional<FoldStep.Result> draftResult, boolean counted) {
            counts.folded(counted);
            if (!counted) {
                return;
            }
            Optional<Outcome> l = liveResult.map(r -> r.decision().outcome());
            Optional<Outcome> d = draftResult.map(r -> r.decision().outcome());
            l.ifPresent(live::add);
            d.ifPresent(draft::add);
            if (input instanceof Input.Redemption redemption && !l.map(Outcome::duplicate).orElse(false)) {
                redemptions++;
                String before = decided(l);
                String after = decided(d);
                if (!before.equals(after)) {
                    changes.merge(before + " -> " + after, 1L, Long::sum);
                    if (examples.size() < EXAMPLES) {
                        examples.add(new RedemptionChange(partition, record.offset(), input.userId(),
                                redemption.txId(), redemption.reward(), before, after));
                    }
                }
            }
        }

        private static String decided(Optional<Outcome> o) {
            if (o.isEmpty()) {
                return "dlq (internal_error)";
            }
            Outcome outcome = o.get();
            return outcome.status().wire() + outcome.reason().map(r -> " (" + r + ")").orElse("");
        }
    }

    Result result(List<PartitionReplay> partitions, ProgramHistory liveHistory, CompiledProgram draftProgram) {
        LogCounts counts = new LogCounts();
        LaneTally live = new LaneTally();
        LaneTally draft = new LaneTally();
        Map<String, Long> changes = new TreeMap<>();
        List<RedemptionChange> examples = new ArrayList<>();
        long redemptions = 0;
        for (PartitionWhatIf o : observers) {
            counts.add(o.counts);
            live.add(o.live);
            draft.add(o.draft);
            o.changes.forEach((k, v) -> changes.merge(k, v, Long::sum));
            examples.addAll(o.examples);
            redemptions += o.redemptions;
        }
        examples.sort(Comparator.comparingLong(RedemptionChange::offset).thenComparingInt(RedemptionChange::partition));
        List<RedemptionChange> kept = List.copyOf(examples.subList(0, Math.min(EXAMPLES, examples.size())));

        Set<String> walletSet = new LinkedHashSet<>(draftProgram.walletKeys());
        for (CompiledProgram p : liveHistory.versions()) {
            walletSet.addAll(p.walletKeys());
        }
        StatesBuilder liveStates = new StatesBuilder();
        StatesBuilder draftStates = new StatesBuilder();
        List<UserDiff> differing = new ArrayList<>();
        Set<String> users = new HashSet<>();
        for (PartitionReplay p : partitions) {
            Map<String, Lane.User> draftUsers = p.draft().orElseThrow().users();
            for (Map.Entry<String, Lane.User> e : p.live().users().entrySet()) {
                users.add(e.getKey());
                ProfileState l = e.getValue().state;
                Lane.User du = draftUsers.get(e.getKey());
                ProfileState d = du == null ? ProfileState.empty(e.getKey()) : du.state;
                liveStates.add(l);
                draftStates.add(d);
                walletSet.addAll(l.wallets().keySet());
                walletSet.addAll(d.wallets().keySet());
                UserView lv = UserView.of(l);
                UserView dv = UserView.of(d);
                if (!lv.equals(dv)) {
                    long movement = 0;
                    Set<String> ws = new HashSet<>(lv.wallets().keySet());
                    ws.addAll(dv.wallets().keySet());
                    for (String w : ws) {
                        movement += Math.abs(dv.balance(w) - lv.balance(w));
                    }
                    differing.add(new UserDiff(e.getKey(), lv, dv, movement));
                }
            }
        }
        differing.sort(Comparator.comparingLong(UserDiff::movement).reversed().thenComparing(UserDiff::userId));
        return new Result(counts, users.size(), List.copyOf(walletSet), live, draft, liveStates.build(),
                draftStates.build(), redemptions, changes, kept, List.copyOf(differing));
    }

    private static final class StatesBuilder {
        final Map<String, Long> outstanding = new TreeMap<>();
        final Map<Integer, Long> levels = new TreeMap<>();
        final Map<String, Long> perks = new TreeMap<>();
        final Map<String, Long> achievements = new TreeMap<>();

        void add(ProfileState s) {
            s.wallets().forEach((w, v) -> outstanding.merge(w, v, Long::sum));
            levels.merge(s.level(), 1L, Long::sum);
            s.perks().keySet().forEach(k -> perks.merge(k, 1L, Long::sum));
            s.achievements().forEach((k, a) -> {
                if (a.unlockedAt().isPresent()) {
                    achievements.merge(k, 1L, Long::sum);
                }
            });
        }

        States build() {
            return new States(outstanding, levels, perks, achievements);
        }
    }
}
