package io.perkamo.control;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.topics.Topics;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Publishes program versions. The caller validates the program (core module); this class
 * numbers it (max existing + 1) and appends it to the programs control topic. Versions
 * are numbered by one writer at a time: two concurrent publishers to the same Space could
 * both take the same number, and the later write would win.
 */
public final class ProgramStore {
    private static final Logger log = LoggerFactory.getLogger(ProgramStore.class);

    private final ControlPlane cp;

    public ProgramStore(ControlPlane cp) {
        this.cp = cp;
    }

    /**
     * Publishes the next version, in force from {@code now}; a Space's first program is in force
     * from the beginning instead, so inputs already in the log (or back-dated ones) are not
     * left without rules: before it there was nothing to keep.
     */
    public ProgramVersion publishFromNow(String slug, ObjectNode program, Instant now) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        return publish(slug, program, cp.programs(slug).isEmpty() ? Instant.EPOCH : now);
    }

    public ProgramVersion publish(String slug, ObjectNode program, Instant effectiveAt) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        if (cp.space(slug).isEmpty()) {
            throw new UnknownSpaceException(slug);
        }
        List<ProgramVersion> existing = cp.programs(slug);
        long next = existing.isEmpty() ? 1 : existing.get(existing.size() - 1).version() + 1;
        ProgramVersion pv = new ProgramVersion(slug, next, effectiveAt, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                program);
        cp.log().write(Topics.CONTROL_PROGRAMS, ControlJson.programKey(slug, next), ControlJson.program(pv));
        log.info("Published program version {} of Space {}, effective {}", next, slug, effectiveAt);
        return pv;
    }
}
