/**
 * Reading spans where they already are: a Zipkin, Jaeger or Tempo query API, asked for the
 * traces of one service, key and time window, streamed into the same
 * {@link dev.racetrace.analyzer.input.SpanSink} as span files.
 */
package dev.racetrace.analyzer.input.remote;
