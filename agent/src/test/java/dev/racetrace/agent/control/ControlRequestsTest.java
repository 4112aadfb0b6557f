package dev.racetrace.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlRequestsTest {
  @TempDir Path dir;

  private static String request(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return ControlArgs.encode(m);
  }

  @Test
  void argumentsSurviveTheRoundTripWithCommasSpacesAndAmpersands() {
    String encoded = request("command", "attach", "include", "com.a,com.b", "rules", "a < b per key & more");
    assertThat(ControlArgs.isControl(encoded)).isTrue();
    assertThat(ControlArgs.decode(encoded)).containsExactly(Map.entry("command", "attach"),
        Map.entry("include", "com.a,com.b"), Map.entry("rules", "a < b per key & more"));
    assertThat(ControlArgs.isControl(null)).isFalse();
    assertThat(ControlArgs.isControl("")).isFalse();
  }

  @Test
  void aCommandWithoutARunningRacetraceNeverStartsIt() throws Exception {
    AtomicInteger started = new AtomicInteger();
    Path reply = dir.resolve("reply");
    ControlRequests.handle(request("command", "dump", "token", "x", "reply", reply.toString()), a -> {
      started.incrementAndGet();
      return "started";
    });
    assertThat(started).hasValue(0);
    assertThat(Files.readString(reply)).isEqualTo("refused: racetrace is not running in this JVM");
  }

  @Test
  void theReplyIsNeverWrittenThroughALink() throws Exception {
    Path victim = Files.writeString(dir.resolve("victim"), "precious");
    Path reply = Files.createSymbolicLink(dir.resolve("reply"), victim);
    ControlRequests.handle(request("command", "dump", "token", "x", "reply", reply.toString()), a -> "started");
    assertThat(Files.readString(victim)).isEqualTo("precious");
  }

  @Test
  void anUnknownCommandIsRefused() {
    assertThat(ControlRequests.answer(new LinkedHashMap<>(Map.of("command", "shell")), a -> "started"))
        .isEqualTo("refused: unknown command 'shell'");
  }
}
