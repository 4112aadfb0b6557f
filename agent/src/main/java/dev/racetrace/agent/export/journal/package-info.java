/**
 * The binary journal ({@code .rtj}, docs/journal-format.md): its format, the writer that copies
 * ring records into chunks, files and the in-memory chunk ring, the reader, the replay through
 * the span assembler, the live journal beside live export, and the {@code export} command.
 *
 * <p>May use {@code export.drain}, {@code export.assemble}, {@code export.rules} and
 * {@code export.sink}.
 */
package dev.racetrace.agent.export.journal;
