package io.perkamo.core.fold;

import java.util.Locale;
import java.util.Optional;

/** Something an input unlocked: a perk, a redeemed reward or an achievement. */
public record Unlock(Type type, String key, String name) {

    public enum Type {
        PERK, REWARD, ACHIEVEMENT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Type> fromWire(String text) {
            for (Type t : values()) {
                if (t.wire().equals(text)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }
}
