package dev.racetrace.agent.export.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racetrace.agent.config.ConfigException;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BundledExportersTest {

  @Test
  void bundledNamesPassAndOtlpIsTheDefault() throws ConfigException {
    assertThat(BundledExporters.names(null)).containsExactly("otlp");
    assertThat(BundledExporters.names(" zipkin , OTLP")).containsExactly("zipkin", "otlp");
    assertThat(BundledExporters.names("none")).containsExactly("none");
  }

  @Test
  void anUnbundledExporterIsNamedWithTheBundledOnesAndNoAdviceToAddADependency() {
    assertThatThrownBy(() -> BundledExporters.names("otlp,jaeger"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("otel.traces.exporter=otlp,jaeger: \"jaeger\" is not an exporter the racetrace "
            + "agent bundles; use one of otlp, zipkin, logging-otlp, none (or "
            + "racetrace.exporter=otlp-json and send the files on)");
  }

  @Test
  void theSdksClasspathAdviceIsReplaced() {
    String reason = BundledExporters.reason(new ConfigurationException("otel.propagators set to "
        + "\"xray\" but opentelemetry-extension-aws not found on classpath. Make sure to add it "
        + "as a dependency."));
    assertThat(reason).startsWith("otel.propagators set to \"xray\" but opentelemetry-extension-aws "
        + "is not bundled: the racetrace agent bundles the otlp, zipkin and logging-otlp span exporters");
    assertThat(reason).doesNotContain("classpath", "dependency", "Make sure");
    assertThat(BundledExporters.reason(new ConfigurationException("Invalid value for property")))
        .isEqualTo("OpenTelemetry exporter configuration failed: Invalid value for property");
  }

  @Test
  void theSdksUnexpectedErrorWrapperGivesWayToItsCause() {
    ConfigurationException wrapped = new ConfigurationException("Unexpected configuration error",
        new IllegalArgumentException("Unsupported compression method. Supported compression "
            + "methods include: gzip, none."));
    assertThat(BundledExporters.reason(wrapped)).isEqualTo("OpenTelemetry exporter configuration "
        + "failed: Unsupported compression method. Supported compression methods include: gzip, none.");
  }

  @Test
  void theValueIsReadFromSystemPropertiesThenEnvThenTheFile() {
    Properties sys = new Properties();
    assertThat(BundledExporters.configured(sys, Map.of(), Map.of("otel.traces.exporter", "f")))
        .isEqualTo("f");
    assertThat(BundledExporters.configured(sys, Map.of("OTEL_TRACES_EXPORTER", "e"),
        Map.of("otel.traces.exporter", "f"))).isEqualTo("e");
    sys.setProperty("otel.traces.exporter", "s");
    assertThat(BundledExporters.configured(sys, Map.of("OTEL_TRACES_EXPORTER", "e"), Map.of()))
        .isEqualTo("s");
  }
}
