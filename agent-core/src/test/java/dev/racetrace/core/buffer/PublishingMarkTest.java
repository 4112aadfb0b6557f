package dev.racetrace.core.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The mark an owned ring keeps while its owner is inside a publishing call (an enqueue, a submit, a
 * signal): the exporter must not assemble a later seq before the call's own record is written.
 */
class PublishingMarkTest {
  private static final long HOLD = 100;

  @Test
  void aMarkHoldsLaterSeqsBackUntilItsRecordIsWritten() {
    EventRing ring = new EventRing(8, false, 1, "t");
    assertThat(ring.publishingBound(0, HOLD)).isEqualTo(Long.MAX_VALUE);
    ring.beginPublishing(40);
    assertThat(ring.publishingBound(0, HOLD)).isEqualTo(39);
    ring.publishingReturned(40);
    assertThat(ring.publishingBound(1, HOLD)).isEqualTo(39);
    ring.write(40, 1, 0, 1, 0, 0, 0, 0, null, null);
    ring.endPublishing(40);
    assertThat(ring.publishingBound(2, HOLD)).isEqualTo(Long.MAX_VALUE);
    assertThat(ring.headSeq()).as("the record is there once the mark is gone").isEqualTo(40);
  }

  @Test
  void theOutermostCallsMarkStandsThroughANestedOne() {
    EventRing ring = new EventRing(8, false, 1, "t");
    ring.beginPublishing(10); // an executor's execute
    ring.beginPublishing(11); // the offer to its queue inside it
    ring.publishingReturned(11);
    ring.endPublishing(11);
    assertThat(ring.publishingBound(0, HOLD)).isEqualTo(9);
    ring.publishingReturned(10);
    ring.endPublishing(10);
    assertThat(ring.publishingBound(0, HOLD)).isEqualTo(Long.MAX_VALUE);
    ring.beginPublishing(12);
    assertThat(ring.publishingBound(0, HOLD)).as("a new call marks again").isEqualTo(11);
  }

  @Test
  void aMarkStandingLongerThanTheHoldIsPassedOverUntilItsCallReturns() {
    EventRing ring = new EventRing(8, false, 1, "t");
    ring.beginPublishing(7); // a put blocked on a full queue
    assertThat(ring.publishingBound(1_000, HOLD)).isEqualTo(6);
    assertThat(ring.publishingBound(1_099, HOLD)).isEqualTo(6);
    assertThat(ring.publishingBound(1_100, HOLD)).as("blocked past the hold").isEqualTo(Long.MAX_VALUE);
    ring.publishingReturned(7); // the element is in the queue now: its record must come first
    assertThat(ring.publishingBound(5_000, HOLD)).isEqualTo(6);
    ring.publishingReturned(7);
    assertThat(ring.publishingBound(5_050, HOLD)).as("renewed once, not toggled back").isEqualTo(6);
    ring.endPublishing(7);
    assertThat(ring.publishingBound(5_060, HOLD)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aSharedRingKeepsNoMark() {
    EventRing ring = new EventRing(8, true, -1, null);
    ring.beginPublishing(5);
    assertThat(ring.publishingBound(0, HOLD)).isEqualTo(Long.MAX_VALUE);
  }
}
