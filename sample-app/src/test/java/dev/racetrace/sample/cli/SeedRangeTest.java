package dev.racetrace.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeedRangeTest {
  @Test
  void singleRangeAndList() {
    assertThat(SeedRange.parse("42")).containsExactly(42L);
    assertThat(SeedRange.parse("1..4")).containsExactly(1L, 2L, 3L, 4L);
    assertThat(SeedRange.parse("1..2, 9")).containsExactly(1L, 2L, 9L);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> SeedRange.parse("5..1")).hasMessageContaining("bad range 5..1");
    assertThatThrownBy(() -> SeedRange.parse("a")).hasMessageContaining("'a' is not a seed");
    assertThatThrownBy(() -> SeedRange.parse(" ")).hasMessage("--seeds: empty");
  }
}
