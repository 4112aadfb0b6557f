package dev.racetrace.sample.node;

/**
 * A node's progress, as {@code GET /status} reports it.
 *
 * @param state {@code starting}, {@code ready} (waiting for the log), {@code running}, {@code done}
 * @param completed operations finished (any outcome)
 * @param expected operations in the log, or -1 before it starts
 * @param failed operations that failed
 */
public record NodeStatus(String state, int completed, int expected, int failed) {}
