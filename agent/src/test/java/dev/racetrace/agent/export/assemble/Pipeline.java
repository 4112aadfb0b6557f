package dev.racetrace.agent.export.assemble;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.Recorder;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The exporter pipeline (drain, assemble) in-process, without a thread or an exporter, for tests
 * that call hooks directly and assert on the spans.
 */
public final class Pipeline {
  public static final long SETTLE_NANOS = 1_000_000L;

  final Counters counters = new Counters();
  public final List<SpanData> spans = new ArrayList<>();
  final AtomicLong clock = new AtomicLong(1);
  private final ThreadDirectory threads = new ThreadDirectory();
  private final RingDrainer drainer;
  private final SpanAssembler assembler;

  Pipeline() {
    this(OpNames.none());
  }

  Pipeline(OpNames ops) {
    this(ops, java.util.Collections.emptyList());
  }

  /** With ordering rules checked after a settle time of 1 ms of the test clock. */
  public Pipeline(OpNames ops, List<OrderingRule> rules) {
    if (!Recorder.isRecording()) {
      Recorder.start(new Recorder.Settings(1024, 64, 2));
    }
    drainer = new RingDrainer(Recorder.registry(), threads);
    drainAndDiscard();
    assembler = new SpanAssembler(Resource.getDefault(), InstrumentationScopeInfo.create("test"),
        new Ids("node-test", 60_000), new Naming(ops), threads, counters, spans::add, clock::get,
        rules, SETTLE_NANOS);
  }

  /** Links spans to the application's spans read through {@code converter}. */
  void linkAppSpans(java.util.function.Function<Object, io.opentelemetry.api.trace.SpanContext> converter) {
    assembler.linkAppSpans(converter);
  }

  private void drainAndDiscard() {
    drainer.drain(Integer.MAX_VALUE, new ArrayList<>());
  }

  /** Drains everything recorded so far into spans (without flushing open work). */
  List<SpanData> step() {
    List<Long> ended = new ArrayList<>();
    List<Event> events = drainer.drain(Integer.MAX_VALUE, ended);
    events.sort(Comparator.comparingLong(e -> e.seq));
    events.forEach(assembler::accept);
    ended.forEach(assembler::threadEnded);
    assembler.expire();
    return spans;
  }

  /** Drains and closes everything, as at shutdown. */
  public List<SpanData> finish() {
    step();
    assembler.flushAll();
    return spans;
  }

  /** Lets held rule checks run: moves the test clock past the settle time and drains again. */
  public List<SpanData> settle() {
    advanceClockNanos(SETTLE_NANOS + 1);
    return step();
  }

  void advanceClockNanos(long nanos) {
    clock.addAndGet(nanos);
  }

  List<SpanData> named(String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
  }

  List<SpanData> withEvent(String event) {
    return spans.stream().filter(s -> event.equals(s.getAttributes().get(SpanSchema.EVENT)))
        .sorted(Comparator.comparingLong(s -> s.getAttributes().get(SpanSchema.SEQ)))
        .collect(Collectors.toList());
  }

  static long seq(SpanData s) {
    return s.getAttributes().get(SpanSchema.SEQ);
  }

  public static <T> T attr(SpanData s, AttributeKey<T> key) {
    return s.getAttributes().get(key);
  }
}
