package io.perkamo.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.fold.Effect;
import io.perkamo.core.fold.LevelView;
import io.perkamo.core.fold.Outcome;
import io.perkamo.core.fold.PriorDecision;
import io.perkamo.core.fold.ProfileState;
import io.perkamo.core.fold.ProfileState.AchievementProgress;
import io.perkamo.core.fold.ProfileState.LimitCounter;
import io.perkamo.core.fold.ProfileState.LimitWindows;
import io.perkamo.core.fold.ProfileState.RedemptionCount;
import io.perkamo.core.fold.Unlock;
import io.perkamo.core.fold.WalletAmount;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.Period;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.avro.ProfileLimitCounter;
import io.perkamo.schemas.avro.StoredDecision;
import io.perkamo.schemas.Json;
import io.perkamo.schemas.input.OutcomeJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CodecRoundTripTest {
    private static final CompiledProgram PROGRAM = program();

    static {
        // Avro 1.12 refuses to instantiate classes it does not trust; the stream must do the same
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.DEFAULT,
                c -> c.getName().startsWith("io.perkamo.schemas.avro.")));
    }

    private static CompiledProgram program() {
        ProgramParse p = Programs.parse("""
                wallets: [{key: points, name: Points}, {key: xp, name: XP}]
                levels: {wallet: xp, thresholds: [{level: 1, name: Bronze, at: 0}, {level: 2, name: Silver, at: 100},
                                                  {level: 3, name: Gold, at: 500}]}
                perks: [{key: k1, name: Perk one}]
                achievements: [{key: k2, name: Ach two, event: a.b, count: 2}]
                """);
        return Programs.compile(((ProgramParse.Parsed) p).definition(), 3, Instant.EPOCH);
    }

    // ---- generators ---------------------------------------------------------------------------

    private static Arbitrary<String> keys() {
        return Arbitraries.of("points", "xp", "k1", "k2", "coffee", "gems", "reward:coffee");
    }

    /** Avro timestamps are milliseconds. */
    private static Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(0, 4_102_444_800_000L).map(Instant::ofEpochMilli);
    }

    private static <V> Arbitrary<SortedMap<String, V>> sortedMaps(Arbitrary<V> values) {
        return Arbitraries.maps(keys(), values).ofMaxSize(4).map(TreeMap::new);
    }

    private static Arbitrary<ObjectNode> traits() {
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6),
                Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s),
                        Arbitraries.integers().map(i -> (Object) i),
                        Arbitraries.of(1.5, 10.0, -0.25).map(d -> (Object) d),
                        Arbitraries.of(true, false).map(b -> (Object) b)))
                .ofMaxSize(4)
                .map(m -> {
                    ObjectNode n = JsonNodeFactory.instance.objectNode();
                    m.forEach((k, v) -> {
                        if (v instanceof String s) {
                            n.put(k, s);
                        } else if (v instanceof Integer i) {
                            n.put(k, i);
                        } else if (v instanceof Double d) {
                            n.put(k, d);
                        } else {
                            n.put(k, (Boolean) v);
                        }
                    });
                    return n;
                });
    }

    @Provide
    Arbitrary<ProfileState> states() {
        Arbitrary<LimitCounter> counters = Combinators.combine(Arbitraries.of(Period.class), instants(),
                Arbitraries.longs().between(0, 1000)).as(LimitCounter::new);
        Arbitrary<LimitWindows> windows = counters.list().ofMinSize(1).ofMaxSize(4)
                .uniqueElements(c -> List.of(c.period(), c.periodStart())).map(LimitWindows::of);
        Arbitrary<AchievementProgress> progress = Combinators.combine(Arbitraries.longs().between(0, 100),
                Arbitraries.integers().between(0, 30), Arbitraries.integers().between(0, 30000).optional(),
                instants().optional()).as(AchievementProgress::new);
        Arbitrary<RedemptionCount> redemptions = Combinators.combine(Arbitraries.longs().between(1, 50), instants())
                .as(RedemptionCount::new);
        return Builders.withBuilder(() -> new Object[13])
                .use(Arbitraries.strings().ofMinLength(1).ofMaxLength(20)).in((b, v) -> { b[0] = v; return b; })
                .use(Arbitraries.longs().between(0, 1_000_000)).in((b, v) -> { b[1] = v; return b; })
                .use(Arbitraries.longs().between(0, 20)).in((b, v) -> { b[2] = v; return b; })
                .use(sortedMaps(Arbitraries.longs().greaterOrEqual(0))).in((b, v) -> { b[3] = v; return b; })
                .use(sortedMaps(Arbitraries.longs().greaterOrEqual(0))).in((b, v) -> { b[4] = v; return b; })
                .use(Arbitraries.of(0, 1, 2, 3)).in((b, v) -> { b[5] = v; return b; })
                .use(sortedMaps(instants())).in((b, v) -> { b[6] = v; return b; })
                .use(sortedMaps(windows)).in((b, v) -> { b[7] = v; return b; })
                .use(traits()).in((b, v) -> { b[8] = v; return b; })
                .use(sortedMaps(progress)).in((b, v) -> { b[9] = v; return b; })
                .use(sortedMaps(redemptions)).in((b, v) -> { b[10] = v; return b; })
                .use(instants().optional()).in((b, v) -> { b[11] = v; return b; })
                .use(instants().optional()).in((b, v) -> { b[12] = v; return b; })
                .build(CodecRoundTripTest::state);
    }

    @SuppressWarnings("unchecked")
    private static ProfileState state(Object[] b) {
        return new ProfileState((String) b[0], (Long) b[1], (Long) b[2], (SortedMap<String, Long>) b[3],
                (SortedMap<String, Long>) b[4], (Integer) b[5], (SortedMap<String, Instant>) b[6],
                (SortedMap<String, LimitWindows>) b[7], (ObjectNode) b[8],
                (SortedMap<String, AchievementProgress>) b[9], (SortedMap<String, RedemptionCount>) b[10],
                (Optional<Instant>) b[11], (Optional<Instant>) b[12]);
    }

    private static Arbitrary<List<WalletAmount>> deltas() {
        return Combinators.combine(keys(), Arbitraries.longs()).as(WalletAmount::new).list().ofMaxSize(3);
    }

    private static Arbitrary<List<Unlock>> unlocks() {
        return Combinators.combine(Arbitraries.of(Unlock.Type.class), keys(), Arbitraries.strings().ofMaxLength(10))
                .as(Unlock::new).list().ofMaxSize(3);
    }

    private static Arbitrary<Optional<String>> optionalText() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(12).optional();
    }

    @Provide
    Arbitrary<PriorDecision> decisions() {
        return Builders.withBuilder(() -> new Object[9])
                .use(Arbitraries.strings().numeric().ofLength(64)).in((b, v) -> { b[0] = v; return b; })
                .use(instants()).in((b, v) -> { b[1] = v; return b; })
                .use(Arbitraries.longs().between(0, 99)).in((b, v) -> { b[2] = v; return b; })
                .use(Arbitraries.of(Outcome.Status.class)).in((b, v) -> { b[3] = v; return b; })
                .use(optionalText()).in((b, v) -> { b[4] = v; return b; })
                .use(deltas()).in((b, v) -> { b[5] = v; return b; })
                .use(unlocks()).in((b, v) -> { b[6] = v; return b; })
                .use(Arbitraries.of(true, false)).in((b, v) -> { b[7] = v; return b; })
                .use(Arbitraries.of(true, false)).in((b, v) -> { b[8] = v; return b; })
                .build(CodecRoundTripTest::decision);
    }

    @SuppressWarnings("unchecked")
    private static PriorDecision decision(Object[] b) {
        return new PriorDecision((String) b[0], (Instant) b[1], (Long) b[2], (Outcome.Status) b[3],
                (Optional<String>) b[4], (List<WalletAmount>) b[5], (List<Unlock>) b[6], (Boolean) b[7],
                (Boolean) b[8]);
    }

    @Provide
    Arbitrary<Outcome> outcomes() {
        Arbitrary<Optional<LevelView>> levels = Combinators.combine(keys(), Arbitraries.integers().between(0, 9),
                Arbitraries.strings().ofMaxLength(8), Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.longs().optional(), Arbitraries.doubles().between(0, 1))
                .as(LevelView::new).optional();
        Arbitrary<Effect> effects = Combinators.combine(Arbitraries.of(Effect.RULE_APPLIED, Effect.RULE_SKIPPED),
                optionalText(), optionalText(), optionalText(), Arbitraries.longs().optional(), optionalText())
                .as(Effect::new);
        Arbitrary<Map<String, Long>> walletState = Arbitraries.maps(keys(), Arbitraries.longs().greaterOrEqual(0))
                .ofMaxSize(4).map(LinkedHashMap::new);
        return Builders.withBuilder(() -> new Object[18])
                .use(Arbitraries.strings().ofMinLength(1).ofMaxLength(20)).in((b, v) -> { b[0] = v; return b; })
                .use(Arbitraries.of("event", "identify", "redemption")).in((b, v) -> { b[1] = v; return b; })
                .use(optionalText()).in((b, v) -> { b[2] = v; return b; })
                .use(optionalText()).in((b, v) -> { b[3] = v; return b; })
                .use(optionalText()).in((b, v) -> { b[4] = v; return b; })
                .use(instants()).in((b, v) -> { b[5] = v; return b; })
                .use(Arbitraries.longs().between(0, 99)).in((b, v) -> { b[6] = v; return b; })
                .use(Arbitraries.of(Outcome.Status.class)).in((b, v) -> { b[7] = v; return b; })
                .use(optionalText()).in((b, v) -> { b[8] = v; return b; })
                .use(Arbitraries.of(true, false)).in((b, v) -> { b[9] = v; return b; })
                .use(Arbitraries.of(true, false)).in((b, v) -> { b[10] = v; return b; })
                .use(deltas()).in((b, v) -> { b[11] = v; return b; })
                .use(Arbitraries.of(true, false)).in((b, v) -> { b[12] = v; return b; })
                .use(unlocks()).in((b, v) -> { b[13] = v; return b; })
                .use(walletState).in((b, v) -> { b[14] = v; return b; })
                .use(levels).in((b, v) -> { b[15] = v; return b; })
                .use(effects.list().ofMaxSize(4)).in((b, v) -> { b[16] = v; return b; })
                .use(Combinators.combine(Arbitraries.strings().ofMinLength(1).ofMaxLength(8),
                        Arbitraries.strings().ofMaxLength(20)).as(Outcome.ErrorInfo::new).optional())
                .in((b, v) -> { b[17] = v; return b; })
                .build(CodecRoundTripTest::outcome);
    }

    @SuppressWarnings("unchecked")
    private static Outcome outcome(Object[] b) {
        return new Outcome((String) b[0], (String) b[1], (Optional<String>) b[2], (Optional<String>) b[3],
                (Optional<String>) b[4], (Instant) b[5], (Long) b[6], (Outcome.Status) b[7], (Optional<String>) b[8],
                (Boolean) b[9], (Boolean) b[10], (List<WalletAmount>) b[11], (Boolean) b[12], (List<Unlock>) b[13],
                (Map<String, Long>) b[14], (Optional<LevelView>) b[15], (List<Effect>) b[16],
                (Optional<Outcome.ErrorInfo>) b[17]);
    }

    // ---- properties ---------------------------------------------------------------------------

    @Property(tries = 200)
    void profilesSurviveAvroBinary(@ForAll("states") ProfileState state) throws Exception {
        // when
        ByteBuffer bytes = Profile.getEncoder().encode(ProfileCodec.toAvro(state, PROGRAM));
        ProfileState back = ProfileCodec.fromAvro(Profile.getDecoder().decode(bytes));
        // then
        assertThat(back).isEqualTo(state);
    }

    @Property(tries = 100)
    void equalProfilesEncodeToIdenticalBytes(@ForAll("states") ProfileState state) throws Exception {
        ProfileState copy = ProfileCodec.fromAvro(ProfileCodec.toAvro(state, PROGRAM));
        assertThat(Profile.getEncoder().encode(ProfileCodec.toAvro(copy, PROGRAM)))
                .isEqualTo(Profile.getEncoder().encode(ProfileCodec.toAvro(state, PROGRAM)));
    }

    @Property(tries = 200)
    void decisionsSurviveAvroBinary(@ForAll("decisions") PriorDecision decision) throws Exception {
        ByteBuffer bytes = StoredDecision.getEncoder().encode(DecisionCodec.toAvro(decision));
        assertThat(DecisionCodec.fromAvro(StoredDecision.getDecoder().decode(bytes))).isEqualTo(decision);
    }

    @Property(tries = 200)
    void outcomesSurviveAvroBinary(@ForAll("outcomes") Outcome outcome) throws Exception {
        ByteBuffer bytes = io.perkamo.schemas.avro.Outcome.getEncoder().encode(OutcomeCodec.toAvro(outcome));
        assertThat(OutcomeCodec.fromAvro(io.perkamo.schemas.avro.Outcome.getDecoder().decode(bytes)))
                .isEqualTo(outcome);
    }

    /** The API answers what it reads back from a JSON outcomes topic: the same outcome, the same bytes. */
    @Property(tries = 200)
    void outcomesSurviveTheJsonOutcomesTopic(@ForAll("outcomes") Outcome outcome) throws Exception {
        byte[] onTopic = OutcomeJson.bytes(OutcomeCodec.toAvro(outcome));

        Outcome read = OutcomeCodec.fromAvro(OutcomeJson.fromJson(Json.MAPPER.readTree(onTopic)));

        assertThat(read).isEqualTo(outcome);
        assertThat(OutcomeJson.bytes(OutcomeCodec.toAvro(read))).isEqualTo(onTopic);
    }

    // ---- examples -----------------------------------------------------------------------------

    @Test
    void theProfileCarriesNamesAndTheLevelViewFromTheProgram() {
        // given
        ProfileState state = new ProfileState("u1", 4, 3, new TreeMap<>(Map.of("xp", 150L)),
                new TreeMap<>(Map.of("xp", 150L)), 2, new TreeMap<>(Map.of("k1", Instant.EPOCH)), new TreeMap<>(),
                JsonNodeFactory.instance.objectNode().put("plan", "pro"),
                new TreeMap<>(Map.of("k2", new AchievementProgress(2, 1, Optional.of(19000), Optional.of(Instant.EPOCH)))),
                new TreeMap<>(), Optional.of(Instant.EPOCH), Optional.of(Instant.EPOCH));
        // when
        Profile p = ProfileCodec.toAvro(state, PROGRAM);
        // then
        assertThat(p.getPerks().get(0).getName()).isEqualTo("Perk one");
        assertThat(p.getAchievements().get(0).getName()).isEqualTo("Ach two");
        assertThat(p.getLevel().getName()).isEqualTo("Silver");
        assertThat(p.getLevel().getNextLevelAt()).isEqualTo(500L);
        assertThat(p.getLevel().getProgress()).isEqualTo(50.0 / 400.0);
        assertThat(p.getTraits()).isEqualTo("{\"plan\":\"pro\"}");
    }

    @Test
    void aProfileWrittenWithOneCounterPerRuleStillDecodes() {
        // given: a profile as written before limits kept several windows (one entry per key)
        Profile old = ProfileCodec.toAvro(ProfileState.empty("u1"), PROGRAM);
        old.setLimits(List.of(
                new ProfileLimitCounter("purchase", "day", Instant.parse("2024-05-16T00:00:00Z"), 3L),
                new ProfileLimitCounter("reward:coffee", "week", Instant.parse("2024-05-13T00:00:00Z"), 1L)));
        // when
        ProfileState state = ProfileCodec.fromAvro(old);
        // then
        assertThat(state.limits().get("purchase").counters()).containsExactly(
                new LimitCounter(Period.DAY, Instant.parse("2024-05-16T00:00:00Z"), 3));
        assertThat(state.limits().get("reward:coffee").counters()).containsExactly(
                new LimitCounter(Period.WEEK, Instant.parse("2024-05-13T00:00:00Z"), 1));
    }

    @Test
    void limitWindowsAreWrittenByKeyThenWindowStartWhateverTheOrderRead() {
        // given: one key's windows read out of order, between another key's
        Profile read = ProfileCodec.toAvro(ProfileState.empty("u1"), PROGRAM);
        read.setLimits(List.of(
                new ProfileLimitCounter("b", "day", Instant.parse("2024-05-16T00:00:00Z"), 1L),
                new ProfileLimitCounter("a", "day", Instant.parse("2024-05-02T00:00:00Z"), 1L),
                new ProfileLimitCounter("b", "day", Instant.parse("2024-05-14T00:00:00Z"), 2L)));
        // when
        Profile written = ProfileCodec.toAvro(ProfileCodec.fromAvro(read), PROGRAM);
        // then
        assertThat(written.getLimits()).extracting(l -> l.getKey() + "@" + l.getPeriodStart() + "=" + l.getCount())
                .containsExactly("a@2024-05-02T00:00:00Z=1", "b@2024-05-14T00:00:00Z=2", "b@2024-05-16T00:00:00Z=1");
    }

    @Test
    void anOutcomeUsesTheWireSpellings() {
        Outcome o = new Outcome("u1", "redemption", Optional.of("x1"), Optional.empty(), Optional.of("coffee"),
                Instant.EPOCH, 2, Outcome.Status.REDEEMED, Optional.empty(), true, false,
                List.of(new WalletAmount("points", -500)), false, List.of(new Unlock(Unlock.Type.REWARD, "coffee",
                "Coffee")), Map.of("points", 0L), Optional.empty(), List.of(), Optional.empty());
        io.perkamo.schemas.avro.Outcome a = OutcomeCodec.toAvro(o);
        assertThat(a.getStatus()).isEqualTo("redeemed");
        assertThat(a.getUnlocked().get(0).getType()).isEqualTo("reward");
        assertThat(a.getLevel()).isNull();
    }
}
