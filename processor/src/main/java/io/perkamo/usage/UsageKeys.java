package io.perkamo.usage;

import java.time.LocalDate;

/** Store keys. A slug never holds a space and a date never does either, so the keys are unambiguous. */
final class UsageKeys {
    private static final char SEP = ' ';

    private UsageKeys() {
    }

    /** One Space's one day: the counters' key. */
    static String day(String space, LocalDate day) {
        return space + SEP + day;
    }

    static String spaceOf(String dayKey) {
        return dayKey.substring(0, dayKey.indexOf(SEP));
    }

    static LocalDate dateOf(String dayKey) {
        return LocalDate.parse(dayKey.substring(dayKey.indexOf(SEP) + 1));
    }

    /** Day first, so the markers of old days are one range; the user id last, as it may hold anything. */
    static String marker(LocalDate day, String space, String userId) {
        return day.toString() + '\u0000' + space + '\u0000' + userId;
    }
}
