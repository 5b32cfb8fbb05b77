package io.perkamo.control;

/** A presented API key that matched a live key of an existing Space. */
public record ResolvedKey(Space space, ApiKeyRecord key) {

    public boolean hasScope(String scope) {
        return key.hasScope(scope);
    }
}
