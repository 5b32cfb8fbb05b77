package io.perkamo.core.fold;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.core.program.CompiledProgram;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;
import io.perkamo.schemas.input.Input;

/** One user's fold with an in-memory dedup store, as the stream would run it. */
final class Harness {
    static final ObjectMapper JSON = new ObjectMapper();

    CompiledProgram program;
    ProfileState state;
    final Map<String, PriorDecision> store = new HashMap<>();

    Harness(CompiledProgram program, String userId) {
        this.program = program;
        this.state = ProfileState.empty(userId);
    }

    static Harness of(String programText) {
        return new Harness(program(programText, 1), "u1");
    }

    static CompiledProgram program(String text, long version) {
        ProgramParse p = Programs.parse(text);
        if (p instanceof ProgramParse.Invalid invalid) {
            throw new IllegalArgumentException(invalid.problems().toString());
        }
        return Programs.compile(((ProgramParse.Parsed) p).definition(), version, Instant.EPOCH);
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    Decision send(Input input) {
        Decision d = Engine.decide(program, state, tx -> Optional.ofNullable(store.get(tx)), input);
        state = d.state();
        store.putAll(d.writes());
        return d;
    }

    Outcome event(String tx, String event, String context, String at) {
        return send(new Input.Event(state.userId(), tx, event, json(context), Instant.parse(at))).outcome();
    }

    Outcome event(String tx, String event, String context) {
        return event(tx, event, context, "2024-05-15T10:00:00Z");
    }

    Outcome identify(String traits) {
        return send(new Input.Identify(state.userId(), Optional.empty(), json(traits),
                Instant.parse("2024-05-15T10:00:00Z"))).outcome();
    }

    Outcome redeem(String tx, String reward, String at) {
        return send(new Input.Redemption(state.userId(), tx, reward, json("{}"), Instant.parse(at))).outcome();
    }

    Outcome redeem(String tx, String reward) {
        return redeem(tx, reward, "2024-05-15T10:00:00Z");
    }
}
