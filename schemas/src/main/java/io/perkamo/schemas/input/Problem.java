package io.perkamo.schemas.input;

/**
 * One reason an input was refused: a stable machine-readable code (see {@link ErrorCodes}),
 * the field it concerns (empty when it concerns the whole input) and a message for people.
 */
public record Problem(String code, String field, String message) {
}
