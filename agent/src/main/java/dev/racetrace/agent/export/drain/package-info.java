/**
 * Rings to decoded events: the drainer copies committed records out of every thread's ring,
 * decodes them into {@link dev.racetrace.agent.export.drain.Event}s with their state-probe values,
 * and releases them in seq order across passes.
 *
 * <p>May use no other export package.
 */
package dev.racetrace.agent.export.drain;
