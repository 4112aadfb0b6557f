package dev.racetrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The live assembler's slice: sized so that a pass takes about {@link AssemblySlice#SLICE_NANOS}
 * whether the assembly runs cold (at start) or compiled, so the drain is never held for long.
 */
class AssemblySliceTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void atStartTheSliceAssumesAColdAssembler() {
    AssemblySlice slice = new AssemblySlice(16_384, 100 * MS);
    assertThat(slice.events()).isEqualTo((int) (AssemblySlice.SLICE_NANOS / AssemblySlice.COLD_NANOS_PER_EVENT));
  }

  @Test
  void theSliceGrowsAsPassesGetFasterUpToTheCyclesLimit() {
    AssemblySlice slice = new AssemblySlice(4_096, 100 * MS);
    int before = slice.events();
    slice.passed(1_000, MS); // 1 µs per event
    assertThat(slice.events()).isGreaterThan(before);
    for (int i = 0; i < 30; i++) {
      slice.passed(1_000, MS);
    }
    // 5 ms at 1 µs per event would be 5,000: the cycle's limit holds
    assertThat(slice.events()).isEqualTo(4_096);
  }

  @Test
  void aSlowPassShrinksTheSliceToItsFloorAndItRecovers() {
    AssemblySlice slice = new AssemblySlice(16_384, 100 * MS);
    slice.passed(64, 150 * MS); // the first export, cold: over 2 ms per event
    assertThat(slice.events()).isEqualTo(AssemblySlice.MIN_EVENTS);
    for (int i = 0; i < 20; i++) {
      slice.passed(slice.events(), slice.events() * 2_000L); // 2 µs per event
    }
    assertThat(slice.events()).isBetween(2_000, 2_600); // about 5 ms / 2 µs
  }

  @Test
  void aPassThatAssembledNothingTeachesNothing() {
    AssemblySlice slice = new AssemblySlice(16_384, 100 * MS);
    int before = slice.events();
    slice.passed(0, 50 * MS);
    assertThat(slice.events()).isEqualTo(before);
  }

  @Test
  void spansAreSentOncePerIntervalNotAfterEverySlice() {
    AssemblySlice slice = new AssemblySlice(16_384, 100 * MS);
    long t = 1_000 * MS;
    assertThat(slice.sendDue(t)).as("the first pass sends").isTrue();
    assertThat(slice.sendDue(t + 40 * MS)).isFalse();
    assertThat(slice.sendDue(t + 99 * MS)).isFalse();
    assertThat(slice.sendDue(t + 100 * MS)).isTrue();
    assertThat(slice.sendDue(t + 150 * MS)).isFalse();
  }
}
