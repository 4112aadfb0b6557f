package dev.racetrace.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** export --otlp reads the endpoint and headers a live OTLP exporter of the same service reads. */
class OtlpTargetTest {
  private static final Properties NONE = new Properties();

  @Test
  void theCommandLinesEndpointWinsAndABaseUrlGetsTheTracesPath() {
    OtlpTarget t = OtlpTarget.of("http://collector:4318",
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://elsewhere:4318"), NONE);
    assertThat(t.url).isEqualTo("http://collector:4318/v1/traces");
    assertThat(OtlpTarget.of("http://collector:4318/", Map.of(), NONE).url)
        .isEqualTo("http://collector:4318/v1/traces");
    assertThat(OtlpTarget.of("https://otlp.example/otlp/v1/traces", Map.of(), NONE).url)
        .isEqualTo("https://otlp.example/otlp/v1/traces");
  }

  @Test
  void withoutOneTheEnvironmentsEndpointIsUsedAsTheSdkUsesIt() {
    assertThat(OtlpTarget.of(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://tempo.example:4318"), NONE).url)
        .isEqualTo("https://tempo.example:4318/v1/traces");
    // a signal's own endpoint is the full URL, as it is
    assertThat(OtlpTarget.of(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4318",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://b:4318/custom"), NONE).url).isEqualTo("http://b:4318/custom");
    Properties system = new Properties();
    system.setProperty("otel.exporter.otlp.endpoint", "http://from-property:4318");
    assertThat(OtlpTarget.of(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://from-env:4318"), system).url)
        .isEqualTo("http://from-property:4318/v1/traces");
    assertThat(OtlpTarget.of(null, Map.of(), NONE).url).isEqualTo("http://localhost:4318/v1/traces");
  }

  @Test
  void headersArePercentDecodedAndTheTracesOnesWin() {
    OtlpTarget t = OtlpTarget.of(null, Map.of(
        "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20abc, x-scope-orgid=tenant-1",
        "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-scope-orgid=tenant-2"), NONE);
    assertThat(t.headers).containsExactly(Map.entry("authorization", "Bearer abc"),
        Map.entry("x-scope-orgid", "tenant-2"));
  }

  @Test
  void whatIsPrintedNamesTheHeadersButNeverTheirValues() {
    OtlpTarget t = OtlpTarget.of("http://c:4318",
        Map.of("OTEL_EXPORTER_OTLP_HEADERS", "authorization=secret-token"), NONE);
    assertThat(t.describe()).isEqualTo("http://c:4318/v1/traces (headers: authorization)").doesNotContain("secret");
    assertThatThrownBy(() -> OtlpTarget.of(null, Map.of("OTEL_EXPORTER_OTLP_HEADERS", "Bearer secret-token"), NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("OTEL_EXPORTER_OTLP_HEADERS (or -Dotel.exporter.otlp.headers): entry 1 is not key=value");
  }
}
