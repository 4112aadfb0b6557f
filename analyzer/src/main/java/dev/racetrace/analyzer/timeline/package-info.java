/**
 * Per-node timelines: operation instances per key reconstructed from work, guard and hand-off
 * spans, ordered by {@code race.seq}, and happens-before queries over the recorded
 * synchronisation.
 */
package dev.racetrace.analyzer.timeline;
