package io.perkamo.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import io.perkamo.core.step.FoldStep;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.wire.ConfluentWire;

/**
 * The determinism audit: every user's replayed profile against their last live profile
 * record, byte for byte in the format the live record is in (the deployment's output format).
 *
 * <p>The live processor may be running: a user's live record is compared with the replayed
 * profile of the same version (the one the same input wrote), caught during the loop, so a
 * live processor that is merely behind is not a difference. It is one when the live record is
 * behind what the processor has committed (its consumer group's offsets), ahead of the log, or
 * when the bytes differ.
 */
final class Audit {
    /** A user whose live profile differs from the replay, and how. */
    record Difference(String userId, int partition, String reason, long liveVersion, long replayedVersion,
                      Optional<Profile> live, Optional<Profile> replayed) {
    }

    /**
     * @param tally    what the replay's applied inputs moved (in the window)
     * @param balances per wallet, the sum of the replayed users' balances
     * @param levels   replayed users per level
     */
    record Result(LogCounts counts, long users, long compared, long pending, List<Difference> differences,
                  LaneTally tally, Map<String, Long> balances, Map<Integer, Long> levels) {
    }

    /** Per user: the replayed record at the live version (kept only when it differs), and the committed version. */
    private static final class Check {
        boolean compared;
        boolean equal;
        Profile replayedAtLive;
        long committedVersion;
    }

    private final LiveProfiles live;
    private final Map<Integer, Long> committed;
    private final boolean windowEnds;
    private final Serializer<Profile> json;
    private final Optional<Serializer<Profile>> avro;
    private final Deserializer<Profile> reader;
    private final String profilesTopic;
    private final List<PartitionAudit> observers = new ArrayList<>();

    /**
     * @param committed  the live processor's committed offsets per partition (empty: unknown, so
     *                   every user's live record must match the replay's last)
     * @param windowEnds a {@code --to} ends the replay early: users changed since are not compared
     */
    Audit(LiveProfiles live, Map<Integer, Long> committed, boolean windowEnds, String profilesTopic,
          Serializer<Profile> json, Optional<Serializer<Profile>> avro, Deserializer<Profile> reader) {
        this.live = live;
        this.committed = Map.copyOf(committed);
        this.windowEnds = windowEnds;
        this.profilesTopic = profilesTopic;
        this.json = json;
        this.avro = avro;
        this.reader = reader;
    }

    synchronized Observer observer(int partition) {
        PartitionAudit o = new PartitionAudit(partition);
        observers.add(o);
        return o;
    }

    private final class PartitionAudit implements Observer {
        final int partition;
        final long committedOffset;
        final LogCounts counts = new LogCounts();
        final LaneTally tally = new LaneTally();
        final Map<String, Check> checks = new HashMap<>();

        PartitionAudit(int partition) {
            this.partition = partition;
            this.committedOffset = committed.getOrDefault(partition, -1L);
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
                           Optional<FoldStep.Result> draft, boolean counted) {
            counts.folded(counted);
            if (liveResult.isEmpty()) {
                return;
            }
            FoldStep.Result result = liveResult.get();
            if (counted) {
                tally.add(result.decision().outcome());
            }
            String user = input.userId();
            if (record.offset() < committedOffset) {
                check(user).committedVersion = result.decision().state().version();
            }
            if (result.profile().isEmpty()) {
                return;
            }
            long version = result.decision().state().version();
            if (version != live.version(user)) {
                return;
            }
            Check check = check(user);
            byte[] liveBytes = live.bytes(user).orElseThrow();
            Profile replayed = result.profile().get().record();
            check.compared = true;
            check.equal = Arrays.equals(liveBytes, serialize(replayed, liveBytes));
            check.replayedAtLive = check.equal ? null : replayed;
        }

        private Check check(String user) {
            return checks.computeIfAbsent(user, u -> new Check());
        }
    }

    private byte[] serialize(Profile replayed, byte[] liveBytes) {
        if (!ConfluentWire.isFramed(liveBytes)) {
            return json.serialize(profilesTopic, replayed);
        }
        return avro.orElseThrow(() -> new IllegalStateException("the live profiles are Avro: give the"
                + " deployment's --schema-registry-url")).serialize(profilesTopic, replayed);
    }

    Result result(List<PartitionReplay> partitions) {
        LogCounts counts = new LogCounts();
        LaneTally tally = new LaneTally();
        Map<String, Long> balances = new TreeMap<>();
        Map<Integer, Long> levels = new TreeMap<>();
        Map<Integer, PartitionAudit> byPartition = new HashMap<>();
        for (PartitionAudit o : observers) {
            counts.add(o.counts);
            tally.add(o.tally);
            byPartition.put(o.partition, o);
        }
        List<Difference> differences = new ArrayList<>();
        Set<String> replayedUsers = new HashSet<>();
        long compared = 0;
        long pending = 0;
        for (PartitionReplay p : partitions) {
            PartitionAudit audit = byPartition.get(p.partition());
            boolean knowsCommitted = committed.containsKey(p.partition());
            for (Map.Entry<String, Lane.User> e : p.live().users().entrySet()) {
                String user = e.getKey();
                replayedUsers.add(user);
                long replayedVersion = e.getValue().state.version();
                e.getValue().state.wallets().forEach((w, v) -> balances.merge(w, v, Long::sum));
                levels.merge(e.getValue().state.level(), 1L, Long::sum);
                long liveVersion = live.version(user);
                Check check = audit == null ? null : audit.checks.get(user);
                long committedVersion = knowsCommitted ? (check == null ? 0 : check.committedVersion) : replayedVersion;
                Optional<Profile> liveProfile = live.bytes(user).map(b -> reader.deserialize(profilesTopic, b));
                if (liveVersion > replayedVersion) {
                    if (!windowEnds) {
                        differences.add(new Difference(user, p.partition(), "the live profile has applied more"
                                + " inputs than the log holds for this user", liveVersion, replayedVersion,
                                liveProfile, Optional.empty()));
                    }
                    continue;
                }
                if (liveVersion < committedVersion) {
                    differences.add(new Difference(user, p.partition(), "the live profile is behind inputs the"
                            + " processor has committed", liveVersion, replayedVersion, liveProfile, Optional.empty()));
                    continue;
                }
                if (liveVersion < replayedVersion) {
                    pending++;
                }
                if (liveVersion == 0) {
                    continue; // nothing applied live yet for this user, nor required to be
                }
                compared++;
                if (check == null || !check.compared) {
                    differences.add(new Difference(user, p.partition(), "no replayed profile has the live"
                            + " version", liveVersion, replayedVersion, liveProfile, Optional.empty()));
                } else if (!check.equal) {
                    differences.add(new Difference(user, p.partition(), "the profile differs", liveVersion,
                            liveVersion, liveProfile, Optional.of(check.replayedAtLive)));
                }
            }
        }
        if (!windowEnds) {
            for (Map.Entry<String, byte[]> e : live.all().entrySet()) {
                if (!replayedUsers.contains(e.getKey())) {
                    differences.add(new Difference(e.getKey(), -1, "a live profile without any input in the log",
                            live.version(e.getKey()), 0, Optional.of(reader.deserialize(profilesTopic, e.getValue())),
                            Optional.empty()));
                }
            }
        }
        differences.sort(Comparator.comparing(Difference::userId));
        return new Result(counts, replayedUsers.size(), compared, pending, List.copyOf(differences), tally, balances,
                levels);
    }
}
