package dev.racetrace.sample.node;

/**
 * An operation of the input log and when it arrives, relative to the start of the log.
 *
 * @param atMillis arrival time in milliseconds after the log starts
 * @param op the operation
 */
public record Scheduled(long atMillis, Operation op) {}
