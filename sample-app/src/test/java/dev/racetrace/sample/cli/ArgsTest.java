package dev.racetrace.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {
  private static final Set<String> OPTIONS = Set.of("seed", "mode", "reconcile", "keys");
  private static final Set<String> FLAGS = Set.of("reconcile");

  @Test
  void valuesFlagsAndEqualsForm() {
    Args a = Args.parse(List.of("--seed", "-7", "--reconcile", "--mode=fixed"), OPTIONS, FLAGS);
    assertThat(a.longValue("seed", 0)).isEqualTo(-7);
    assertThat(a.bool("reconcile", false)).isTrue();
    assertThat(a.string("mode", "broken")).isEqualTo("fixed");
    assertThat(a.integer("keys", 20, 1, 100)).isEqualTo(20);
  }

  @Test
  void flagTakesAnExplicitBoolean() {
    assertThat(Args.parse(List.of("--reconcile", "false"), OPTIONS, FLAGS).bool("reconcile", true)).isFalse();
  }

  @Test
  void errorsNameTheOptionAndValue() {
    assertThatThrownBy(() -> Args.parse(List.of("--sed", "1"), OPTIONS, FLAGS))
        .hasMessageStartingWith("unknown option --sed (known: keys, mode, reconcile, seed)");
    assertThatThrownBy(() -> Args.parse(List.of("--seed"), OPTIONS, FLAGS))
        .hasMessage("option --seed needs a value");
    assertThatThrownBy(() -> Args.parse(List.of("--keys", "x"), OPTIONS, FLAGS).integer("keys", 1, 1, 9))
        .hasMessage("--keys x: not an integer");
    assertThatThrownBy(() -> Args.parse(List.of("--keys", "99"), OPTIONS, FLAGS).integer("keys", 1, 1, 9))
        .hasMessage("--keys 99: expected 1..9");
    assertThatThrownBy(() -> Args.parse(List.of("stray"), OPTIONS, FLAGS))
        .hasMessage("unexpected argument 'stray'");
  }

  @Test
  void repeatedOptionKeepsTheLastValueAndGivenKeepsTheOrder() {
    Args a = Args.parse(List.of("--mode", "fixed", "--seed=3", "--mode=broken"), OPTIONS, FLAGS);

    assertThat(a.string("mode", "?")).isEqualTo("broken");
    assertThat(a.given()).containsExactly("mode", "seed");
  }

  @Test
  void anOptionIsNotTakenAsTheValueOfAnother() {
    assertThatThrownBy(() -> Args.parse(List.of("--seed", "--mode", "fixed"), OPTIONS, FLAGS))
        .hasMessage("option --seed needs a value");
    assertThatThrownBy(() -> Args.parse(List.of("--sed=1"), OPTIONS, FLAGS))
        .hasMessageStartingWith("unknown option --sed (known: ");
    assertThatThrownBy(() -> Args.parse(List.of("-s"), OPTIONS, FLAGS))
        .hasMessage("unexpected argument '-s'");
    assertThatThrownBy(() -> Args.parse(List.of("@more-args"), OPTIONS, FLAGS))
        .hasMessage("unexpected argument '@more-args'");
    assertThat(Args.parse(List.of("--reconcile", "--seed", "1"), OPTIONS, FLAGS)
        .bool("reconcile", false)).isTrue();
  }
}
