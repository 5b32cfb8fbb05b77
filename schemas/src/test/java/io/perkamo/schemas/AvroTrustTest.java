package io.perkamo.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.OutcomeDelta;

class AvroTrustTest {

    @Test
    void shouldTrustGeneratedClassesAndKeepAvrosDefaults() {
        AvroTrust.install();
        AvroTrust.install();

        assertThat(ClassSecurityValidator.getGlobal().isTrusted(OutcomeDelta.class)).isTrue();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(String.class)).isTrue();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(AvroTrustTest.class)).isFalse();
    }

    @Test
    void shouldLetABuilderFillArrayDefaults() {
        AvroTrust.install();

        Outcome outcome = Outcome.newBuilder().setUserId("u").setKind("event")
                .setOccurredAt(Samples.AT).setProgramVersion(0).setStatus("applied")
                .setApplied(true).setDuplicate(false).build();

        assertThat(outcome.getDelta()).isEmpty();
    }
}
