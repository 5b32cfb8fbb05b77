package io.perkamo.replay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.perkamo.core.program.ProgramDefinition;
import io.perkamo.core.program.Programs;
import io.perkamo.core.step.FoldStep;
import io.perkamo.schemas.input.Input;
import io.perkamo.schemas.input.OutcomeJson;
import io.perkamo.schemas.input.ProfileJson;

/**
 * A replay's lanes as a test compares them with the live processor: every outcome in order and
 * each user's last profile record, as the JSON the stream writes, per lane.
 */
final class ReplayedLanes implements Observer {
    final List<String> liveOutcomes = new ArrayList<>();
    final List<String> draftOutcomes = new ArrayList<>();
    final Map<String, String> liveProfiles = new LinkedHashMap<>();
    final Map<String, String> draftProfiles = new LinkedHashMap<>();
    final List<String> refused = new ArrayList<>();

    /** Replays {@code history} (one partition) with the draft, when given, in force from the beginning. */
    static ReplayedLanes of(SpaceHistory history, Optional<ProgramDefinition> draft, Duration retention)
            throws InterruptedException {
        try (history) {
            Optional<io.perkamo.core.program.ProgramHistory> draftHistory = draft.map(d -> SpaceHistory.withDraft(
                    history.history(), Programs.compile(d, history.nextVersion(), Instant.EPOCH)));
            ReplaySettings settings = new ReplaySettings(history.events().topic(), history.events().partitions(),
                    history.decoder(), Window.ALL, retention, history.history(), draftHistory, 1, Limits.NONE);
            ReplayedLanes captured = new ReplayedLanes();
            ReplayLoop.run(history.events(), settings, partition -> captured, Progress.silent());
            return captured;
        }
    }

    @Override
    public void refused(LogRecord record, String code, boolean counted) {
        refused.add(code);
    }

    @Override
    public void folded(LogRecord record, Input input, Optional<FoldStep.Result> live, Optional<FoldStep.Result> draft,
                       boolean counted) {
        keep(live.orElseThrow(), liveOutcomes, liveProfiles);
        draft.ifPresent(d -> keep(d, draftOutcomes, draftProfiles));
    }

    private static void keep(FoldStep.Result r, List<String> outcomes, Map<String, String> profiles) {
        outcomes.add(new String(OutcomeJson.bytes(r.outcome()), StandardCharsets.UTF_8));
        r.profile().ifPresent(w -> profiles.put(w.record().getUserId(),
                new String(ProfileJson.bytes(w.record()), StandardCharsets.UTF_8)));
    }
}
