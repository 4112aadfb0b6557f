/**
 * Events to spans: the span assembler and its matchers (enqueue to dequeue, submit to run), each
 * thread's open work, the span factories, ids and names, the span schema's attribute keys and the
 * memory caps of the exporter's state.
 *
 * <p>May use {@code export.drain} and {@code export.rules}; with {@code rules} it is a deliberate
 * cycle: the assembler feeds the rule checker its {@link dev.racetrace.agent.export.assemble.Work},
 * and the checker holds work and {@link dev.racetrace.agent.export.assemble.RaceSpan}s.
 */
package dev.racetrace.agent.export.assemble;
