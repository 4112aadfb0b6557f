package dev.racetrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.racetrace.agent.config.MemberRef;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.Log;
import dev.racetrace.core.hook.GuardHooks;
import dev.racetrace.core.site.CallSites;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Byte Buddy advice for the declared guard methods ({@code racetrace.guards.methods}): their
 * arguments, decision and time are recorded where they return. Installed at start, and only when
 * guard methods are configured: Byte Buddy's agent builder costs 0.5 to 0.8 s to install. (Queue
 * and executor classes get their advice from {@link TypeAdviceWeaver}, in the call-site pass.)
 */
final class GuardMethodAdvice {
  private final List<MemberRef> guardMethods;
  private final Counters counters;
  private volatile net.bytebuddy.agent.builder.ResettableClassFileTransformer installed;

  GuardMethodAdvice(List<MemberRef> guardMethods, Counters counters) {
    this.guardMethods = guardMethods;
    this.counters = counters;
  }

  void install(Instrumentation inst) {
    // Byte Buddy's default initialization strategy injects its Nexus class through Unsafe (a
    // warning on JDK 24+). racetrace never uses it: advice needs no type initializers. The
    // property name is relocated with Byte Buddy, so it cannot affect the application's copy.
    System.setProperty(Nexus.PROPERTY, "true");
    AgentBuilder b = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
        .with(new Listener(counters))
        .ignore(none());
    ElementMatcher.Junction<TypeDescription> notOurs = not(racetraceOrJdk());
    for (MemberRef m : guardMethods) {
      b = b.type(named(m.className()).and(notOurs), not(isBootstrapClassLoader()))
          .transform((tb, type, loader, module, domain) -> tb.visit(advice(
              site(type, m.member(), "guard.method", type.getSimpleName() + "." + m.member()))
              .on(named(m.member()).and(not(isAbstract())))));
    }
    installed = b.installOn(inst);
  }

  /** Detach: removes the transformer (the caller retransforms the classes back). */
  void uninstall(Instrumentation inst) {
    net.bytebuddy.agent.builder.ResettableClassFileTransformer t = installed;
    if (t != null) {
      t.reset(inst, AgentBuilder.RedefinitionStrategy.DISABLED);
      installed = null;
    }
  }

  private static Advice advice(int site) {
    return Advice.withCustomMapping().bind(AdviceSite.class, site).to(Inlined.class);
  }

  /**
   * The advice Byte Buddy inlines into each guard method. Its body only calls agent-core (on the
   * bootstrap class path, visible from every class loader) and suppresses its own failures, so the
   * advised method behaves exactly as before.
   */
  static final class Inlined {
    private Inlined() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return System.nanoTime();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.AllArguments Object[] args,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result, @Advice.Thrown Throwable thrown,
        @AdviceSite int site) {
      GuardHooks.guardMethodExit(args, result, start, site, thrown);
    }
  }

  private static int site(TypeDescription type, String method, String target, String receiver) {
    return CallSites.register(type.getName(), method, -1, target, receiver);
  }

  private static ElementMatcher.Junction<TypeDescription> racetraceOrJdk() {
    return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
      @Override
      public boolean matches(TypeDescription target) {
        return PackageFilter.neverTransformed(target.getName());
      }
    };
  }

  /** Counts failures; a class that cannot be advised is left as it was. */
  static final class Listener extends AgentBuilder.Listener.Adapter {
    private final Counters counters;

    Listener(Counters counters) {
      this.counters = counters;
    }

    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
        Throwable throwable) {
      counters.transformErrors().incrementAndGet();
      Log.get().warn("transform", "could not advise " + typeName + "; the class runs uninstrumented", throwable);
    }
  }
}
