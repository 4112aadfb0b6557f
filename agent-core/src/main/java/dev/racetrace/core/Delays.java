package dev.racetrace.core;

import dev.racetrace.core.hook.Events;
import dev.racetrace.core.task.TaskRuns;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Delay injection ({@code racetrace.delay}): waits a configured time, with seeded jitter and an
 * optional probability, at chosen call sites (the call is delayed before it happens) or when a
 * chosen operation starts processing. Only ever active when that key is set. Each delay is recorded
 * as a {@code delay.injected} event. The wait ends early if the thread is interrupted, leaving its
 * interrupt status set: a delay never throws into the application.
 */
public final class Delays {
  /** One configured delay. */
  public static final class Rule {
    final int index;
    final long baseNanos;
    final long jitterNanos;
    final double probability;
    final String key;
    final String text;
    final AtomicLong occurrences = new AtomicLong();

    /**
     * @param key only elements or tasks with this key (String.valueOf), or null for all
     * @param text the rule as configured, exported with each delay
     */
    public Rule(int index, long baseNanos, long jitterNanos, double probability, String key, String text) {
      this.index = index;
      this.baseNanos = baseNanos;
      this.jitterNanos = jitterNanos;
      this.probability = probability;
      this.key = key;
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  private static final Rule[] NO_RULES = new Rule[0];
  private static volatile boolean workRules;
  private static volatile long seed;
  private static volatile Rule[] bySite = NO_RULES;
  private static volatile Rule[] all = NO_RULES;
  private static volatile Function<Class<?>, Rule> workResolver;
  private static final Rule NONE = new Rule(-1, 0, 0, 0, null, "");
  private static final ClassValue<Rule> BY_CLASS = new ClassValue<>() {
    @Override
    protected Rule computeValue(Class<?> type) {
      Function<Class<?>, Rule> r = workResolver;
      Rule rule = r == null ? null : r.apply(type);
      return rule == null ? NONE : rule;
    }
  };

  private Delays() {}

  /** Installs the rules; called once by the agent before recording starts. */
  public static void install(Rule[] rules, long seedValue, Function<Class<?>, Rule> byWorkClass) {
    all = rules.clone();
    seed = seedValue;
    workResolver = byWorkClass;
    workRules = byWorkClass != null;
  }

  /**
   * Starts a new jitter sequence: sets the seed and restarts every rule's occurrence count, so the
   * n-th delay of a rule after this call is exactly the n-th delay of a fresh JVM started with
   * {@code racetrace.delay.seed=seedValue}. Used by racetrace-junit's {@code @RepeatedChaos}
   * between runs; call it while no delay is being applied (between test runs).
   */
  public static void reseed(long seedValue) {
    Rule[] rules = all;
    for (Rule r : rules) {
      r.occurrences.set(0);
    }
    seed = seedValue;
  }

  /** Attaches a rule to a call site (transform time). */
  public static synchronized void bindSite(int site, Rule rule) {
    Rule[] cur = bySite;
    if (site >= cur.length) {
      Rule[] next = new Rule[Math.max(site + 1, cur.length * 2)];
      System.arraycopy(cur, 0, next, 0, cur.length);
      cur = next;
    }
    cur[site] = rule;
    bySite = cur;
  }

  /** All configured rules (for the exporter). */
  public static Rule[] rules() {
    return all;
  }

  /** Inserted by the agent before the call at a site that has a delay rule. */
  public static void at(int site) {
    Rule[] rules = bySite;
    if (site < rules.length && rules[site] != null) {
      apply(rules[site], site, null, null);
    }
  }

  /** Called when work (a linked task's run) starts processing on this thread. */
  public static void atWorkStart(Object work, Object key, int site) {
    Rule rule = workRule(work, key);
    if (rule != null) {
      apply(rule, site, work, key);
    }
  }

  /**
   * Called when a dequeue (at a call site or in an application queue type's advice) took
   * {@code element}: its work starts here, unless it is a task linked to its submit, whose work
   * starts where it runs ({@link #atWorkStart}); delaying it at both would delay it twice.
   */
  public static void atDequeue(Object element, Object key, int site) {
    Rule rule = workRule(element, key);
    if (rule != null && !TaskRuns.linked(element)) {
      apply(rule, site, element, key);
    }
  }

  /** The op rule for this work and key, or null. */
  private static Rule workRule(Object work, Object key) {
    if (!workRules || work == null) {
      return null;
    }
    Rule rule = BY_CLASS.get(work.getClass());
    if (rule == NONE || rule.key != null && (key == null || !rule.key.equals(String.valueOf(key)))) {
      return null;
    }
    return rule;
  }

  private static void apply(Rule rule, int site, Object work, Object key) {
    long n = rule.occurrences.getAndIncrement();
    long r = mix(seed ^ ((long) rule.index << 40) ^ n);
    if (rule.probability < 1.0 && (r >>> 11) * 0x1.0p-53 >= rule.probability) {
      return;
    }
    long jitter = rule.jitterNanos > 0 ? Math.floorMod(mix(r), rule.jitterNanos + 1) : 0;
    long delay = rule.baseNanos + jitter;
    long start = System.nanoTime();
    long deadline = start + delay;
    for (long left = delay; left > 0 && !Thread.currentThread().isInterrupted(); left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
    long waited = System.nanoTime() - start;
    ThreadState ts = Recorder.recordingState();
    if (ts != null) {
      Events.delay(ts, site, rule.index, rule.text, key, delay, waited, n);
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
