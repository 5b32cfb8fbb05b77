package io.perkamo.node;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.api.ProgramConfig;
import io.perkamo.api.Simulator;
import io.perkamo.control.ControlPlane;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;
import io.perkamo.replay.Limits;
import io.perkamo.replay.Progress;
import io.perkamo.replay.Replay;
import io.perkamo.replay.ReplayLimitException;
import io.perkamo.replay.SpaceHistory;
import io.perkamo.replay.Window;
import io.perkamo.schemas.registry.SchemaRegistryClient;

/**
 * POST /v1/admin/simulate on the replay package: the same {@link Replay#whatIf} that
 * {@code perkamo replay --program} runs, over the Space's log on this node's cluster, with the
 * node's program versions and dedup retention. One simulation at a time per instance, bounded
 * by records read and time taken (the caller may only lower the records bound).
 */
final class ReplaySimulator implements Simulator {
    /** Server bounds: at ~100k records/s a full run stays well inside an HTTP client's patience. */
    static final long MAX_RECORDS = 1_000_000;
    static final Duration MAX_TIME = Duration.ofSeconds(30);

    private final String bootstrap;
    private final ControlPlane control;
    private final Optional<SchemaRegistryClient> registry;
    private final Duration dedupRetention;
    private final long maxRecords;
    private final Duration maxTime;
    private final Semaphore running = new Semaphore(1);

    ReplaySimulator(String bootstrap, ControlPlane control, Optional<SchemaRegistryClient> registry,
                    Duration dedupRetention, long maxRecords, Duration maxTime) {
        this.bootstrap = bootstrap;
        this.control = control;
        this.registry = registry;
        this.dedupRetention = dedupRetention;
        this.maxRecords = maxRecords;
        this.maxTime = maxTime;
    }

    @Override
    public Result simulate(String space, JsonNode program, Optional<Instant> effectiveAt, OptionalLong maxInputs) {
        ProgramParse parsed = Programs.parse(program);
        if (parsed instanceof ProgramParse.Invalid invalid) {
            return new InvalidProgram(invalid.problems().stream()
                    .map(p -> new ProgramConfig.ConfigProblem(p.path(), p.code(), p.message())).toList());
        }
        if (!running.tryAcquire()) {
            return new Busy();
        }
        long records = Math.min(maxRecords, maxInputs.orElse(maxRecords));
        // a fold thread per core would starve the processor on the same instance: one is enough here
        Replay.Options options = new Replay.Options(Window.ALL, dedupRetention, 1,
                new Limits(records, Optional.of(maxTime)));
        try (SpaceHistory history = SpaceHistory.fromCluster(bootstrap, space, control.programs(space), registry,
                Optional.empty())) {
            return new Summary(Replay.whatIf(history, ((ProgramParse.Parsed) parsed).definition(),
                    effectiveAt.orElse(Instant.EPOCH), options, Progress.silent()).summary());
        } catch (ReplayLimitException e) {
            return e.kind() == ReplayLimitException.Kind.TOO_MANY_RECORDS ? new TooLarge(e.limit())
                    : new TooSlow(e.limit());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while simulating", e);
        } finally {
            running.release();
        }
    }
}
