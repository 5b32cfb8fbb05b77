package io.perkamo.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.program.ProgramHistory;
import io.perkamo.core.program.Programs;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.registry.SchemaRegistryClient;
import io.perkamo.topics.OutputFormat;
import io.perkamo.topics.Topics;
import io.perkamo.topics.WireFormats;

import org.apache.kafka.common.serialization.Serde;

/**
 * The two replays: the determinism audit of a Space's live profiles, and the what-if of a
 * draft program over a Space's history. Both fold the log with {@link io.perkamo.core.step.FoldStep},
 * the step the stream runs, in one process: no Streams application, no group, no write.
 */
public final class Replay {
    private Replay() {
    }

    /**
     * @param dedupRetention the deployment's {@code --dedup-retention}
     * @param threads        fold threads (at most one per partition)
     */
    public record Options(Window window, Duration dedupRetention, int threads, Limits limits) {
        public static Options defaults() {
            return new Options(Window.ALL, Duration.ofDays(30), Runtime.getRuntime().availableProcessors(),
                    Limits.NONE);
        }
    }

    /**
     * Replays the Space's events topic on the cluster and compares each user's profile with
     * their last live profile record. Reads, in this order, the live processor's committed
     * positions ({@code applicationId} is its consumer group), the profiles topic, then the
     * events topic up to its end now.
     */
    public static AuditReport audit(String bootstrap, String space, Optional<SchemaRegistryClient> registry,
                                    String applicationId, Options options, Progress progress)
            throws InterruptedException {
        long started = System.nanoTime();
        var programs = SpaceHistory.programs(bootstrap, space);
        String events = Topics.EVENTS.name(space);
        Map<Integer, Long> committed = ProcessorPositions.committed(bootstrap, applicationId, events);
        Serde<Profile> json = Topics.PROFILES.valueSerde(WireFormats.JSON);
        Optional<Serde<Profile>> avro = registry.map(r -> Topics.PROFILES.valueSerde(
                new WireFormats(OutputFormat.AVRO, Optional.of(r))));
        Serde<Profile> reader = avro.orElse(json);
        String profilesTopic = Topics.PROFILES.name(space);
        LiveProfiles live = LiveProfiles.read(bootstrap, profilesTopic, reader.deserializer());
        try (SpaceHistory history = new SpaceHistory(space, programs,
                new KafkaEventLog(bootstrap, events, options.window().to()), SpaceHistory.decoder(registry))) {
            Audit audit = new Audit(live, committed, options.window().to().isPresent(), profilesTopic,
                    json.serializer(), avro.map(Serde::serializer), reader.deserializer());
            ProgramHistory liveHistory = history.history();
            ReplayLoop.Done done = run(history, liveHistory, Optional.empty(), options, audit::observer, progress);
            return new AuditReport(space, audit.result(done.partitions()), done, liveHistory,
                    System.nanoTime() - started);
        }
    }

    /**
     * Folds the history under its live programs and, in a second lane, with the draft in force
     * from {@code effectiveAt} (earlier versions still decide earlier inputs), and compares.
     */
    public static WhatIfReport whatIf(SpaceHistory history, ProgramDefinition draft, Instant effectiveAt,
                                      Options options, Progress progress) throws InterruptedException {
        long started = System.nanoTime();
        ProgramHistory live = history.history();
        CompiledProgram compiled = Programs.compile(draft, history.nextVersion(), effectiveAt);
        ProgramHistory withDraft = SpaceHistory.withDraft(live, compiled);
        WhatIf whatIf = new WhatIf();
        ReplayLoop.Done done = run(history, live, Optional.of(withDraft), options, whatIf::observer, progress);
        return new WhatIfReport(history.space(), whatIf.result(done.partitions(), live, compiled), done, live,
                compiled, options.window(), System.nanoTime() - started);
    }

    private static ReplayLoop.Done run(SpaceHistory history, ProgramHistory live, Optional<ProgramHistory> draft,
                                       Options options, java.util.function.IntFunction<Observer> observers,
                                       Progress progress) throws InterruptedException {
        EventLog log = history.events();
        progress.expect(log.expectedRecords());
        ReplaySettings settings = new ReplaySettings(log.topic(), log.partitions(), history.decoder(),
                options.window(), options.dedupRetention(), live, draft, options.threads(), options.limits());
        return ReplayLoop.run(log, settings, observers, progress);
    }
}
