package dev.racetrace.sample.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RawRecordTest {
  @Test
  void jsonRoundTrip() {
    RawRecord r = new RawRecord("node-1", "key-03", "540", 1, 2, 1_700_000_000_000_000L, "node-1");
    assertThat(RawRecord.fromJson(Json.parseObject(r.toJson()))).isEqualTo(r);
  }

  @Test
  void jsonIsTheLayoutTheAnalyzerReads() {
    RawRecord r = new RawRecord("node-1", "key-03", "5\"40", 1, 2, 1_700_000_000_000_000L, "node-1");

    assertThat(r.toJson()).isEqualTo("{\"node\":\"node-1\",\"key\":\"key-03\",\"value\":\"5\\\"40\","
        + "\"version\":1,\"metadataVersion\":2,\"writtenAtMicros\":1700000000000000,"
        + "\"origin\":\"node-1\"}");
    assertThat(RawRecord.missing("node-2", "key-09").toJson()).isEqualTo("{\"node\":\"node-2\","
        + "\"key\":\"key-09\",\"value\":null,\"version\":0,\"metadataVersion\":0,"
        + "\"writtenAtMicros\":0,\"origin\":null}");
  }

  @Test
  void missingRecord() {
    RawRecord m = RawRecord.missing("node-2", "key-09");
    assertThat(m.present()).isFalse();
    assertThat(m.display()).isEqualTo("-");
    assertThat(RawRecord.fromJson(Json.parseObject(m.toJson()))).isEqualTo(m);
  }

  @Test
  void displayShowsTheMetadataVersion() {
    assertThat(new RawRecord("n", "k", "1440", 1, 2, 0, "n").display()).isEqualTo("1440 (m2)");
  }
}
