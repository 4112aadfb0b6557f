package dev.racetrace.junit;

import dev.racetrace.junit.internal.ForkProtocol;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * The extension behind {@link RaceTrace} (registered by it; not used directly). In the test JVM it
 * runs each annotated test in a forked JVM with the agent, and reports the fork's outcome as the
 * test's; in the fork it lets the test run. The test's {@code @BeforeEach}/{@code @AfterEach}
 * methods (and {@code @BeforeAll}/{@code @AfterAll} when the class is annotated) run in the fork
 * only.
 *
 * <p>Why a fork and not the agent attached to the running test JVM: a fork is exact. The agent
 * starts as in production, before any class of the code under test is loaded, with exactly the
 * annotation's configuration (which the agent reads once, at start), and its recorder is the only
 * copy of agent-core in the JVM. Attaching to the test JVM instead would have to retransform
 * classes already loaded, could not change the configuration between tests, and would leave the
 * application's own copy of {@code dev.racetrace.api.RaceTrace} (already loaded from the class
 * path) disconnected from the recorder. {@link RepeatedChaos} pays the start-up once for all its
 * runs.
 */
public final class RaceTraceExtension implements InvocationInterceptor {

  @Override
  public void interceptTestMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
    run(invocation, context);
  }

  @Override
  public void interceptTestTemplateMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
    run(invocation, context);
  }

  @Override
  public void interceptBeforeEachMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
    proceedInFork(invocation, raceTrace(context).isPresent());
  }

  @Override
  public void interceptAfterEachMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
    proceedInFork(invocation, raceTrace(context).isPresent());
  }

  @Override
  public void interceptBeforeAllMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
    proceedInFork(invocation, raceTrace(context).isPresent());
  }

  @Override
  public void interceptAfterAllMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
    proceedInFork(invocation, raceTrace(context).isPresent());
  }

  /** Lifecycle methods of forked tests run in the fork, not here. */
  private static void proceedInFork(Invocation<Void> invocation, boolean forked) throws Throwable {
    if (forked && !ForkProtocol.inFork()) {
      invocation.skip();
    } else {
      invocation.proceed();
    }
  }

  private static void run(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
    Optional<RaceTrace> trace = raceTrace(context);
    if (trace.isEmpty()) {
      invocation.proceed();
      return;
    }
    if (ForkProtocol.inFork()) {
      if (!dev.racetrace.api.RaceTrace.isActive()) {
        invocation.skip();
        throw new AssertionFailedError("racetrace-junit: the racetrace agent is not recording in the "
            + "forked JVM (see its 'racetrace:' line in the output); the test did not run");
      }
      invocation.proceed();
      return;
    }
    invocation.skip();
    new ForkedTest(context, trace.get()).runAndReport();
  }

  /** The {@link RaceTrace} on the test method, else on its class or an enclosing one. */
  static Optional<RaceTrace> raceTrace(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<AnnotatedElement> e = c.get().getElement();
      if (e.isPresent()) {
        Optional<RaceTrace> found = AnnotationSupport.findAnnotation(e.get(), RaceTrace.class);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  /** {@link InjectDelay} rules of the enclosing classes, the class, then the method. */
  static List<String> delays(ExtensionContext context) {
    List<List<String>> levels = new ArrayList<>();
    AnnotatedElement previous = null;
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<AnnotatedElement> e = c.get().getElement();
      // A template invocation and its template share the method: count its rules once.
      if (e.isPresent() && !e.get().equals(previous)) {
        previous = e.get();
        List<String> rules = new ArrayList<>();
        AnnotationSupport.findRepeatableAnnotations(e.get(), InjectDelay.class).forEach(d -> rules.add(d.value()));
        levels.add(rules);
      }
    }
    Collections.reverse(levels);
    List<String> all = new ArrayList<>();
    levels.forEach(all::addAll);
    return all;
  }
}
