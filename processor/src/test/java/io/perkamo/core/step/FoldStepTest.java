package io.perkamo.core.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.codec.ProfileCodec;
import io.perkamo.core.codec.StoreCodecs;
import io.perkamo.core.fold.DecisionLookup;
import io.perkamo.core.fold.ProfileState;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramHistory;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;
import io.perkamo.schemas.input.Input;

class FoldStepTest {
    private static final String SHOP = """
            wallets: [{key: points, name: Points}]
            rules:
              - {key: purchase, event: purchase.completed, award: [{wallet: points, amount: "{{amount}} / 100"}]}
            rewards:
              - {key: coffee, name: Coffee, cost: {wallet: points, amount: 50}}
            """;
    private static final Instant AT = Instant.parse("2024-05-15T10:00:00Z");
    private static final Instant RECORDED = Instant.parse("2024-05-15T10:00:01.500Z");

    private final CompiledProgram shop = program(SHOP, 1, Instant.EPOCH);
    private final ProgramHistory programs = ProgramHistory.of(shop);
    /** The dedup store as the stream keeps it: bytes by transaction_id. */
    private final Map<String, byte[]> store = new HashMap<>();
    private final DecisionLookup lookup = tx -> Optional.ofNullable(store.get(tx)).map(FoldStep::decodeDecision);

    @Test
    void anAppliedEarnWritesOneDecisionTheProfileAndTheOutcome() {
        // given
        ProfileState empty = ProfileState.empty("u1");
        // when
        FoldStep.Result result = FoldStep.apply(programs, empty, lookup, purchase("t1", 12_900), RECORDED);
        // then
        assertThat(result.program()).isSameAs(shop);
        assertThat(result.decisions()).singleElement().satisfies(write -> {
            assertThat(write.transactionId()).isEqualTo("t1");
            assertThat(write.record().getRecordedAt()).isEqualTo(RECORDED);
            assertThat(write.bytes()).isEqualTo(StoreCodecs.encode(write.record()));
            assertThat(FoldStep.decodeDecision(write.bytes())).isEqualTo(result.decision().writes().get("t1"));
        });
        ProfileState after = result.decision().state();
        assertThat(after.balance("points")).isEqualTo(129);
        assertThat(result.profile()).hasValueSatisfying(profile -> {
            assertThat(profile.record()).isEqualTo(ProfileCodec.toAvro(after, shop));
            assertThat(profile.bytes()).isEqualTo(StoreCodecs.encode(ProfileCodec.toAvro(after, shop)));
            assertThat(FoldStep.decodeProfile(profile.bytes())).isEqualTo(after);
        });
        assertThat(result.outcome().getStatus()).isEqualTo("applied");
        assertThat(result.outcome().getTransactionId()).isEqualTo("t1");
        assertThat(result.outcome().getWalletState()).containsEntry("points", 129L);
        assertThat(result.next()).isSameAs(after);
    }

    @Test
    void aDuplicateWritesNothingButTheOutcome() {
        // given
        FoldStep.Result first = FoldStep.apply(programs, ProfileState.empty("u1"), lookup, purchase("t1", 12_900),
                RECORDED);
        keep(first);
        // when
        FoldStep.Result retry = FoldStep.apply(programs, first.next(), lookup, purchase("t1", 12_900),
                RECORDED.plusSeconds(60));
        // then
        assertThat(retry.decisions()).isEmpty();
        assertThat(retry.profile()).isEmpty();
        assertThat(retry.outcome().getDuplicate()).isTrue();
        assertThat(retry.outcome().getStatus()).isEqualTo("applied");
        assertThat(retry.outcome().getWalletState()).containsEntry("points", 129L);
        assertThat(retry.next()).isSameAs(first.next());
    }

    @Test
    void aRefusedRedemptionRecordsItsDecisionButWritesNoProfile() {
        // given a user without points
        ProfileState empty = ProfileState.empty("u1");
        // when
        FoldStep.Result result = FoldStep.apply(programs, empty, lookup,
                new Input.Redemption("u1", "r1", "coffee", JsonNodeFactory.instance.objectNode(), AT), RECORDED);
        // then the state is unchanged, and a retry must get the same answer
        assertThat(result.decision().state()).isSameAs(empty);
        assertThat(result.profile()).isEmpty();
        assertThat(result.decisions()).extracting(FoldStep.DecisionWrite::transactionId).containsExactly("r1");
        assertThat(result.outcome().getStatus()).isEqualTo("rejected");
        assertThat(result.outcome().getReason()).isEqualTo("insufficient_balance");
    }

    @Test
    void foldsWithTheVersionInForceAtTheEventTimeNotTheLatest() {
        // given a second version, in force from the day after the input
        CompiledProgram doubled = program(SHOP.replace("/ 100", "/ 50"), 2, AT.plusSeconds(86_400));
        ProgramHistory both = programs.with(doubled);
        // when
        FoldStep.Result early = FoldStep.apply(both, ProfileState.empty("u1"), lookup, purchase("t1", 10_000),
                RECORDED);
        FoldStep.Result late = FoldStep.apply(both, ProfileState.empty("u2"), lookup,
                new Input.Event("u2", "t2", "purchase.completed", amount(10_000), AT.plusSeconds(90_000)), RECORDED);
        // then
        assertThat(early.program().version()).isEqualTo(1);
        assertThat(early.outcome().getWalletState()).containsEntry("points", 100L);
        assertThat(late.program().version()).isEqualTo(2);
        assertThat(late.outcome().getWalletState()).containsEntry("points", 200L);
    }

    @Test
    void afterNewTraitsTheNextStateIsTheOneTheStoredBytesGive() {
        // given traits whose decoded form differs from what the fold holds
        ObjectNode traits = JsonNodeFactory.instance.objectNode().put("ratio", new BigDecimal("1E+400"));
        // when
        FoldStep.Result result = FoldStep.apply(programs, ProfileState.empty("u1"), lookup,
                new Input.Identify("u1", Optional.empty(), traits, AT), RECORDED);
        // then a replay keeping states in memory sees what the stream, which decodes, sees
        byte[] stored = result.profile().orElseThrow().bytes();
        assertThat(result.next()).isNotSameAs(result.decision().state()).isEqualTo(FoldStep.decodeProfile(stored));
        assertThat(result.decisions()).isEmpty();
    }

    private void keep(FoldStep.Result result) {
        result.decisions().forEach(w -> store.put(w.transactionId(), w.bytes()));
    }

    private static Input purchase(String tx, long amount) {
        return new Input.Event("u1", tx, "purchase.completed", amount(amount), AT);
    }

    private static ObjectNode amount(long amount) {
        return JsonNodeFactory.instance.objectNode().put("amount", amount);
    }

    private static CompiledProgram program(String text, long version, Instant effectiveAt) {
        ProgramParse parsed = Programs.parse(text);
        if (parsed instanceof ProgramParse.Invalid invalid) {
            throw new IllegalArgumentException(invalid.problems().toString());
        }
        return Programs.compile(((ProgramParse.Parsed) parsed).definition(), version, effectiveAt);
    }
}
