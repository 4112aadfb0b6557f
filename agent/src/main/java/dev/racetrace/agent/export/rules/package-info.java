/**
 * The online ordering-rule check ({@code racetrace.rules}): each key's operations as the assembler
 * reports them, checked a settle time after they complete, a violation added as an event to the
 * span where the operation proceeded.
 *
 * <p>May use {@code export.assemble} (a deliberate cycle: the assembler feeds the checker its
 * work, the checker holds work and spans).
 */
package dev.racetrace.agent.export.rules;
