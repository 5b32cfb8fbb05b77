package io.perkamo.cli;

public final class PerkamoCli {
    public static void main(String[] args) {
    }
}
