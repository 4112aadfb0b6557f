package dev.racetrace.analyzer.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What the streaming trace readers (OTLP, Jaeger, Zipkin) read off the parser's current token
 * alike, so that they name tokens in their errors the same way and read the same values the same
 * way.
 */
final class JsonTokens {
  private JsonTokens() {}

  /** Fails, naming {@code what}, unless the parser is on {@code token}. */
  static void expect(JsonParser p, JsonToken token, String what) {
    if (p.currentToken() != token) {
      throw new IllegalArgumentException(what + ": expected " + describe(token) + " but found "
          + describe(p.currentToken()));
    }
  }

  /** A token as an error message names it: "an object", "a string", "end of input". */
  static String describe(JsonToken t) {
    if (t == null) {
      return "end of input";
    }
    switch (t) {
      case START_OBJECT: return "an object";
      case START_ARRAY: return "an array";
      case VALUE_STRING: return "a string";
      case VALUE_NUMBER_INT: case VALUE_NUMBER_FLOAT: return "a number";
      case VALUE_TRUE: case VALUE_FALSE: return "a boolean";
      case VALUE_NULL: return "null";
      default: return t.asString() == null ? t.name() : "'" + t.asString() + "'";
    }
  }

  /**
   * A count of microseconds (Jaeger's and Zipkin's times and durations): an integer, a float cut
   * to its whole part, or a decimal string.
   */
  static long micros(JsonParser p, JsonToken t, String field) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      return (long) p.getDoubleValue();
    }
    return SpanRecordBuilder.parseNanos(field, p.getText());
  }

  /** The current value as text, interned; a string straight from the parser's buffer. */
  static String internedText(JsonParser p, Interner interner) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      return interner.intern(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }
    return interner.intern(p.getText());
  }
}
