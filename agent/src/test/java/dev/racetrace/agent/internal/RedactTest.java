package dev.racetrace.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactTest {
  @Test
  void urlUserInfoIsNeverPrinted() {
    assertThat(Redact.url("http://user:s3cret@collector:4318/v1/traces"))
        .isEqualTo("http://***@collector:4318/v1/traces");
    assertThat(Redact.line("spans -> OTLP https://tok@h:4317 (grpc) and http://a:b@c"))
        .isEqualTo("spans -> OTLP https://***@h:4317 (grpc) and http://***@c");
    assertThat(Redact.url("http://collector:4318")).isEqualTo("http://collector:4318");
    assertThat(Redact.line("mail a@b.c")).isEqualTo("mail a@b.c");
  }

  @Test
  void headerValuesAreNeverPrinted() {
    assertThat(Redact.line("Invalid map property: otel.exporter.otlp.headers=Authorization=Bearer s3cret,x; agent disabled"))
        .isEqualTo("Invalid map property: otel.exporter.otlp.headers=(value not shown)");
    assertThat(Redact.line("OTEL_EXPORTER_OTLP_TRACES_HEADERS=a=b")).isEqualTo("OTEL_EXPORTER_OTLP_TRACES_HEADERS=(value not shown)");
    assertThat(Redact.line("Exporter{headers=Headers{User-Agent=OBFUSCATED}} failed"))
        .isEqualTo("Exporter{headers=Headers{User-Agent=OBFUSCATED}} failed");
    // The SDK's own message for a header it cannot URL-decode quotes the header, token and all.
    assertThat(Redact.line("Cannot decode header value: Bearer%zzs3cret"))
        .isEqualTo("Cannot decode header value: (value not shown)");
  }

  @Test
  void controlCharactersAreEscaped() {
    assertThat(Redact.controls("a\nb\rc\td\u001b[2J\u007f\u0085\u2028\u202e")).isEqualTo(
        "a\\nb\\rc\\td\\u001b[2J\\u007f\\u0085\\u2028\\u202e");
    assertThat(Redact.controls("plain, ü and C:\\dir")).isEqualTo("plain, ü and C:\\dir");
  }
}
