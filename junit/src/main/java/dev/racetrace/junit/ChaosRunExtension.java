package dev.racetrace.junit;

import dev.racetrace.core.Clock;
import dev.racetrace.core.Delays;
import dev.racetrace.junit.internal.ForkProtocol;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RepeatedChaos} run in the fork: restarts the agent's jitter with the run's seed before
 * anything of the run happens, and reports the run's seed and time window (on the agent's clock,
 * so the analyzer can cut this run's spans out of the fork's file).
 */
final class ChaosRunExtension implements BeforeEachCallback, AfterEachCallback {
  private final ChaosRun run;
  private final AtomicBoolean failed;

  ChaosRunExtension(ChaosRun run, AtomicBoolean failed) {
    this.run = run;
    this.failed = failed;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Delays.reseed(run.seed());
    context.publishReportEntry(Map.of(ForkProtocol.ENTRY_RUN, Integer.toString(run.index()),
        ForkProtocol.ENTRY_SEED, Long.toString(run.seed()),
        ForkProtocol.ENTRY_FROM, Long.toString(Clock.now())));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    context.publishReportEntry(ForkProtocol.ENTRY_TO, Long.toString(Clock.now()));
    if (context.getExecutionException().isPresent()) {
      failed.set(true);
    }
  }
}
