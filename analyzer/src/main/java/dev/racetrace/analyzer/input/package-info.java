/**
 * Reading span files: OTLP JSON lines and Jaeger JSON exports, streamed with Jackson's
 * {@code JsonParser} into compact {@link dev.racetrace.analyzer.input.SpanRecord}s per node, and
 * the optional raw node state. Errors name the file and line.
 */
package dev.racetrace.analyzer.input;
