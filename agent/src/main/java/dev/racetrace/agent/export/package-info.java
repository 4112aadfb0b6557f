/**
 * The exporter: the thread that runs one pass of its mode's cycle every interval (spans, journal,
 * or both) and drains until empty at exit, wired once by {@link
 * dev.racetrace.agent.export.ExportLoopBuilder}, and the choice of where the recording goes
 * ({@link dev.racetrace.agent.export.ExporterFactory}).
 *
 * <p>The sub-packages are its stages; this package may use all of them ({@code drain},
 * {@code assemble}, {@code rules}, {@code sink}, {@code journal}, {@code flight}), and none of
 * them may use this one. {@code ExportPackagesTest} checks the allowed uses.
 */
package dev.racetrace.agent.export;
