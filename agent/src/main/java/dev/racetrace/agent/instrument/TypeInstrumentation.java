package dev.racetrace.agent.instrument;

import dev.racetrace.agent.internal.Log;
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
    installed = b.installOn(inst);
  }

  private volatile net.bytebuddy.agent.builder.ResettableClassFileTransformer installed;

  /** Detach: removes the transformer (the caller retransforms the classes back). */
  void uninstall(Instrumentation inst) {
    net.bytebuddy.agent.builder.ResettableClassFileTransformer t = installed;
    if (t != null) {
      t.reset(inst, AgentBuilder.RedefinitionStrategy.DISABLED);
      installed = null;
    }
  }

  private DynamicType.Builder<?> queueAdvice(DynamicType.Builder<?> tb, TypeDescription type) {
    String q = type.getSimpleName();
    int marks = 0;
    Object[][] methods = {
      {TypeAdvice.EnqueueExit.class, "offer", 1, false, TypeMarks.OFFER},
      {TypeAdvice.EnqueueExit.class, "add", 1, false, TypeMarks.ADD},
      {TypeAdvice.EnqueueExit.class, "put", 1, false, TypeMarks.PUT},
      {TypeAdvice.EnqueueExit.class, "offer", 3, true, TypeMarks.OFFER_TIMED},
      {TypeAdvice.Dequeue.class, "poll", 0, false, TypeMarks.POLL},
      {TypeAdvice.Dequeue.class, "take", 0, false, TypeMarks.TAKE},
      {TypeAdvice.Dequeue.class, "poll", 2, true, TypeMarks.POLL_TIMED},
    };
    for (Object[] m : methods) {
      ElementMatcher.Junction<MethodDescription> matcher = declared(type, (String) m[1], (Integer) m[2], (Boolean) m[3]);
      if (matcher != null) {
        tb = tb.visit(advice((Class<?>) m[0], site(type, (String) m[1], q + "." + m[1], null), (Boolean) m[3])
            .on(matcher));
        marks |= (Integer) m[4];
      }
    }
    TypeMarks.mark(type.getName(), marks);
    return tb;
  }

  private DynamicType.Builder<?> executorAdvice(DynamicType.Builder<?> tb, TypeDescription type) {
    ElementMatcher.Junction<MethodDescription> matcher = declared(type, "execute", 1, false);
    if (matcher == null) {
      return tb;
    }
    TypeMarks.mark(type.getName(), TypeMarks.EXECUTE);
    return tb.visit(advice(TypeAdvice.ExecuteExit.class,
        site(type, "execute", type.getSimpleName() + ".execute", null), false).on(matcher));
  }

  /**
   * A matcher for the method if {@code type} declares it with a body, else null (an inherited
   * JDK method stays recorded at its call sites).
   */
  private static ElementMatcher.Junction<MethodDescription> declared(TypeDescription type, String method,
      int arguments, boolean timed) {
    ElementMatcher.Junction<MethodDescription> m = named(method).and(takesArguments(arguments))
        .and(not(isAbstract()));
    if (timed) {
      m = m.and(takesArgument(arguments - 1, TimeUnit.class));
    }
    return type.getDeclaredMethods().filter(m).isEmpty() ? null : m;
  }

  /** Enqueue exits share one entry advice, execute has its own (it links the task); the others carry both. */
  private static Advice advice(Class<?> advice, int site, boolean timed) {
    Advice.WithCustomMapping mapping = Advice.withCustomMapping()
        .bind(AdviceSite.class, site)
        .bind(AdviceTimed.class, timed);
    if (advice == TypeAdvice.ExecuteExit.class) {
      return mapping.to(TypeAdvice.ExecuteEnter.class, advice);
    }
    return advice == TypeAdvice.EnqueueExit.class ? mapping.to(TypeAdvice.PublishEnter.class, advice)
        : mapping.to(advice);
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
      counters.transformErrors().incrementAndGet();
      Log.get().warn("transform", "could not advise " + typeName + "; the class runs uninstrumented", throwable);
    }
  }
}
