package io.perkamo.core.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.fold.LevelView;
import io.perkamo.core.fold.Levels;
import io.perkamo.core.fold.ProfileState;
import io.perkamo.core.fold.ProfileState.AchievementProgress;
import io.perkamo.core.fold.ProfileState.LimitCounter;
import io.perkamo.core.fold.ProfileState.LimitWindows;
import io.perkamo.core.fold.ProfileState.RedemptionCount;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.Period;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.avro.ProfileAchievement;
import io.perkamo.schemas.avro.ProfileLevel;
import io.perkamo.schemas.avro.ProfileLimitCounter;
import io.perkamo.schemas.avro.ProfilePerk;
import io.perkamo.schemas.avro.ProfileRedemption;

/**
 * ProfileState <-> Avro Profile (the profile store value and the profiles topic). toAvro adds
 * what downstream readers need but the state does not keep: perk and achievement names and
 * the level view, taken from the program in force. Maps and lists are written in key order so
 * that equal states encode to identical bytes.
 */
public final class ProfileCodec {
    /**
     * Not the project's strict mapper, on purpose: stored traits are part of the state format,
     * and reading decimals as doubles (10.0 stays a decimal for CEL) is what every store
     * written so far relies on; changing it would change what a restored state's conditions see.
     */
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProfileCodec() {
    }

    public static Profile toAvro(ProfileState state, CompiledProgram program) {
        List<ProfilePerk> perks = new ArrayList<>(state.perks().size());
        state.perks().forEach((key, at) -> perks.add(new ProfilePerk(key, program.perkName(key).orElse(key), at)));
        List<ProfileLimitCounter> limits = new ArrayList<>(state.limits().size());
        // one entry per window: by key, then window start (the windows' own order)
        state.limits().forEach((key, windows) -> windows.counters().forEach(c -> limits.add(
                new ProfileLimitCounter(key, c.period().wire(), c.periodStart(), c.count()))));
        List<ProfileAchievement> achievements = new ArrayList<>(state.achievements().size());
        state.achievements().forEach((key, a) -> achievements.add(new ProfileAchievement(key,
                program.achievementName(key).orElse(key), a.unlockedAt().orElse(null), a.count(), a.streakDays(),
                a.lastDay().orElse(null))));
        List<ProfileRedemption> redemptions = new ArrayList<>(state.redemptions().size());
        state.redemptions().forEach((key, r) -> redemptions.add(new ProfileRedemption(key, r.count(), r.lastAt())));
        // level 0 means "none yet": keep it null so that the state restores exactly
        ProfileLevel level = state.level() == 0 ? null
                : Levels.view(program, state).map(ProfileCodec::level).orElse(null);
        // the constructor, not the builder: a builder validates and deep-copies defaults per record
        return new Profile(state.userId(), state.version(), state.programVersion(), new TreeMap<>(state.wallets()),
                new TreeMap<>(state.earned()), level, perks, traitsText(state.traits()), limits, achievements,
                redemptions, state.createdAt().orElse(null), state.updatedAt().orElse(null));
    }

    public static ProfileState fromAvro(Profile p) {
        TreeMap<String, java.time.Instant> perks = new TreeMap<>();
        p.getPerks().forEach(perk -> perks.put(perk.getKey(), perk.getUnlockedAt()));
        // entries of one key are its windows (a profile written before windows has one per key)
        TreeMap<String, List<LimitCounter>> counters = new TreeMap<>();
        p.getLimits().forEach(l -> counters.computeIfAbsent(l.getKey(), k -> new ArrayList<>()).add(
                new LimitCounter(Period.fromWire(l.getPeriod())
                        .orElseThrow(() -> new IllegalArgumentException("unknown period " + l.getPeriod())),
                        l.getPeriodStart(), l.getCount())));
        TreeMap<String, LimitWindows> limits = new TreeMap<>();
        counters.forEach((key, list) -> limits.put(key, LimitWindows.of(list)));
        TreeMap<String, AchievementProgress> achievements = new TreeMap<>();
        p.getAchievements().forEach(a -> achievements.put(a.getKey(), new AchievementProgress(a.getCount(),
                a.getStreakDays(), Optional.ofNullable(a.getLastDay()), Optional.ofNullable(a.getUnlockedAt()))));
        TreeMap<String, RedemptionCount> redemptions = new TreeMap<>();
        p.getRedemptions().forEach(r -> redemptions.put(r.getReward(), new RedemptionCount(r.getCount(),
                r.getLastAt())));
        int level = p.getLevel() == null ? 0 : p.getLevel().getLevel();
        return new ProfileState(p.getUserId(), p.getVersion(), p.getProgramVersion(), new TreeMap<>(p.getWallets()),
                new TreeMap<>(p.getEarned()), level, perks, limits, traits(p.getTraits()), achievements,
                redemptions, Optional.ofNullable(p.getCreatedAt()), Optional.ofNullable(p.getUpdatedAt()));
    }

    static ProfileLevel level(LevelView v) {
        return new ProfileLevel(v.wallet(), v.level(), v.name(), v.current(), v.currentLevelAt(),
                v.nextLevelAt().orElse(null), v.progress());
    }

    /** Plain JSON, not canonical: 10.0 must stay a decimal so that conditions see the same value after a restore. */
    private static String traitsText(ObjectNode traits) {
        if (traits.isEmpty()) {
            return "{}";
        }
        try {
            return JSON.writeValueAsString(traits);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("traits are always serializable", e);
        }
    }

    private static ObjectNode traits(String text) {
        try {
            JsonNode node = JSON.readTree(text == null || text.isEmpty() ? "{}" : text);
            if (!(node instanceof ObjectNode obj)) {
                throw new IllegalArgumentException("traits are not a JSON object");
            }
            return obj;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("traits are not JSON", e);
        }
    }
}
