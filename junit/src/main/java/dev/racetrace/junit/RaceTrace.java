package dev.racetrace.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test (or every test of the annotated class) in a forked JVM started with
 * {@code -javaagent:racetrace-agent.jar} and the racetrace configuration given here, so the code
 * under test is instrumented exactly as in production: from class loading on, with no class
 * already loaded before the agent. The test's outcome (its exception, unchanged) is reported by
 * the test in this JVM; on failure the message adds the analyzer's first ordering break and where
 * the spans are.
 *
 * <p>The attributes map one to one to agent keys ({@code docs/configuration.md}); each array is
 * joined with the separator that key uses. Nothing else of the environment's racetrace
 * configuration ({@code RACETRACE_*}, {@code racetrace.*} system properties of this JVM) reaches
 * the fork: the annotation is the whole configuration. A method annotation replaces the class
 * annotation.
 *
 * <p>Not to be confused with {@code dev.racetrace.api.RaceTrace}, the application API.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(RaceTraceExtension.class)
public @interface RaceTrace {
  /** {@code racetrace.include}: packages to instrument. */
  String[] include();

  /** {@code racetrace.exclude}: packages left out. */
  String[] exclude() default {};

  /** {@code racetrace.rules}, e.g. {@code "load-metadata < derive < publish per key"}. */
  String[] rules() default {};

  /** {@code racetrace.keys}, e.g. {@code "com.acme.Order#id"}. */
  String[] keys() default {};

  /** {@code racetrace.ops}, e.g. {@code "com.acme.LoadMetadata=load-metadata"}. */
  String[] ops() default {};

  /** {@code racetrace.state}, e.g. {@code "metadata.entities=com.acme.Store#entities"}. */
  String[] state() default {};

  /** {@code racetrace.guards.flags}, e.g. {@code "com.acme.Node#ready"}. */
  String[] flags() default {};

  /** Any other agent or OpenTelemetry setting, as {@code key=value} system properties. */
  String[] properties() default {};

  /** Extra JVM options of the fork, e.g. {@code "-Xmx256m"}. */
  String[] jvmArgs() default {};
}
