package dev.racetrace.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.racetrace.agent.config.MemberRef;
import dev.racetrace.agent.config.ValueType;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.TypeMarks;
import dev.racetrace.core.site.CallSites;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Byte Buddy advice for what call-site rewriting cannot see: application classes in enabled
 * packages that implement BlockingQueue or Executor themselves (so calls made by the JDK, e.g. a
 * ThreadPoolExecutor taking from an application queue, are recorded too), and the declared guard
 * methods.
 */
final class TypeInstrumentation {
  private final PackageFilter filter;
  private final List<MemberRef> guardMethods;
  private final Counters counters;

  TypeInstrumentation(PackageFilter filter, List<MemberRef> guardMethods, Counters counters) {
    this.filter = filter;
    this.guardMethods = guardMethods;
    this.counters = counters;
  }

  void install(Instrumentation inst) {
    // Byte Buddy's default initialization strategy injects its Nexus class through Unsafe (a
    // warning on JDK 24+). racetrace never uses it: advice needs no type initializers. The
    // property name is relocated with Byte Buddy, so it cannot affect the application's copy.
    System.setProperty(Nexus.PROPERTY, "true");
    AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
        .with(new Listener(counters))
        .ignore(none());
    ElementMatcher.Junction<TypeDescription> notOurs = not(racetraceOrJdk());

    AgentBuilder.Identified.Extendable b = builder
        .type(enabled().and(not(isInterface())).and(isSubTypeOf(BlockingQueue.class)).and(notOurs),
            not(isBootstrapClassLoader()))
        .transform((tb, type, loader, module, domain) -> queueAdvice(tb, type))
        .type(enabled().and(not(isInterface())).and(isSubTypeOf(Executor.class)).and(notOurs),
            not(isBootstrapClassLoader()))
        .transform((tb, type, loader, module, domain) -> executorAdvice(tb, type));
    for (MemberRef m : guardMethods) {
      b = b.type(named(m.className()).and(notOurs), not(isBootstrapClassLoader()))
          .transform((tb, type, loader, module, domain) -> tb.visit(advice(TypeAdvice.GuardMethod.class,
              site(type, m.member(), "guard.method", type.getSimpleName() + "." + m.member()), false)
              .on(named(m.member()).and(not(isAbstract())))));
    }
    b.installOn(inst);
  }

  private DynamicType.Builder<?> queueAdvice(DynamicType.Builder<?> tb, TypeDescription type) {
    TypeMarks.mark(type.getName());
    String q = type.getSimpleName();
    tb = visit(tb, type, TypeAdvice.Enqueue.class, "offer", 1, false, q);
    tb = visit(tb, type, TypeAdvice.Enqueue.class, "add", 1, false, q);
    tb = visit(tb, type, TypeAdvice.Enqueue.class, "put", 1, false, q);
    tb = visit(tb, type, TypeAdvice.Enqueue.class, "offer", 3, true, q);
    tb = visit(tb, type, TypeAdvice.Dequeue.class, "poll", 0, false, q);
    tb = visit(tb, type, TypeAdvice.Dequeue.class, "take", 0, false, q);
    return visit(tb, type, TypeAdvice.Dequeue.class, "poll", 2, true, q);
  }

  private DynamicType.Builder<?> executorAdvice(DynamicType.Builder<?> tb, TypeDescription type) {
    TypeMarks.mark(type.getName());
    return visit(tb, type, TypeAdvice.Execute.class, "execute", 1, false, type.getSimpleName());
  }

  private DynamicType.Builder<?> visit(DynamicType.Builder<?> tb, TypeDescription type, Class<?> advice,
      String method, int arguments, boolean timed, String simpleName) {
    ElementMatcher.Junction<MethodDescription> m = named(method).and(takesArguments(arguments))
        .and(not(isAbstract()));
    if (timed) {
      m = m.and(takesArgument(arguments - 1, TimeUnit.class));
    }
    if (type.getDeclaredMethods().filter(m).isEmpty()) {
      return tb; // inherited from a superclass: advised there if that class is enabled
    }
    int site = site(type, method, simpleName + "." + method, null);
    return tb.visit(advice(advice, site, timed).on(m));
  }

  private static Advice advice(Class<?> advice, int site, boolean timed) {
    return Advice.withCustomMapping()
        .bind(AdviceSite.class, site)
        .bind(AdviceTimed.class, timed)
        .to(advice);
  }

  private static int site(TypeDescription type, String method, String target, String receiver) {
    return CallSites.register(type.getName(), method, -1, target, receiver);
  }

  private ElementMatcher.Junction<TypeDescription> enabled() {
    return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
      @Override
      public boolean matches(TypeDescription target) {
        return filter.matches(target.getName());
      }
    };
  }

  private static ElementMatcher.Junction<TypeDescription> racetraceOrJdk() {
    return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
      @Override
      public boolean matches(TypeDescription target) {
        String n = target.getName();
        for (String p : ValueType.FORBIDDEN_PACKAGES) {
          if (n.startsWith(p + ".")) {
            return true;
          }
        }
        return false;
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
      if (counters.transformErrors().incrementAndGet() == 1) {
        System.err.println("racetrace: could not advise " + typeName + " (" + throwable
            + "); the class runs uninstrumented");
      }
    }
  }
}
