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
import dev.racetrace.agent.config.RecordFamily;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.site.CallSites;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
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
 * packages that implement Queue (a BlockingQueue, a Deque, a pool's own deque) or Executor themselves (so calls made by the JDK, e.g. a
 * ThreadPoolExecutor taking from an application queue, are recorded too), and the declared guard
 * methods.
 */
final class TypeInstrumentation {
  private final PackageFilter filter;
  private final List<MemberRef> guardMethods;
  private final Counters counters;
  private final java.util.Set<RecordFamily> recorded;

  TypeInstrumentation(PackageFilter filter, List<MemberRef> guardMethods, Counters counters,
      java.util.Set<RecordFamily> recorded) {
    this.filter = filter;
    this.recorded = recorded;
    this.guardMethods = guardMethods;
    this.counters = counters;
  }

  /**
   * @param candidates whether a class being loaded was found to implement Queue or Executor by the
   *     call-site transformer, which reads every enabled class's header before Byte Buddy sees it
   * @param seen told the name of every class Byte Buddy's transformer was given (loaded or
   *     retransformed) once it is installed
   */
  void install(Instrumentation inst, java.util.function.Predicate<String> candidates,
      java.util.function.Consumer<String> seen) {
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
        .with(new Listener(counters, seen))
        .ignore(none());
    ElementMatcher.Junction<TypeDescription> notOurs = not(racetraceOrJdk());

    AgentBuilder b = builder;
    // a family left out of racetrace.record gets no advice at all
    if (recorded.contains(RecordFamily.QUEUES)) {
      b = b.type(known(Queue.class, candidates, enabled().and(not(isInterface())).and(isSubTypeOf(Queue.class))
              .and(notOurs)))
          .transform((tb, type, loader, module, domain) -> queueAdvice(tb, type));
    }
    if (recorded.contains(RecordFamily.EXECUTORS)) {
      b = b.type(known(Executor.class, candidates, enabled().and(not(isInterface()))
              .and(isSubTypeOf(Executor.class)).and(notOurs)))
          .transform((tb, type, loader, module, domain) -> executorAdvice(tb, type));
    }
    for (MemberRef m : guardMethods) {
      b = b.type(named(m.className()).and(notOurs), not(isBootstrapClassLoader()))
          .transform((tb, type, loader, module, domain) -> tb.visit(advice(TypeAdvice.GuardMethod.class,
              site(type, m.member(), "guard.method", type.getSimpleName() + "." + m.member()), false)
              .on(named(m.member()).and(not(isAbstract())))));
    }
    installed = b.installOn(inst);
  }

  private volatile net.bytebuddy.agent.builder.ResettableClassFileTransformer installed;

  /**
   * {@code types}, asked only of a class already known to be a {@code kind}: Byte Buddy answers
   * isSubTypeOf by reading the class files of the whole hierarchy, for every class that loads. At
   * a load, the call-site transformer (which runs first) has read the class's header and named
   * the candidates; at a retransformation the loaded class answers. With a library such as Jetty
   * enabled this leaves a handful of classes to Byte Buddy out of hundreds.
   */
  private static AgentBuilder.RawMatcher known(Class<?> kind, java.util.function.Predicate<String> candidates,
      ElementMatcher<TypeDescription> types) {
    AgentBuilder.RawMatcher full = new AgentBuilder.RawMatcher.ForElementMatchers(types, not(isBootstrapClassLoader()));
    return (type, loader, module, redefined, domain) ->
        (redefined != null ? kind.isAssignableFrom(redefined) : candidates.test(type.getName()))
            && full.matches(type, loader, module, redefined, domain);
  }

  /** Detach: removes the transformer (the caller retransforms the classes back). */
  void uninstall(Instrumentation inst) {
    net.bytebuddy.agent.builder.ResettableClassFileTransformer t = installed;
    if (t != null) {
      t.reset(inst, AgentBuilder.RedefinitionStrategy.DISABLED);
      installed = null;
    }
  }

  /**
   * The queue and deque methods advised when a class declares them: {advice, name, arguments,
   * the type of a timed method's last argument (or null)}. Pool-style deques that are not JDK
   * BlockingDeques (takeFirst, pollFirst(Duration)) are covered by name.
   */
  private static final Object[][] QUEUE_METHODS = {
    {TypeAdvice.EnqueueExit.class, "offer", 1, null},
    {TypeAdvice.EnqueueExit.class, "add", 1, null},
    {TypeAdvice.EnqueueExit.class, "put", 1, null},
    {TypeAdvice.EnqueueExit.class, "offer", 3, TimeUnit.class},
    {TypeAdvice.EnqueueExit.class, "offer", 2, Duration.class},
    {TypeAdvice.EnqueueExit.class, "push", 1, null},
    {TypeAdvice.EnqueueExit.class, "addFirst", 1, null},
    {TypeAdvice.EnqueueExit.class, "addLast", 1, null},
    {TypeAdvice.EnqueueExit.class, "offerFirst", 1, null},
    {TypeAdvice.EnqueueExit.class, "offerLast", 1, null},
    {TypeAdvice.EnqueueExit.class, "putFirst", 1, null},
    {TypeAdvice.EnqueueExit.class, "putLast", 1, null},
    {TypeAdvice.EnqueueExit.class, "offerFirst", 3, TimeUnit.class},
    {TypeAdvice.EnqueueExit.class, "offerLast", 3, TimeUnit.class},
    {TypeAdvice.EnqueueExit.class, "offerFirst", 2, Duration.class},
    {TypeAdvice.EnqueueExit.class, "offerLast", 2, Duration.class},
    {TypeAdvice.Dequeue.class, "poll", 0, null},
    {TypeAdvice.Dequeue.class, "take", 0, null},
    {TypeAdvice.Dequeue.class, "remove", 0, null},
    {TypeAdvice.Dequeue.class, "poll", 2, TimeUnit.class},
    {TypeAdvice.Dequeue.class, "poll", 1, Duration.class},
    {TypeAdvice.Dequeue.class, "pop", 0, null},
    {TypeAdvice.Dequeue.class, "pollFirst", 0, null},
    {TypeAdvice.Dequeue.class, "pollLast", 0, null},
    {TypeAdvice.Dequeue.class, "removeFirst", 0, null},
    {TypeAdvice.Dequeue.class, "removeLast", 0, null},
    {TypeAdvice.Dequeue.class, "takeFirst", 0, null},
    {TypeAdvice.Dequeue.class, "takeLast", 0, null},
    {TypeAdvice.Dequeue.class, "pollFirst", 2, TimeUnit.class},
    {TypeAdvice.Dequeue.class, "pollLast", 2, TimeUnit.class},
    {TypeAdvice.Dequeue.class, "pollFirst", 1, Duration.class},
    {TypeAdvice.Dequeue.class, "pollLast", 1, Duration.class},
  };

  private DynamicType.Builder<?> queueAdvice(DynamicType.Builder<?> tb, TypeDescription type) {
    String q = type.getSimpleName();
    for (Object[] m : QUEUE_METHODS) {
      Class<?> timeArg = (Class<?>) m[3];
      ElementMatcher.Junction<MethodDescription> matcher = declared(type, (String) m[1], (Integer) m[2], timeArg);
      if (matcher != null) {
        tb = tb.visit(advice((Class<?>) m[0], site(type, (String) m[1], q + "." + m[1], null), timeArg != null)
            .on(matcher));
      }
    }
    return tb;
  }

  private DynamicType.Builder<?> executorAdvice(DynamicType.Builder<?> tb, TypeDescription type) {
    ElementMatcher.Junction<MethodDescription> matcher = declared(type, "execute", 1, null);
    if (matcher == null) {
      return tb;
    }
    return tb.visit(advice(TypeAdvice.ExecuteExit.class,
        site(type, "execute", type.getSimpleName() + ".execute", null), false).on(matcher));
  }

  /**
   * A matcher for the method if {@code type} declares it with a body, else null (an inherited
   * JDK method stays recorded at its call sites).
   */
  private static ElementMatcher.Junction<MethodDescription> declared(TypeDescription type, String method,
      int arguments, Class<?> timeArg) {
    ElementMatcher.Junction<MethodDescription> m = named(method).and(takesArguments(arguments))
        .and(not(isAbstract()));
    if (timeArg != null) {
      m = m.and(takesArgument(arguments - 1, timeArg));
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
        return PackageFilter.neverTransformed(target.getName());
      }
    };
  }

  /** Counts failures (a class that cannot be advised is left as it was) and tells what it was given. */
  static final class Listener extends AgentBuilder.Listener.Adapter {
    private final Counters counters;
    private final java.util.function.Consumer<String> seen;

    Listener(Counters counters, java.util.function.Consumer<String> seen) {
      this.counters = counters;
      this.seen = seen;
    }

    @Override
    public void onDiscovery(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded) {
      seen.accept(typeName);
    }

    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
        Throwable throwable) {
      counters.transformErrors().incrementAndGet();
      Log.get().warn("transform", "could not advise " + typeName + "; the class runs uninstrumented", throwable);
    }
  }
}
