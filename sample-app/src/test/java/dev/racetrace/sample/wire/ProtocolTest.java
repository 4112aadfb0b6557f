package dev.racetrace.sample.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtocolTest {
  @Test
  void keyValueLinesRoundTrip() {
    String line = Protocol.line(Protocol.LISTENING, "node", "node-2", "port", "4242", "token", "ab12");
    assertThat(line).isEqualTo("racetrace-node listening node=node-2 port=4242 token=ab12");
    Protocol.Line l = Protocol.parse(line).orElseThrow();
    assertThat(l.event()).isEqualTo("listening");
    assertThat(l.field("port")).contains("4242");
    assertThat(l.field("token")).contains("ab12");
  }

  @Test
  void messageIsLastAndKeepsSpaces() {
    Protocol.Line l = Protocol.parse(
        Protocol.line(Protocol.ERROR, "node", "node-1", "message", "seed 3 did not finish")).orElseThrow();
    assertThat(l.field("message")).contains("seed 3 did not finish");
  }

  @Test
  void jsonLines() {
    Protocol.Line l = Protocol.parse(Protocol.jsonLine(Protocol.RAW, "{\"seed\":1}")).orElseThrow();
    assertThat(l.event()).isEqualTo("raw");
    assertThat(l.json()).isEqualTo("{\"seed\":1}");
  }

  @Test
  void otherLinesAreNotProtocol() {
    assertThat(Protocol.parse("snapshot: initialized with metadata from 11 entities")).isEmpty();
    assertThat(Protocol.parse(null)).isEmpty();
  }
}
