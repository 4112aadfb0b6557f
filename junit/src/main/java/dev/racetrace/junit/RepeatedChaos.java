package dev.racetrace.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Repeats a {@link RaceTrace} test {@link #runs} times in one forked JVM, each run with its own
 * jitter seed for the {@link InjectDelay} rules, and stops at the first failing run. The test
 * fails with the failing run's seed, how to replay it, and the analyzer's first ordering break
 * in that run's spans.
 *
 * <p>Seeds: run 1 uses {@link #seed}, each next run the previous run's seed mixed once
 * ({@code ChaosSeeds.next}). So a printed seed replays exactly with
 * {@code @RepeatedChaos(runs = 1, seed = <printed>)}, or without a code change with
 * {@code -Dracetrace.chaos.replay=<printed>} (every selected {@code @RepeatedChaos} test then runs
 * that one seed). Exact means: the same delay at the same occurrence of each rule and the same
 * {@link ChaosRun#seed()} for the test's own random choices; thread scheduling is not replayed.
 *
 * <p>A test method may declare a {@link ChaosRun} parameter to read its run's seed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@TestTemplate
@ExtendWith(RepeatedChaosExtension.class)
public @interface RepeatedChaos {
  /** {@link #seed} value meaning: a new random seed for every build, printed at the start. */
  long RANDOM = Long.MIN_VALUE;

  /** How many runs, at least 1. */
  int runs();

  /** The first run's seed; {@link #RANDOM} by default. */
  long seed() default RANDOM;
}
