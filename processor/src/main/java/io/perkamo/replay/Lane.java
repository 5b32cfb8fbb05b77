package io.perkamo.replay;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

import io.perkamo.core.fold.ProfileState;
import io.perkamo.core.program.ProgramHistory;
import io.perkamo.core.step.FoldStep;
import io.perkamo.schemas.input.Input;

/**
 * One partition's users folded under one program history, kept in memory the way the stream
 * keeps its stores: per user the state {@link FoldStep.Result#next()} gives (what a decode of
 * the stored profile gives) and the dedup entries as their stored bytes, decoded on lookup.
 * A what-if runs two lanes over the same records: the live history and the draft's.
 */
final class Lane {
    /** A user's memory: the profile state and the dedup store entries by transaction_id. */
    static final class User {
        ProfileState state;
        Map<String, Entry> decisions;

        User(ProfileState state) {
            this.state = state;
        }
    }

    /** A dedup store value and the time retention counts from. */
    record Entry(byte[] bytes, long recordedAt) {
    }

    /** When an entry was written: expiry looks at the oldest first and skips entries rewritten since. */
    private record Written(long recordedAt, User user, String transactionId) {
    }

    private final ProgramHistory programs;
    private final Map<String, User> users = new HashMap<>();
    private final PriorityQueue<Written> byAge =
            new PriorityQueue<>((a, b) -> Long.compare(a.recordedAt(), b.recordedAt()));

    Lane(ProgramHistory programs) {
        this.programs = programs;
    }

    ProgramHistory programs() {
        return programs;
    }

    /** Every user folded in this lane, with their last state. */
    Map<String, User> users() {
        return users;
    }

    /**
     * Folds one input exactly as the stream's fold processor does and keeps what it would store.
     *
     * @throws RuntimeException when the fold fails (the stream sends the input to the DLQ; nothing is kept)
     */
    FoldStep.Result fold(Input input, long recordTime) {
        String userId = input.userId();
        User user = users.get(userId);
        ProfileState state = user == null ? ProfileState.empty(userId) : user.state;
        User lookedUp = user;
        FoldStep.Result result = FoldStep.apply(programs, state, tx -> lookup(lookedUp, tx), input,
                Instant.ofEpochMilli(recordTime));
        if (user == null) {
            user = new User(state);
            users.put(userId, user);
        }
        for (FoldStep.DecisionWrite write : result.decisions()) {
            if (user.decisions == null) {
                user.decisions = new HashMap<>(4);
            }
            long recordedAt = write.record().getRecordedAt().toEpochMilli();
            user.decisions.put(write.transactionId(), new Entry(write.bytes(), recordedAt));
            byAge.add(new Written(recordedAt, user, write.transactionId()));
        }
        if (result.profile().isPresent()) {
            user.state = result.next();
        }
        return result;
    }

    /** The stream's retention sweep: drops the entries recorded before {@code cutoff}. */
    void expire(long cutoff) {
        while (!byAge.isEmpty() && byAge.peek().recordedAt() < cutoff) {
            Written w = byAge.poll();
            Map<String, Entry> decisions = w.user().decisions;
            Entry current = decisions == null ? null : decisions.get(w.transactionId());
            // rewritten since (a reversal marks an entry and stamps it anew): the newer write counts
            if (current != null && current.recordedAt() == w.recordedAt()) {
                decisions.remove(w.transactionId());
            }
        }
    }

    private static Optional<io.perkamo.core.fold.PriorDecision> lookup(User user, String transactionId) {
        if (user == null || user.decisions == null) {
            return Optional.empty();
        }
        Entry entry = user.decisions.get(transactionId);
        return entry == null ? Optional.empty() : Optional.of(FoldStep.decodeDecision(entry.bytes()));
    }
}
