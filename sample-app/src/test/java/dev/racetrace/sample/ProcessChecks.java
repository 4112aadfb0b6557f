package dev.racetrace.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** Assertions that a run left nothing behind. */
final class ProcessChecks {
  private ProcessChecks() {}

  /** No child process of this JVM is alive (the tests start nodes only through the runners). */
  static void assertNoLiveChildren(String context) {
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(liveChildren())
        .as("%s: live child processes of the test JVM", context).isEmpty());
  }

  /** None of {@code pids} is alive. */
  static void assertGone(Collection<Long> pids, String context) {
    assertThat(pids).as(context).isNotEmpty();
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
          .as("%s: node process %d", context, pid).isEmpty();
    }
  }

  /** Nothing accepts connections on 127.0.0.1:{@code port}. */
  static void assertPortClosed(int port, String context) {
    assertThatThrownBy(() -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      }
    }).as("%s: port %d", context, port).isInstanceOf(ConnectException.class);
  }

  private static List<String> liveChildren() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
        .collect(Collectors.toList());
  }

  /** Whether a connection to {@code host:port} is accepted. */
  static boolean accepts(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
