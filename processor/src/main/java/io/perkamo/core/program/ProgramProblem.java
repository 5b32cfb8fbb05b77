package io.perkamo.core.program;

/**
 * One thing wrong with an uploaded program: where ({@code rules[2].award[0].amount}), a stable
 * code and a message for people.
 */
public record ProgramProblem(String path, String code, String message) {
    public static final String INVALID_SYNTAX = "invalid_syntax";
    public static final String INVALID_TYPE = "invalid_type";
    public static final String MISSING_FIELD = "missing_field";
    public static final String DUPLICATE_KEY = "duplicate_key";
    public static final String UNKNOWN_WALLET = "unknown_wallet";
    public static final String UNKNOWN_PERK = "unknown_perk";
    public static final String UNKNOWN_REWARD_WALLET = "unknown_reward_wallet";
    public static final String BAD_FORMULA = "bad_formula";
    public static final String BAD_CEL = "bad_cel";
    public static final String BAD_LIMIT = "bad_limit";
    public static final String BAD_LEVEL = "bad_level";
    public static final String BAD_REVERSE = "bad_reverse";
    public static final String BAD_ACHIEVEMENT = "bad_achievement";
    public static final String BAD_COST = "bad_cost";
    public static final String INVALID_EVENT_KEY = "invalid_event_key";
    /** A field the schema does not know, at any depth (the message names a near match). */
    public static final String UNKNOWN_FIELD = "unknown_field";
    /** A wallet key PHP would turn into an integer (see the message). */
    public static final String INVALID_WALLET_KEY = "invalid_wallet_key";
}
