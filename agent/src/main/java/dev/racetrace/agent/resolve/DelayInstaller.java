package dev.racetrace.agent.resolve;

import dev.racetrace.agent.config.DelayConfig;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.core.Delays;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns {@code racetrace.delay} rules into agent-core's {@link Delays}: op rules are resolved by
 * element or task class (configured op name, else the simple class name); site rules are bound to
 * call sites by the call-site rewriter as classes load.
 */
public final class DelayInstaller {
  private final List<DelayConfig.Rule> configured;
  private final List<Delays.Rule> core = new ArrayList<>();
  private final List<DelayConfig.Rule> siteRules = new ArrayList<>();
  private final List<Delays.Rule> siteCore = new ArrayList<>();

  public DelayInstaller(List<DelayConfig.Rule> configured) {
    this.configured = configured;
    for (int i = 0; i < configured.size(); i++) {
      DelayConfig.Rule r = configured.get(i);
      Delays.Rule c = new Delays.Rule(i, r.baseMillis * 1_000_000L, r.jitterMillis * 1_000_000L,
          r.probability, r.key, r.text);
      core.add(c);
      if (r.isSite()) {
        siteRules.add(r);
        siteCore.add(c);
      }
    }
  }

  public boolean any() {
    return !configured.isEmpty();
  }

  /** Installs the rules in agent-core. */
  public void install(long seed, OpNames ops) {
    List<Delays.Rule> opCore = new ArrayList<>();
    List<String> opNames = new ArrayList<>();
    for (int i = 0; i < configured.size(); i++) {
      if (!configured.get(i).isSite()) {
        opCore.add(core.get(i));
        opNames.add(configured.get(i).op);
      }
    }
    Function<Class<?>, Delays.Rule> byClass = opCore.isEmpty() ? null : type -> {
      String op = ops.nameOf(type);
      if (op == null && !type.isAnonymousClass() && !type.isSynthetic() && !type.getName().contains("$$Lambda")) {
        op = type.getSimpleName();
      }
      int at = op == null ? -1 : opNames.indexOf(op);
      return at < 0 ? null : opCore.get(at);
    };
    Delays.install(core.toArray(new Delays.Rule[0]), seed, byClass);
  }

  /** The site rule for an instrumented call at {@code className.method:line}, or null. */
  public Delays.Rule forSite(String className, String method, int line) {
    for (int i = 0; i < siteRules.size(); i++) {
      if (siteRules.get(i).matchesSite(className, method, line)) {
        return siteCore.get(i);
      }
    }
    return null;
  }

  /** Human-readable summary for the start line. */
  public String describe(long seed) {
    List<String> texts = new ArrayList<>();
    for (DelayConfig.Rule r : configured) {
      texts.add(r.text);
    }
    return String.join("; ", texts) + " (racetrace.delay.seed=" + seed + ")";
  }
}
