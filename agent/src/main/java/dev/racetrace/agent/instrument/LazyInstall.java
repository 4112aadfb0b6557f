package dev.racetrace.agent.instrument;

import dev.racetrace.agent.internal.Log;
import dev.racetrace.agent.internal.Counters;
import java.lang.instrument.Instrumentation;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Installs the Byte Buddy type instrumentation only when something needs it: at start when guard
 * methods are configured, otherwise on a background thread the first time an enabled class that
 * implements Queue or Executor loads. Most applications never load Byte Buddy's agent
 * builder (about 0.8 s of start-up on 2 cores). Classes that loaded before it was installed are
 * retransformed.
 */
final class LazyInstall {
  private final TypeInstrumentation types;
  private final Instrumentation inst;
  private final Counters counters;
  private final AtomicBoolean started = new AtomicBoolean();
  private final Set<String> candidates = ConcurrentHashMap.newKeySet();
  /** Candidates Byte Buddy's transformer was given: those need no retransformation of ours. */
  private final Set<String> seenByTypes = ConcurrentHashMap.newKeySet();
  private volatile boolean installed;

  LazyInstall(TypeInstrumentation types, Instrumentation inst, Counters counters) {
    this.types = types;
    this.inst = inst;
    this.counters = counters;
  }

  /** An enabled class needing type-level advice is loading. Never blocks the class load. */
  void candidate(String className) {
    candidates.add(className);
    if (installed) {
      return; // the installed agent builder sees it as it loads
    }
    if (started.compareAndSet(false, true)) {
      Thread t = new Thread(this::installNow, "racetrace-instrumenter");
      t.setDaemon(true);
      t.start();
    }
  }

  /** Installs now, on the calling thread (once). */
  void installNow() {
    started.set(true);
    synchronized (this) {
      if (installed) {
        return;
      }
      try {
        types.install(inst, candidates::contains, this::seen);
      } catch (Throwable t) {
        counters.transformErrors().incrementAndGet();
        Log.get().warn("transform:types", "type instrumentation unavailable; call sites are still recorded", t);
        return;
      }
      installed = true;
    }
    retransformCandidates();
  }

  /** Detach: no further installation; the installed type transformer is removed. */
  void uninstall() {
    started.set(true);
    synchronized (this) {
      types.uninstall(inst);
      installed = true; // nothing installs it again
    }
  }

  private void seen(String className) {
    if (candidates.contains(className)) {
      seenByTypes.add(className);
    }
  }

  /**
   * A candidate whose definition raced with the installation may have missed both paths: loaded
   * before the type transformer was added, yet not among the loaded classes it then retransformed.
   * Only those are retransformed here (each retransformation is a JVM-wide operation; with Jetty
   * enabled, doing all candidates again cost about 0.5 s).
   */
  private void retransformCandidates() {
    if (!candidates.isEmpty()) {
      Retransformer.retransform(inst, c -> candidates.contains(c.getName()) && !seenByTypes.contains(c.getName()),
          counters);
    }
  }
}
