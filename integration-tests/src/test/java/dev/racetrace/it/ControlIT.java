package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.racetrace.it.programs.RoundsProgram;
import dev.racetrace.it.programs.WaitingProgram;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issues 15 and 17: dump, attach, detach and list reach a JVM through the attach mechanism only.
 * No command leaves a listening port in the target; a wrong token does nothing; a JVM without
 * racetrace is told so without racetrace being loaded there.
 */
class ControlIT {
  private static final String PKG = "dev.racetrace.it.programs";
  private static final Pattern TOKEN = Pattern.compile("--token ([0-9a-f]{32})|control token ([0-9a-f]{32})");

  @TempDir Path dir;

  /** The TCP ports process {@code pid} listens on (its own sockets in /proc/pid/net/tcp{,6}). */
  static Set<String> listeningPorts(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Paths.get("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException gone) {
          // closed meanwhile
        }
      }
    }
    Set<String> ports = new HashSet<>();
    for (String table : List.of("tcp", "tcp6")) {
      Path p = Paths.get("/proc/" + pid + "/net/" + table);
      if (!Files.exists(p)) {
        continue;
      }
      for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
        String[] f = line.trim().split("\\s+");
        if (f[3].equals("0A") && inodes.contains(f[9])) { // 0A = LISTEN
          ports.add(table + " " + f[1]);
        }
      }
    }
    return ports;
  }

  private static String token(TimedRun r) {
    Matcher m = TOKEN.matcher(r.stderr());
    assertThat(m.find()).as("a token in the start line:\n%s", r.stderr()).isTrue();
    return m.group(1) != null ? m.group(1) : m.group(2);
  }

  @Test
  void dumpWithAWrongTokenDoesNothingAndLeavesNoPort() throws Exception {
    Path out = dir.resolve("spans");
    try (TimedRun r = TimedRun.start(true, List.of("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + out,
        "-Dracetrace.mode=flight", "-Dracetrace.flight.triggers=violation"), Map.of(), WaitingProgram.class)) {
      r.awaitLine("done");
      long pid = r.process.pid();
      String pidText = Long.toString(pid);
      Set<String> before = listeningPorts(pid);

      ForkedJvm.Result wrong = AgentCli.run("dump", pidText, "--token", "0".repeat(32));
      assertThat(wrong.exitCode).isEqualTo(1);
      assertThat(wrong.stderr).isEqualTo("racetrace: refused: wrong token\n");
      assertThat(listeningPorts(pid)).as("no port opened").isEqualTo(before).isEmpty();
      assertThat(out).as("nothing dumped").doesNotExist();

      ForkedJvm.Result ok = AgentCli.run("dump", pidText, "--token", token(r));
      assertThat(ok.exitCode).as("%s", ok).isZero();
      assertThat(ok.stdout).isEqualTo("racetrace: dump requested: the flight recording is being written\n");
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
          assertThat(SpanFile.readDir(out).where(s -> s.name.equals("racetrace.flight.dump"))).hasSize(1));
      assertThat(listeningPorts(pid)).isEmpty();
      r.writeLine();
      assertThat(r.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void dumpInStreamModeSaysSoAndLeavesNoPort() throws Exception {
    try (TimedRun r = TimedRun.start(true, List.of("-Dracetrace.include=" + PKG, "-Dracetrace.out=" + dir),
        Map.of(), WaitingProgram.class)) {
      r.awaitLine("done");
      ForkedJvm.Result res = AgentCli.run("dump", Long.toString(r.process.pid()), "--token", token(r));
      assertThat(res.stdout).isEqualTo("racetrace: not in flight mode: racetrace.mode=stream exports everything "
          + "continuously\n");
      assertThat(listeningPorts(r.process.pid())).isEmpty();
      r.writeLine();
      assertThat(r.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void dumpAgainstAJvmWithoutRacetraceLoadsNothingThere() throws Exception {
    try (TimedRun r = TimedRun.start(false, List.of(), Map.of(), WaitingProgram.class)) {
      r.awaitLine("done");
      long pid = r.process.pid();
      ForkedJvm.Result res = AgentCli.run("dump", Long.toString(pid), "--token", "0".repeat(32));
      assertThat(res.exitCode).isEqualTo(1);
      assertThat(res.stderr).isEqualTo("racetrace: racetrace is not running in process " + pid
          + "; nothing was loaded there\n");
      assertThat(listeningPorts(pid)).isEmpty();
      assertThat(AgentCli.run("list").stdout).containsPattern("(?m)^" + pid + " +" + Pattern.quote(WaitingProgram.class.getName()) + " +-$");
      r.writeLine();
      assertThat(r.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(r.stderr()).isEmpty();
    }
  }

  @Test
  void attachRecordsMidRunAndDetachRestoresTheProgram() throws Exception {
    String plain;
    try (TimedRun p = TimedRun.start(false, List.of(), Map.of(), RoundsProgram.class, "3", "500")) {
      p.awaitExitAfterMainEnd();
      plain = p.stdout();
    }
    Path out = dir.resolve("spans");
    try (TimedRun r = TimedRun.start(false, List.of(), Map.of(), RoundsProgram.class, "3", "500", "--wait")) {
      r.awaitLine("round 1");
      long pid = r.process.pid();
      ForkedJvm.Result attached = AgentCli.run("attach", Long.toString(pid), "include=" + PKG, "out=" + out);
      assertThat(attached.exitCode).as("%s", attached).isZero();
      assertThat(attached.stdout).contains("racetrace ", ": recording " + PKG, "detach " + pid + " --token ");
      // main waits for stdin inside RoundsProgram.main: that frame keeps its original code
      assertThat(attached.stdout).contains("; note: 1 thread(s) were already inside the enabled packages "
          + "(main in RoundsProgram.main): those methods run their original code until they return");
      assertThat(AgentCli.run("list").stdout).containsPattern("(?m)^" + pid + " +" + Pattern.quote(RoundsProgram.class.getName())
          + " +racetrace .* stream$");
      Matcher m = TOKEN.matcher(attached.stdout);
      assertThat(m.find()).isTrue();

      r.writeLine();
      r.awaitLine("round 2");
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
          assertThat(SpanFile.readDir(out).event("queue.enqueue")).hasSizeGreaterThanOrEqualTo(500));

      assertThat(AgentCli.run("detach", Long.toString(pid), "--token", "1".repeat(32)).stderr)
          .isEqualTo("racetrace: refused: wrong token\n");
      ForkedJvm.Result detached = AgentCli.run("detach", Long.toString(pid), "--token", m.group(1));
      assertThat(detached.stdout).isEqualTo("racetrace: detached: original classes restored, recording stopped\n");
      int afterDetach = SpanFile.readDir(out).event("queue.enqueue").size();

      r.writeLine();
      r.awaitLine("round 3");
      r.writeLine();
      r.awaitExitAfterMainEnd();
      assertThat(r.process.exitValue()).isZero();
      assertThat(r.stdout()).isEqualTo(plain);
      assertThat(SpanFile.readDir(out).event("queue.enqueue")).as("nothing recorded after detach").hasSize(afterDetach);
    }
  }

  @Test
  void twoAgentFlagsStartOneRacetrace() throws Exception {
    try (TimedRun r = TimedRun.start(true, List.of("-javaagent:" + ForkedJvm.AGENT, "-Dracetrace.include=" + PKG,
        "-Dracetrace.out=" + dir), Map.of(), RoundsProgram.class, "1", "200")) {
      r.awaitExitAfterMainEnd();
      assertThat(r.process.exitValue()).isZero();
      assertThat(r.stderrLines()).as(r.stderr()).hasSize(2);
      assertThat(r.stderrLines().get(1)).isEqualTo("racetrace: racetrace is already running in this JVM; this copy does nothing");
      assertThat(SpanFile.readDir(dir).event("queue.enqueue")).hasSize(201); // recorded once
    }
  }

  @Test
  void attachNamesTheNodeFromAConfigFileNotFromOtelArguments() throws Exception {
    try (TimedRun r = TimedRun.start(false, List.of(), Map.of(), WaitingProgram.class)) {
      r.awaitLine("done");
      String pid = Long.toString(r.process.pid());
      ForkedJvm.Result refused = AgentCli.run("attach", pid, "include=" + PKG, "otel.resource.attributes=service.instance.id=n7");
      assertThat(refused.exitCode).isEqualTo(1);
      assertThat(refused.stderr).isEqualTo("racetrace: refused: otel.resource.attributes: attach takes racetrace.* keys; "
          + "OpenTelemetry settings come from the JVM's own system properties and environment, or from a properties "
          + "file given as config=<file>; nothing started\n");

      Path config = dir.resolve("n7.properties");
      Files.writeString(config, "otel.resource.attributes=service.instance.id=n7\n");
      ForkedJvm.Result attached = AgentCli.run("attach", pid, "include=" + PKG, "config=" + config, "out=" + dir.resolve("spans"));
      assertThat(attached.exitCode).as("%s", attached).isZero();
      assertThat(attached.stdout).contains(": recording " + PKG + " (package) on node n7; spans -> journal " + dir.resolve("spans")
          .resolve("WaitingProgram-n7-" + pid + ".rtj") + " (at most 1g, racetrace.out.max, oldest parts deleted; spans from it: java -jar racetrace-agent.jar export "
          + dir.resolve("spans") + " --otlp [endpoint] | --otlp-json DIR)");
      r.writeLine();
      assertThat(r.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void attachWithoutIncludeStartsNothing() throws Exception {
    try (TimedRun r = TimedRun.start(false, List.of(), Map.of(), WaitingProgram.class)) {
      r.awaitLine("done");
      String pid = Long.toString(r.process.pid());
      ForkedJvm.Result res = AgentCli.run("attach", pid);
      assertThat(res.exitCode).isEqualTo(1);
      assertThat(res.stderr).isEqualTo("racetrace: refused: racetrace.include is empty, nothing to instrument; "
          + "nothing started\n");
      assertThat(AgentCli.run("dump", pid, "--token", "0".repeat(32)).stderr).contains("racetrace is not running in process");
      r.writeLine();
      assertThat(r.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
