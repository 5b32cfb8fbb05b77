package io.perkamo.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.control.ControlPlane;
import io.perkamo.control.ProgramVersion;
import io.perkamo.control.UnknownSpaceException;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramHistory;
import io.perkamo.schemas.registry.SchemaRegistryClient;
import io.perkamo.topics.InputDecoder;
import io.perkamo.topics.Topics;
import io.perkamo.topics.WireFormats;

/**
 * What a replay folds: a Space's events log, its published program versions (the control
 * plane's, or those an export carries) and the decoder the processor reads the log with.
 */
public record SpaceHistory(String space, List<ProgramVersion> programs, EventLog events, InputDecoder decoder)
        implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpaceHistory.class);

    public SpaceHistory {
        programs = programs.stream().sorted(Comparator.comparingLong(ProgramVersion::version)).toList();
    }

    /**
     * The Space's log on the cluster, read up to where it ends now (or {@code to}); the programs
     * from the control plane. Nothing is written.
     */
    public static SpaceHistory fromCluster(String bootstrap, String space, Optional<SchemaRegistryClient> registry,
                                           Optional<Instant> to) {
        return fromCluster(bootstrap, space, programs(bootstrap, space), registry, to);
    }

    /** The same, with the program versions a running control plane already holds (the node's). */
    public static SpaceHistory fromCluster(String bootstrap, String space, List<ProgramVersion> programs,
                                           Optional<SchemaRegistryClient> registry, Optional<Instant> to) {
        return new SpaceHistory(space, programs, new KafkaEventLog(bootstrap, Topics.EVENTS.name(space), to),
                decoder(registry));
    }

    /** The Space's published program versions (the Space must exist). */
    static List<ProgramVersion> programs(String bootstrap, String space) {
        try (ControlPlane cp = ControlPlane.startWithoutMasterKey(bootstrap)) {
            if (cp.space(space).isEmpty()) {
                throw new UnknownSpaceException(space);
            }
            return cp.programs(space);
        }
    }

    /** How the processor decodes inputs: Avro ones need the deployment's registry, as there. */
    static InputDecoder decoder(Optional<SchemaRegistryClient> registry) {
        return new InputDecoder(new WireFormats(io.perkamo.topics.OutputFormat.JSON, registry).avroInputs());
    }

    /** The versions compiled into the history the stream folds with; one that fails is skipped, as there. */
    public ProgramHistory history() {
        ProgramHistory history = ProgramHistory.EMPTY;
        for (ProgramVersion v : programs) {
            try {
                history = history.with(v.compile());
            } catch (RuntimeException e) {
                log.error("Program version {} of Space {} cannot be compiled and is ignored, as the processor"
                        + " ignores it: {}", v.version(), space, e.getMessage());
            }
        }
        return history;
    }

    /** The number the draft gets: the next version, as if it were published now. */
    long nextVersion() {
        return programs.stream().mapToLong(ProgramVersion::version).max().orElse(0) + 1;
    }

    /**
     * The live history with the draft in force from {@code effectiveAt} on: live versions in force
     * only before then are kept (inputs before it are evaluated as they were), later ones dropped.
     */
    static ProgramHistory withDraft(ProgramHistory live, CompiledProgram draft) {
        List<CompiledProgram> kept = new ArrayList<>();
        for (CompiledProgram p : live.versions()) {
            if (p.effectiveAt().isBefore(draft.effectiveAt())) {
                kept.add(p);
            }
        }
        kept.add(draft);
        return ProgramHistory.of(kept.toArray(CompiledProgram[]::new));
    }

    @Override
    public void close() {
        events.close();
    }
}
