package dev.racetrace.agent.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racetrace.agent.config.ConfigLoader;
import dev.racetrace.agent.config.GuardConfig;
import dev.racetrace.agent.fixtures.Fixtures;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StaticProbeTest {
  private static final String STORE = Fixtures.MetadataStore.class.getName();

  private static GuardConfig.Probe probe(String spec) throws Exception {
    Properties p = new Properties();
    p.setProperty("racetrace.state", spec);
    return ConfigLoader.load(p, Map.of()).guards().state.get(0);
  }

  @Test
  void readsStaticFieldsMethodsAtomicsAndBooleans() throws Exception {
    Fixtures.MetadataStore.entities = 3;
    assertThat(new StaticProbe(probe("n=" + STORE + "#entities")).getAsLong()).isEqualTo(3);
    assertThat(new StaticProbe(probe("n=" + STORE + "#size")).getAsLong()).isEqualTo(30);
    assertThat(new StaticProbe(probe("n=" + STORE + "#loaded")).getAsLong()).isEqualTo(7);
    Fixtures.MetadataStore.ready = true;
    assertThat(new StaticProbe(probe("n=" + STORE + "#ready")).getAsLong()).isEqualTo(1);
  }

  @Test
  void everyReadSeesTheCurrentValue() throws Exception {
    StaticProbe p = new StaticProbe(probe("n=" + STORE + "#entities"));
    Fixtures.MetadataStore.entities = 1;
    assertThat(p.getAsLong()).isEqualTo(1);
    Fixtures.MetadataStore.entities = 2;
    assertThat(p.getAsLong()).isEqualTo(2);
  }

  @Test
  void aSampledProbeReusesItsValueWithinTheInterval() throws Exception {
    StaticProbe p = new StaticProbe(probe("n=" + STORE + "#entities/10m"));
    Fixtures.MetadataStore.entities = 5;
    assertThat(p.getAsLong()).isEqualTo(5);
    Fixtures.MetadataStore.entities = 6;
    assertThat(p.getAsLong()).as("within the interval: the sampled value").isEqualTo(5);

    StaticProbe fresh = new StaticProbe(probe("n=" + STORE + "#entities/1ms"));
    assertThat(fresh.getAsLong()).isEqualTo(6);
    Fixtures.MetadataStore.entities = 7;
    long deadline = System.nanoTime() + 5_000_000_000L;
    long seen = fresh.getAsLong();
    while (seen != 7 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      seen = fresh.getAsLong();
    }
    assertThat(seen).as("after the interval: read again").isEqualTo(7);
  }

  @Test
  void aValueThatIsNotANumberFailsSoTheRecorderDisablesTheProbe() throws Exception {
    StaticProbe p = new StaticProbe(probe("n=" + STORE + "#name"));
    assertThatThrownBy(p::getAsLong).hasMessageContaining("not a number or boolean");
  }

  /** A probe whose own code fails. */
  static final class Boom {
    static int count() {
      throw new IllegalStateException("secret application detail");
    }
  }

  @Test
  void aThrowingProbeIsReportedOnceByNameAndExceptionClassOnly() throws Exception {
    StaticProbe p = new StaticProbe(probe("boom=" + Boom.class.getName() + "#count"));
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    System.setErr(new java.io.PrintStream(err, true, "UTF-8"));
    try {
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(p::getAsLong).isInstanceOf(IllegalStateException.class);
      }
    } finally {
      System.setErr(saved);
    }
    assertThat(err.toString("UTF-8")).isEqualTo("racetrace: state probe boom=" + Boom.class.getName()
        + "#count threw java.lang.IllegalStateException; it is read without effect on the application and "
        + "disabled after 3 failures (counted as internal errors)" + System.lineSeparator());
  }
}
