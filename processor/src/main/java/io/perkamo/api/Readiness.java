package io.perkamo.api;

/** Whether this instance can serve: streams RUNNING and stores queryable. */
public interface Readiness {
    boolean ready();

    /** Why not (or what is up), for people; never secrets. */
    default String detail() {
        return "";
    }
}
