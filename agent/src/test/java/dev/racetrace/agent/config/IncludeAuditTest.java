package dev.racetrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class IncludeAuditTest {
  private static AgentConfig config(String include, String exclude) throws ConfigException {
    Properties p = new Properties();
    p.setProperty("racetrace.include", include);
    p.setProperty("racetrace.exclude", exclude);
    return ConfigLoader.load(p, Map.of(), 1L << 30, 2);
  }

  @Test
  void aClassNamedAsIncludeOrExcludeCountsAsSeenWhenItOrANestedClassLoaded() throws Exception {
    assertThat(IncludeAudit.exitLines(config("com.acme.Replica,org.ok", "org.ok.Lock"),
        List.of("com.acme.Replica", "org.ok.Main", "org.ok.Lock$Guard"), true)).isEmpty();
  }

  @Test
  void aClassThatNeverLoadedIsReported() throws Exception {
    List<String> lines = IncludeAudit.exitLines(config("com.acme.Replica,org.ok", ""),
        List.of("com.acme.ReplicaSet", "com.acme.Other", "org.ok.Main"), true);
    assertThat(lines).containsExactly("racetrace: racetrace.include=com.acme.Replica,org.ok: no class of "
        + "com.acme.Replica was loaded (as a package or as a class)");
  }

  @Test
  void excludeEntriesThatMatchNothingAndAnEmptyRecordingAreReported() throws Exception {
    List<String> lines = IncludeAudit.exitLines(config("org.ok", "org.ok.gen,org.ok.used"),
        List.of("org.ok.Main", "org.ok.used.Thing"), false);
    assertThat(lines).containsExactly(
        "racetrace: racetrace.exclude=org.ok.gen,org.ok.used: no class of org.ok.gen was loaded "
            + "(as a package or as a class)",
        "racetrace: recorded nothing: no instrumented queue, executor or guard call ran in org.ok "
            + "(racetrace.include names the packages of the code that makes those calls)");
  }

  @Test
  void aPrefixIsNotAPackage() throws Exception {
    // org.okay.Main is not in package org.ok
    assertThat(IncludeAudit.exitLines(config("org.ok", ""), List.of("org.okay.Main"), true))
        .containsExactly("racetrace: racetrace.include=org.ok: no class of org.ok was loaded "
            + "(as a package or as a class)");
  }

  @Test
  void aHealthyRunSaysNothing() throws Exception {
    assertThat(IncludeAudit.exitLines(config("org.ok", ""), List.of("org.ok.Main"), true)).isEmpty();
  }
}
