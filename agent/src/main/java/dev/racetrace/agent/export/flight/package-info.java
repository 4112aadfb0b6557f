/**
 * Flight mode ({@code racetrace.mode=flight}): the recent recording kept in memory (spans, or the
 * journal's chunk ring) and dumped when a trigger fires: a rule violation, a timed wait that
 * expired while the code went on, a dump request, or shutdown.
 *
 * <p>May use {@code export.drain}, {@code export.assemble}, {@code export.rules},
 * {@code export.journal} and {@code export.sink}.
 */
package dev.racetrace.agent.export.flight;
