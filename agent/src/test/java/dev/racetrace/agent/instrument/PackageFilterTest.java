package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PackageFilterTest {
  @Test
  void anExcludedClassTakesItsNestedClassesButNotItsNeighbours() {
    PackageFilter f = new PackageFilter(List.of("org.eclipse.jetty"),
        List.of("org.eclipse.jetty.util.thread.AutoLock"));
    assertThat(f.matches("org.eclipse.jetty.util.thread.AutoLock")).isFalse();
    assertThat(f.matches("org.eclipse.jetty.util.thread.AutoLock$WithCondition")).isFalse();
    assertThat(f.matches("org.eclipse.jetty.util.thread.AutoLockFactory")).isTrue();
    assertThat(f.matches("org.eclipse.jetty.util.thread.QueuedThreadPool")).isTrue();
  }

  @Test
  void anIncludedClassTakesOnlyItselfAndItsNestedClasses() {
    PackageFilter f = new PackageFilter(List.of("com.acme.Node"), List.of());
    assertThat(f.matches("com.acme.Node")).isTrue();
    assertThat(f.matches("com.acme.Node$1")).isTrue();
    assertThat(f.matches("com.acme.NodeSet")).isFalse();
    assertThat(f.matches("com.acme.Other")).isFalse();
  }

  @Test
  void aPackageTakesItsSubpackagesButNotAPrefixOfAnotherName() {
    PackageFilter f = new PackageFilter(List.of("org.ok"), List.of("org.ok.gen"));
    assertThat(f.matches("org.ok.Main")).isTrue();
    assertThat(f.matches("org.ok.sub.Main")).isTrue();
    assertThat(f.matches("org.okay.Main")).isFalse();
    assertThat(f.matches("org.ok.gen.Generated")).isFalse();
    assertThat(f.matches("org.ok.general.Main")).isTrue();
  }

  @Test
  void theJdkAndRacetraceAreNeverMatched() {
    PackageFilter f = new PackageFilter(List.of("javax", "dev.racetrace.sample"), List.of());
    assertThat(f.matches("javax.swing.Timer")).isTrue();
    assertThat(f.matches("dev.racetrace.sample.Main")).isTrue();
    assertThat(new PackageFilter(List.of("dev"), List.of()).matches("dev.racetrace.core.Recorder")).isFalse();
  }
}
