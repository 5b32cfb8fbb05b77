package io.perkamo.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.fold.ProfileState;
import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;
import io.perkamo.core.codec.ProfileCodec;
import io.perkamo.core.codec.StoreCodecs;

class DecodedProfilesTest {
    private static final CompiledProgram PROGRAM = Programs.compile(((ProgramParse.Parsed) Programs.parse(
            "wallets: [{key: points, name: Points}]")).definition(), 1, Instant.EPOCH);

    private final DecodedProfiles decoded = new DecodedProfiles(2);

    @Test
    void followsTheStoreWhateverItHolds() {
        ProfileState a = state("u1", 10, JsonNodeFactory.instance.objectNode());
        ProfileState b = state("u1", 20, JsonNodeFactory.instance.objectNode());
        byte[] bytesA = encode(a);
        decoded.wrote("s/u1", bytesA, a, a);
        assertThat(decoded.state("s/u1", bytesA.clone(), "u1")).isSameAs(a);
        // the store changed under us (a restore, an abort): the entry must not be used
        assertThat(decoded.state("s/u1", encode(b), "u1")).isEqualTo(b).isNotSameAs(a);
        assertThat(decoded.state("s/u1", null, "u1")).isEqualTo(ProfileState.empty("u1"));
    }

    @Test
    void keepsOnlyTraitsInTheirDecodedForm() {
        ProfileState before = decoded.state("s/u2", encode(state("u2", 1, JsonNodeFactory.instance.objectNode())), "u2");
        ObjectNode merged = JsonNodeFactory.instance.objectNode().put("ratio", new BigDecimal("1E+400"));
        ProfileState after = state("u2", 1, merged);
        byte[] bytes = encode(after);
        decoded.wrote("s/u2", bytes, after, before);
        // read back, as a replay would: the BigDecimal is no longer what the fold held
        assertThat(decoded.state("s/u2", bytes, "u2")).isNotSameAs(after)
                .isEqualTo(ProfileCodec.fromAvro(StoreCodecs.decodeProfile(bytes)));
    }

    @Test
    void forgetsTheLeastRecentlyUsed() {
        ProfileState[] states = new ProfileState[3];
        byte[][] bytes = new byte[3][];
        for (int i = 0; i < 3; i++) {
            states[i] = state("u" + i, i, JsonNodeFactory.instance.objectNode());
            bytes[i] = encode(states[i]);
            decoded.wrote("s/u" + i, bytes[i], states[i], states[i]);
        }
        assertThat(decoded.state("s/u0", bytes[0], "u0")).isNotSameAs(states[0]).isEqualTo(states[0]);
        assertThat(decoded.state("s/u2", bytes[2], "u2")).isSameAs(states[2]);
    }

    private static ProfileState state(String user, long points, ObjectNode traits) {
        TreeMap<String, Long> wallets = new TreeMap<>();
        wallets.put("points", points);
        return new ProfileState(user, 1, 1, wallets, new TreeMap<>(wallets), 0, new TreeMap<>(), new TreeMap<>(),
                traits, new TreeMap<>(), new TreeMap<>(), Optional.of(Instant.EPOCH), Optional.of(Instant.EPOCH));
    }

    private static byte[] encode(ProfileState state) {
        return StoreCodecs.encode(ProfileCodec.toAvro(state, PROGRAM));
    }
}
