package io.perkamo.console;

import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the console writes times and numbers: UTC, to the second; integers grouped. */
final class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    static String time(Instant at) {
        return at == null ? "—" : TIME.format(at);
    }

    static String number(long n) {
        return NumberFormat.getIntegerInstance(Locale.ROOT).format(n);
    }

    static String signed(long n) {
        return (n > 0 ? "+" : "") + number(n);
    }
}
