package dev.racetrace.agent.export.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadNames;
import org.junit.jupiter.api.Test;

/** The warm-up before the first journal pass encodes its own records and touches nothing shared. */
class JournalWarmupTest {
  @Test
  void encodesEverySyntheticRecordIntoItsOwnWriter() {
    assertThat(JournalWarmup.run()).isEqualTo(JournalWarmup.RECORDS);
  }

  @Test
  void leavesTheRecorderTheRingsAndTheThreadNamesAlone() {
    int rings = Recorder.registry().entries().length;
    long seq = Recorder.currentSeq();
    long wakes = Recorder.registry().wake().wakes();
    while (ThreadNames.poll() != null) {
      // what other tests left: the assertion below is about what the warm-up queues
    }
    JournalWarmup.run();
    assertThat(Recorder.registry().entries()).hasSize(rings);
    assertThat(Recorder.currentSeq()).isEqualTo(seq);
    assertThat(Recorder.registry().wake().wakes()).isEqualTo(wakes);
    assertThat(ThreadNames.poll()).as("no thread name queued for the real drain").isNull();
  }
}
