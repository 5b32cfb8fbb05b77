package io.perkamo.schemas.input;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Fast paths for the one timestamp shape nearly every input and output has,
 * {@code 2026-06-01T10:00:00[.123](Z|+02:00)}: java.time's formatters cost microseconds per
 * call, several times per input. Anything else is left to the caller's general parser or
 * to {@link DateTimeFormatter#ISO_INSTANT}, so the fast path only decides what it is sure of.
 */
final class Timestamps {
    private static final int SECONDS_PER_DAY = 86_400;

    private Timestamps() {
    }

    /**
     * The instant, truncated to milliseconds, when the text has the common shape and is a
     * valid date-time; empty when the general parser must decide (including every error).
     */
    static Optional<Instant> parseCommon(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return Optional.empty();
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return Optional.empty();
        }
        int i = 19;
        int millis = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(s.charAt(i))) {
                if (i - start < 3) {
                    millis = millis * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return Optional.empty();
            }
            for (int k = count; k < 3; k++) {
                millis *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || om < 0 || oh > 17 || om > 59) {
                return Optional.empty();
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return Optional.empty();
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return Optional.empty();
        }
        long epochSecond = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Optional.of(Instant.ofEpochMilli(epochSecond * 1000 + millis));
    }

    /** Exactly {@link DateTimeFormatter#ISO_INSTANT}'s text. */
    static String format(Instant instant) {
        int nanos = instant.getNano();
        long epochSecond = instant.getEpochSecond();
        long epochDay = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        // ISO_INSTANT prints 0, 3, 6 or 9 fraction digits and signs years past 9999: leave those to it
        if (nanos % 1_000_000 != 0 || epochDay < LocalDate.of(0, 1, 1).toEpochDay()
                || epochDay > LocalDate.of(9999, 12, 31).toEpochDay()) {
            return DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        char[] out = new char[nanos == 0 ? 20 : 24];
        put(out, 0, date.getYear(), 4);
        out[4] = '-';
        put(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        put(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        put(out, 17, secondOfDay % 60, 2);
        if (nanos != 0) {
            out[19] = '.';
            put(out, 20, nanos / 1_000_000, 3);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The unsigned decimal number in s[at, at+count), or -1 when a char is not an ASCII digit. */
    private static int digits(String s, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
