package dev.racetrace.sample.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesObjectsArraysAndScalars() {
    Object v = Json.parse("{\"a\":1,\"b\":[true,false,null],\"c\":\"x\\\"y\\u0041\",\"d\":-2.5}");
    assertThat(v).isEqualTo(Map.of("a", 1L, "b", java.util.Arrays.asList(true, false, null),
        "c", "x\"yA", "d", -2.5));
  }

  @Test
  void keepsKeyOrder() {
    assertThat(Json.parseObject("{\"z\":1,\"a\":2,\"m\":3}").keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void quoteRoundTrips() {
    String s = "line\nbreak \"quoted\" back\\slash \u0001 tab\t";
    assertThat(Json.parse(Json.quote(s))).isEqualTo(s);
    assertThat(Json.quote(null)).isEqualTo("null");
  }

  @Test
  void emptyContainers() {
    assertThat(Json.parseArray("[ ]")).isEmpty();
    assertThat(Json.parseObject("{ }")).isEmpty();
    assertThat(Json.parseArray("[]")).isInstanceOf(List.class);
  }

  @Test
  void rejectsMalformedInputNamingTheOffset() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset");
    assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("trailing characters");
    assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessageContaining("expected an object");
  }

  @Test
  void writesCompactJsonInMapOrder() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("z", 1L);
    m.put("a", List.of(true, "x"));
    m.put("n", null);

    assertThat(Json.write(m)).isEqualTo("{\"z\":1,\"a\":[true,\"x\"],\"n\":null}");
    assertThat(Json.parse("12345678901")).isEqualTo(12345678901L);
    assertThat(Json.parse("7")).isEqualTo(7L);
  }
}
