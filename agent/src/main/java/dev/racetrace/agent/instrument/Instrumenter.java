package dev.racetrace.agent.instrument;

import dev.racetrace.agent.config.GuardConfig;
import dev.racetrace.agent.config.MemberRef;
import dev.racetrace.agent.config.RecordFamily;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.Log;
import dev.racetrace.agent.resolve.DelayInstaller;
import dev.racetrace.core.Recorder;
import java.lang.instrument.Instrumentation;
import java.util.HashSet;
import java.util.Set;

/**
 * Installs racetrace's class transformation: only classes in the enabled packages are touched;
 * JDK classes, bootstrap classes and racetrace's own classes never are. Classes already loaded
 * (late attach) are retransformed.
 */
public final class Instrumenter {
  private final PackageFilter filter;
  private final GuardConfig guards;
  private final DelayInstaller delays;
  private final Counters counters;
  private final Set<RecordFamily> recorded;

  /** @param recorded the families of racetrace.record: only these are instrumented */
  public Instrumenter(PackageFilter filter, GuardConfig guards, DelayInstaller delays, Counters counters,
      Set<RecordFamily> recorded) {
    this.recorded = recorded;
    this.filter = filter;
    this.guards = guards;
    this.delays = delays;
    this.counters = counters;
  }

  /** Installs the transformers. */
  public void install(Instrumentation inst) {
    Set<String> flags = new HashSet<>();
    for (MemberRef f : guards.flags) {
      flags.add(f.internalClassName() + "#" + f.member());
    }
    CallSiteTransformer callSites = new CallSiteTransformer(filter, flags, delays::forSite, counters, inst,
        Recorder.class.getModule(), recorded);
    inst.addTransformer(callSites, true);
    this.callSites = callSites;
    retransformLoaded(inst);
    if (recorded.contains(RecordFamily.EXECUTORS)) {
      JdkRunPoints.install(inst, Recorder.class.getModule(), counters);
    }
    if (!guards.guardMethods.isEmpty()) {
      // asked for in the configuration: Byte Buddy's advice, in place before the application starts
      GuardMethodAdvice advice = new GuardMethodAdvice(guards.guardMethods, counters);
      try {
        advice.install(inst);
        this.guardMethods = advice;
      } catch (Throwable t) {
        counters.transformErrors().incrementAndGet();
        Log.get().warn("transform:types", "guard-method advice unavailable; call sites are still recorded", t);
      }
    }
  }

  private CallSiteTransformer callSites;
  private GuardMethodAdvice guardMethods;

  /**
   * Detach: removes racetrace's transformers and retransforms the enabled packages' classes, which
   * then get their original bytes back (methods running now finish in their instrumented form).
   */
  public void uninstall(Instrumentation inst) {
    if (callSites != null) {
      inst.removeTransformer(callSites);
      if (guardMethods != null) {
        guardMethods.uninstall(inst);
      }
      retransformLoaded(inst);
    }
  }

  private void retransformLoaded(Instrumentation inst) {
    Retransformer.retransform(inst, c -> c.getClassLoader() != null && !c.isArray() && !c.isPrimitive()
        && filter.matches(c.getName()), counters);
  }
}
