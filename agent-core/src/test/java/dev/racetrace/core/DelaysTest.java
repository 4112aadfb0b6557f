package dev.racetrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DelaysTest {
  private static final int SITE = 5;

  @AfterEach
  void uninstall() {
    Delays.install(new Delays.Rule[0], 0, null);
    Delays.bindSite(SITE, null);
  }

  private static Delays.Rule rule(long baseMs, long jitterMs, double p) {
    return new Delays.Rule(0, TimeUnit.MILLISECONDS.toNanos(baseMs), TimeUnit.MILLISECONDS.toNanos(jitterMs), p,
        null, "test");
  }

  @Test
  void aSiteRuleWaitsAtLeastItsBaseTime() {
    Delays.Rule r = rule(30, 0, 1.0);
    Delays.install(new Delays.Rule[] {r}, 1, null);
    Delays.bindSite(SITE, r);
    long t0 = System.nanoTime();
    Delays.at(SITE);
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
    long t1 = System.nanoTime();
    Delays.at(SITE + 1); // no rule there
    assertThat(System.nanoTime() - t1).isLessThan(TimeUnit.MILLISECONDS.toNanos(30));
  }

  @Test
  void probabilityDrawsAreRepeatableForASeed() {
    String first = pattern(42);
    String second = pattern(42);
    assertThat(first).isEqualTo(second);
    assertThat(first.chars().filter(c -> c == 'x').count()).as("about half applied: %s", first).isBetween(4L, 20L);
    assertThat(pattern(43)).isNotEqualTo(first);
  }

  @Test
  void reseedRestartsTheSequenceAsAFreshInstallWithThatSeed() {
    String fresh = pattern(42);
    pattern(7); // the installed rule has now been applied 24 times under another seed
    Delays.reseed(42);
    assertThat(draws()).as("after reseed(42)").isEqualTo(fresh);
  }

  /** Which of 24 occurrences were delayed ('x') under a 50% rule with this seed. */
  private static String pattern(long seed) {
    Delays.Rule r = rule(15, 0, 0.5);
    Delays.install(new Delays.Rule[] {r}, seed, null);
    Delays.bindSite(SITE, r);
    return draws();
  }

  private static String draws() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 24; i++) {
      long t0 = System.nanoTime();
      Delays.at(SITE);
      sb.append(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(15) ? 'x' : '.');
    }
    return sb.toString();
  }

  @Test
  void anInterruptEndsTheDelayEarlyAndStaysSet() {
    Delays.Rule r = rule(10_000, 0, 1.0);
    Delays.install(new Delays.Rule[] {r}, 1, null);
    Delays.bindSite(SITE, r);
    Thread.currentThread().interrupt();
    long t0 = System.nanoTime();
    Delays.at(SITE);
    assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void workRulesApplyOnlyToTheirClassAndKey() {
    Delays.Rule r = new Delays.Rule(0, TimeUnit.MILLISECONDS.toNanos(30), 0, 1.0, "order-7", "op:x/order-7=30ms");
    Delays.install(new Delays.Rule[] {r}, 1, type -> type == StringBuilder.class ? r : null);
    long t0 = System.nanoTime();
    Delays.atWorkStart(new StringBuilder(), "order-1", 0);
    Delays.atWorkStart("not a StringBuilder", "order-7", 0);
    assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(30));
    Delays.atWorkStart(new StringBuilder(), "order-7", 0);
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
  }
}
