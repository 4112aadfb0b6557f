/**
 * Spans out: the span sink that batches spans to the exporters, racetrace's own exporters and
 * encoders (OTLP JSON files) and the wrappers around the SDK's, the output files and their disk
 * budget, the live export's CPU budget, and the node's identity and resource.
 *
 * <p>May use {@code export.assemble}.
 */
package dev.racetrace.agent.export.sink;
