package io.perkamo.control;

/** A key just created or imported: the only moment its plaintext is handed out. */
public record CreatedKey(String id, String plaintext, ApiKeyRecord record) {

    @Override
    public String toString() {
        return "CreatedKey[id=" + id + ", prefix=" + record.prefix() + "]";
    }
}
