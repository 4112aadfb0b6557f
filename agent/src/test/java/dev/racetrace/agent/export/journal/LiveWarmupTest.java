package dev.racetrace.agent.export.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.export.assemble.Ids;
import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.agent.export.assemble.SpanAssembler;
import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.ThreadNames;
import dev.racetrace.core.buffer.RingRegistry;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Live export's warm-up runs the real path (drain, journal copy, decode, hold, assembly) on records
 * of its own, well-formed enough that the assembler matches every one of them, and takes nothing
 * of the recording: the thread names the recording's drainer is owed are still there afterwards.
 */
class LiveWarmupTest {
  @Test
  void itsRecordsAreAssembledIntoSpansWithNothingUnmatchedOrDropped() {
    List<SpanData> spans = new ArrayList<>();
    Counters counters = new Counters();
    SpanAssembler assembler = new SpanAssembler(Resource.empty(), InstrumentationScopeInfo.create("warm"),
        new Ids("warm", 60_000), new Naming(OpNames.none(), LiveWarmup.NO_SYMBOLS), new ThreadDirectory(), counters,
        spans::add, System::nanoTime, List.of(), 0);

    assertThat(LiveWarmup.run(assembler)).as("events assembled").isEqualTo(5L * LiveWarmup.HAND_OFFS);
    Set<String> kinds = spans.stream().map(s -> s.getAttributes().get(SpanSchema.EVENT)).collect(Collectors.toSet());
    assertThat(kinds).contains("queue.enqueue", "queue.dequeue", "task.submit", "task.start");
    assertThat(counters.unmatchedDequeues().get()).as("every dequeue met its enqueue").isZero();
    assertThat(counters.droppedState().get()).isZero();
    assertThat(counters.exporterErrors().get()).isZero();
  }

  @Test
  void theThreadNamesOwedToTheRecordingsDrainerAreLeftToIt() throws Exception {
    // what the recorder publishes for a thread writing to a shared ring (a virtual thread)
    Method publish = ThreadNames.class.getDeclaredMethod("publish", long.class, String.class, boolean.class);
    publish.setAccessible(true);
    long id = 4_000_000_017L;
    publish.invoke(null, id, "virtual-worker-17", true);

    LiveWarmup.run(new SpanAssembler(Resource.empty(), InstrumentationScopeInfo.create("warm"), new Ids("warm", 60_000),
        new Naming(OpNames.none(), LiveWarmup.NO_SYMBOLS), new ThreadDirectory(), new Counters(), s -> { },
        System::nanoTime, List.of(), 0));

    ThreadDirectory recordingsNames = new ThreadDirectory();
    new RingDrainer(new RingRegistry(), recordingsNames).drain(Integer.MAX_VALUE, new ArrayList<>());
    assertThat(recordingsNames.nameOf(id)).isEqualTo("virtual-worker-17");
  }
}
