package dev.racetrace.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racetrace.junit.RepeatedChaos;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ChaosPlanTest {
  /** Annotated methods to read, not to run (tagged so that no test pattern runs them). */
  @Tag("scenario")
  static final class Samples {
    @RepeatedChaos(runs = 5, seed = 7)
    void fixed() {}

    @RepeatedChaos(runs = 3)
    void random() {}

    @RepeatedChaos(runs = 0, seed = 1)
    void none() {}
  }

  private static RepeatedChaos chaos(String method) throws NoSuchMethodException {
    Method m = Samples.class.getDeclaredMethod(method);
    return m.getAnnotation(RepeatedChaos.class);
  }

  @Test
  void aChainStartedAtAnyRunsSeedBeginsWithThatRun() {
    long first = 7;
    for (int i = 1; i <= 10; i++) {
      long seed = ChaosSeeds.ofRun(first, i);
      assertThat(ChaosSeeds.ofRun(seed, 1)).isEqualTo(seed);
      assertThat(ChaosSeeds.ofRun(seed, 2)).isEqualTo(ChaosSeeds.ofRun(first, i + 1));
    }
    assertThat(ChaosSeeds.next(7)).isNotEqualTo(7).isNotEqualTo(ChaosSeeds.next(8));
  }

  @Test
  void theAnnotationGivesRunsAndFirstSeed() throws Exception {
    assertThat(ChaosPlan.resolve(chaos("fixed"), null)).isEqualTo(new ChaosPlan(5, 7, false));
    ChaosPlan r = ChaosPlan.resolve(chaos("random"), null);
    assertThat(r.runs()).isEqualTo(3);
    assertThat(r.firstSeed()).isNotEqualTo(RepeatedChaos.RANDOM);
  }

  @Test
  void theReplayPropertyMakesOneRunWithThatSeed() throws Exception {
    assertThat(ChaosPlan.resolve(chaos("fixed"), " -12345 ")).isEqualTo(new ChaosPlan(1, -12345, true));
    assertThatThrownBy(() -> ChaosPlan.resolve(chaos("fixed"), "12x"))
        .hasMessage("racetrace.chaos.replay=12x: not a long");
  }

  @Test
  void fewerThanOneRunIsRefused() {
    assertThatThrownBy(() -> ChaosPlan.resolve(chaos("none"), null))
        .hasMessage("@RepeatedChaos(runs = 0): runs must be at least 1");
  }
}
