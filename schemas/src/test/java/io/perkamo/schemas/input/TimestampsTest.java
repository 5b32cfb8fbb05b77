package io.perkamo.schemas.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The fast paths must agree with java.time wherever they answer. */
class TimestampsTest {
    private static final long YEAR_0 = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long YEAR_9999 = 253_402_300_799L; // 9999-12-31T23:59:59Z
    private static final long DAY = 86_400; // the local time of an offset stays within years 0..9999

    @Property(tries = 3000)
    void parsesTheCommonShapeAsJavaTimeDoes(@ForAll @LongRange(min = YEAR_0 + DAY, max = YEAR_9999 - DAY) long epochSecond,
                                             @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
                                             @ForAll @IntRange(min = 0, max = 9) int fractionDigits,
                                             @ForAll @IntRange(min = -17 * 60 - 59, max = 17 * 60 + 59) int offsetMinutes,
                                             @ForAll boolean zulu) {
        ZoneOffset offset = zulu ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(offsetMinutes * 60);
        String pattern = "uuuu-MM-dd'T'HH:mm:ss" + (fractionDigits == 0 ? "" : "." + "S".repeat(fractionDigits))
                + (zulu ? "'Z'" : "xxx");
        String text = DateTimeFormatter.ofPattern(pattern).format(
                OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSecond, nanos), ZoneOffset.UTC)
                        .withOffsetSameInstant(offset));
        Optional<Instant> fast = Timestamps.parseCommon(text);
        assertThat(fast).as(text).isPresent();
        assertThat(fast).as(text).isEqualTo(javaTime(text));
    }

    @Property(tries = 3000)
    void answersOnlyWhatJavaTimeAccepts(@ForAll("nearlyTimestamps") String text) {
        Optional<Instant> fast = Timestamps.parseCommon(text);
        if (fast.isPresent()) {
            assertThat(fast).as(text).isEqualTo(javaTime(text));
        }
    }

    @Provide
    Arbitrary<String> nearlyTimestamps() {
        Arbitrary<Character> chars = Arbitraries.of('0', '1', '2', '3', '5', '9', '-', ':', 'T', 't', '.', 'Z', 'z',
                '+', ' ');
        Arbitrary<String> base = Arbitraries.of("2026-06-01T10:00:00Z", "2024-02-29T23:59:59.999+01:00",
                "2023-02-28T00:00:00.5-05:30", "1999-12-31T23:59:59.123456789Z", "0000-01-01T00:00:00Z");
        return Arbitraries.integers().between(0, 3).flatMap(edits -> base.flatMap(b -> chars.list().ofSize(edits)
                .flatMap(cs -> Arbitraries.integers().between(0, b.length() - 1).list().ofSize(edits).map(at -> {
                    StringBuilder s = new StringBuilder(b);
                    for (int i = 0; i < edits; i++) {
                        s.setCharAt(at.get(i), cs.get(i));
                    }
                    return s.toString();
                }))));
    }

    @Test
    void leavesOtherShapesAndInvalidDatesToJavaTime() {
        assertThat(Timestamps.parseCommon("2026-02-30T10:00:00Z")).isEmpty();
        assertThat(Timestamps.parseCommon("2026-06-01T24:00:00Z")).isEmpty();
        assertThat(Timestamps.parseCommon("2026-06-01T10:00Z")).isEmpty();
        assertThat(Timestamps.parseCommon("2026-06-01T10:00:00+0200")).isEmpty();
        assertThat(Timestamps.parseCommon("2026-06-01T10:00:00.1234567890Z")).isEmpty();
        assertThat(InputParser.instant("2026-06-01T10:00:00+0200")).contains(Instant.parse("2026-06-01T08:00:00Z"));
        assertThat(InputParser.instant("2026-06-01T10:00:00.25+02:00")).contains(Instant.parse("2026-06-01T08:00:00.250Z"));
    }

    @Property(tries = 3000)
    void formatsAsIsoInstant(@ForAll @LongRange(min = YEAR_0 - 100_000_000L, max = YEAR_9999 + 100_000_000L) long epochSecond,
                             @ForAll @IntRange(min = 0, max = 999) int millis, @ForAll @IntRange(min = 0, max = 3) int shape) {
        int nanos = switch (shape) {
            case 0 -> 0;
            case 1 -> millis * 1_000_000;
            case 2 -> millis * 1_000 + 7;
            default -> millis;
        };
        Instant instant = Instant.ofEpochSecond(epochSecond, nanos);
        assertThat(Timestamps.format(instant)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant));
    }

    private static Optional<Instant> javaTime(String text) {
        for (DateTimeFormatter f : new DateTimeFormatter[] {DateTimeFormatter.ISO_OFFSET_DATE_TIME}) {
            try {
                return Optional.of(OffsetDateTime.parse(text, f).toInstant().truncatedTo(ChronoUnit.MILLIS));
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
