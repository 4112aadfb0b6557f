package dev.racetrace.analyzer.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What the OTLP, Jaeger and Zipkin JSON readers share: the parser they stream from, the interner
 * that keeps one copy of each repeated string, and their two token helpers.
 */
abstract class TraceJsonReader {
  final JsonParser p;
  final Interner interner;

  TraceJsonReader(JsonParser parser, Interner interner) {
    this.p = parser;
    this.interner = interner;
  }

  /** The current token's text, interned (a string's without allocating when seen before). */
  String text() throws IOException {
    return JsonTokens.internedText(p, interner);
  }

  /** Fails naming {@code what} unless the parser is on {@code token}. */
  final void expect(JsonToken token, String what) {
    JsonTokens.expect(p, token, what);
  }
}
