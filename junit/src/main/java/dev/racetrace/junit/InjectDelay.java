package dev.racetrace.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@code racetrace.delay} rule for a {@link RaceTrace} test: the agent in the fork waits the
 * given time at that exact point, e.g. {@code @InjectDelay("op:load-metadata=20ms~300ms")} (when a
 * {@code load-metadata} operation starts processing, 20 ms plus a seeded random 0..300 ms) or
 * {@code @InjectDelay("site:com.acme.Node#apply:57=5ms@0.5")}. Repeatable; the class's rules and
 * the method's add up. The syntax is the agent's ({@code docs/configuration.md}); a malformed
 * rule fails the test with the agent's one-line message.
 *
 * <p>The jitter's seed is {@code racetrace.delay.seed}: {@link RepeatedChaos} sets a new one per
 * run; otherwise the extension picks one and prints it when the test fails.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(InjectDelays.class)
public @interface InjectDelay {
  /** The rule, as in {@code racetrace.delay}. */
  String value();
}
