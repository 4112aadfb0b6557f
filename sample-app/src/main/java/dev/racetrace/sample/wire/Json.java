package dev.racetrace.sample.wire;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON the sample app speaks (raw reads, {@code raw-state.json}, the per-seed result lines and
 * the node endpoint's answers), read and written by one shared Jackson mapper.
 *
 * <p>{@link #parse(String)} gives objects as {@code Map<String,Object>} in key order, arrays as
 * {@code List<Object>}, integral numbers as {@link Long}, others as {@link Double}, booleans and
 * null. {@link #write(Object)} writes compact JSON (no spaces), records by their components in
 * declaration order. The agent's own Jackson is relocated inside the agent jar, so the two never
 * meet in a node JVM.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_LONG_FOR_INTS)
      .build();

  private Json() {}

  /**
   * Parses one JSON value.
   *
   * @param text the JSON text
   * @return a {@code Map<String,Object>}, {@code List<Object>}, {@code String}, {@code Long},
   *     {@code Double}, {@code Boolean} or null
   * @throws IllegalArgumentException on malformed input, naming the offset
   */
  public static Object parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("json: null text");
    }
    try (JsonParser p = MAPPER.createParser(text)) {
      if (p.nextToken() == null) {
        throw new IllegalArgumentException("json: unexpected end at offset 0");
      }
      Object value = MAPPER.readValue(p, Object.class);
      long end = p.currentLocation().getCharOffset();
      JsonToken more;
      try {
        more = p.nextToken();
      } catch (JsonProcessingException e) {
        more = JsonToken.NOT_AVAILABLE;
      }
      if (more != null) {
        throw new IllegalArgumentException("json: trailing characters at offset " + end);
      }
      return value;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new IllegalArgumentException("json: " + e.getOriginalMessage()
          + (at == null ? "" : " at offset " + at.getCharOffset()), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String does not fail
    }
  }

  /** Parses a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("json: expected an object, got " + text);
    }
    return (Map<String, Object>) v;
  }

  /** Parses a JSON array. */
  @SuppressWarnings("unchecked")
  public static List<Object> parseArray(String text) {
    Object v = parse(text);
    if (!(v instanceof List)) {
      throw new IllegalArgumentException("json: expected an array, got " + text);
    }
    return (List<Object>) v;
  }

  /**
   * {@code value} as compact JSON: maps in their iteration order, records by component, strings
   * quoted, null as {@code null}.
   *
   * @throws IllegalArgumentException if Jackson cannot serialise it
   */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("json: cannot write " + value.getClass().getName()
          + ": " + e.getOriginalMessage(), e);
    }
  }

  /** {@code s} as a JSON string literal, or {@code null}. */
  public static String quote(String s) {
    return write(s);
  }
}
