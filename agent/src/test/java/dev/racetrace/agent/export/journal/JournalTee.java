package dev.racetrace.agent.export.journal;

import dev.racetrace.agent.export.JournalCycle;
import dev.racetrace.agent.export.assemble.Ids;
import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.agent.export.assemble.Pipeline;
import dev.racetrace.agent.export.assemble.SpanAssembler;
import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.InOrderRelease;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One drain feeding both paths: the live one (events decoded and assembled as ExportLoop does) and
 * the journal (records written as racetrace.exporter=journal writes them), so a test can compare
 * the spans live export builds with the spans replayed from the journal, event for event.
 */
public final class JournalTee {
  static final String NODE = "node-tee";
  final List<SpanData> live = new ArrayList<>();
  final AtomicLong clock = new AtomicLong(1);
  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final ThreadDirectory threads = new ThreadDirectory();
  private final RingDrainer drainer;
  private final SpanAssembler assembler;
  private final JournalWriter writer;
  private final Resource resource = Resource.getDefault().merge(Resource.create(
      io.opentelemetry.api.common.Attributes.of(io.opentelemetry.api.common.AttributeKey.stringKey(
          "service.instance.id"), NODE, io.opentelemetry.api.common.AttributeKey.longKey("process.pid"), 42L)));

  private final boolean chunkPerPass;
  private final InOrderRelease order = new InOrderRelease(Integer.MAX_VALUE);
  /** The application span context of each thread, for the live path (racetrace.otel.link). */
  private final Map<Long, Object> appContexts = new HashMap<>();

  /** @param chunkPerPass write a chunk after every pass (as the 1 s flush does when events are sparse) */
  JournalTee(OpNames ops, List<OrderingRule> rules, boolean chunkPerPass) {
    this.chunkPerPass = chunkPerPass;
    if (!Recorder.isRecording()) {
      Recorder.start(new Recorder.Settings(1024, 64, 2));
    }
    drainer = new RingDrainer(Recorder.registry(), threads);
    drainer.drain(Integer.MAX_VALUE, new ArrayList<>()); // what earlier tests left
    InstrumentationScopeInfo scope = InstrumentationScopeInfo.builder("dev.racetrace")
        .setVersion("test").build();
    assembler = new SpanAssembler(resource, scope, new Ids(NODE, 60_000), new Naming(ops), threads,
        new Counters(), live::add, clock::get, rules, Pipeline.SETTLE_NANOS);
    Map<String, String> header = new LinkedHashMap<>();
    header.put(JournalHeader.NODE, NODE);
    header.put(JournalHeader.TRACE_WINDOW_MS, "60000");
    header.put(JournalHeader.RULE_SETTLE_NS, Long.toString(Pipeline.SETTLE_NANOS));
    StringBuilder text = new StringBuilder();
    rules.forEach(r -> text.append(text.length() == 0 ? "" : ";").append(r));
    header.put(JournalHeader.RULES, text.toString());
    header.put(JournalHeader.SCOPE_VERSION, "test");
    JournalHeader.putResource(header, resource);
    writer = new JournalWriter(new JournalWriter.Output() {
      @Override
      public void write(ByteBuffer chunk) {
        bytes.write(chunk.array(), chunk.position(), chunk.remaining());
      }

      @Override
      public void close() {}
    }, new Naming(ops), header, JournalCycle.CHUNK_BYTES);
  }

  /** racetrace.otel.link on both paths: spans link to the application's spans read with {@code converter}. */
  void linkAppSpans(Function<Object, SpanContext> converter) {
    assembler.linkAppSpans(converter);
    writer.linkAppSpans(converter);
  }

  /** One exporter pass on both paths. */
  void step() {
    step(Integer.MAX_VALUE);
  }

  /** One exporter pass on both paths, cut short after {@code max} records as a busy pass is. */
  void step(int max) {
    List<Long> ended = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    Map<Long, Event> last = new HashMap<>();
    writer.beginBatch(clock.get(), dev.racetrace.core.Clock.now(), drainer.dropped(), 0, 0);
    drainer.drainTo(new RingDrainer.RecordSink() {
      @Override
      public void record(long[] longs, Object[] refs, int i, String name) {
        int o = i * EventRing.RECORD_LONGS;
        if ((longs[o + EventRing.META] & 0xFF) == EventKind.STATE) {
          Event parent = last.get(longs[o + EventRing.THREAD]);
          if (parent != null && parent.seq == longs[o + EventRing.HEADER]) {
            parent.addState(longs[o + EventRing.A], longs[o + EventRing.B]);
          }
        } else {
          Event e = Event.decode(longs, refs, i);
          e.threadName = name;
          e.appContext = appContexts.get(e.threadId); // as RingDrainer.drain follows them
          last.put(e.threadId, e);
          events.add(e);
        }
        writer.record(longs, refs, i, name);
      }

      @Override
      public void appContext(long threadId, Object context) {
        appContexts.put(threadId, context);
        writer.appContext(threadId, context);
      }
    }, max, ended);
    writer.watermark(drainer.watermark());
    ended.forEach(writer::threadEnded);
    assemble(events, drainer.watermark(), ended);
    if (chunkPerPass) {
      writer.flushIfOlder(System.nanoTime(), 0);
    }
  }

  /** The live path as ExportLoop runs it: in seq order across passes. */
  private void assemble(List<Event> events, long watermark, List<Long> ended) {
    List<Long> endedNow = new ArrayList<>();
    order.release(events, watermark, ended, endedNow).forEach(assembler::accept);
    endedNow.forEach(assembler::threadEnded);
    assembler.expire();
  }

  /** The last pass, as at shutdown; returns the journal's bytes. */
  byte[] finish() {
    step();
    assemble(new ArrayList<>(), Long.MAX_VALUE, new ArrayList<>());
    assembler.flushAll();
    writer.endRecording(clock.get(), dev.racetrace.core.Clock.now(), drainer.dropped(), 0, 0);
    writer.close();
    return bytes.toByteArray();
  }

  /** The spans replayed from {@code journal}, without the replay's stats span. */
  static List<SpanData> replay(byte[] journal) throws Exception {
    List<SpanData> out = new ArrayList<>();
    new JournalReplay(out::add).replay(new JournalReader("test.rtj", ByteBuffer.wrap(journal)));
    out.removeIf(s -> s.getName().equals(SpanSchema.STATS_SPAN));
    return out;
  }

  /** Everything a backend sees of a span, as one comparable line. */
  public static String describe(SpanData s) {
    StringBuilder b = new StringBuilder();
    b.append(s.getName()).append(' ').append(s.getKind()).append(' ').append(s.getTraceId()).append('/')
        .append(s.getSpanId()).append(" parent=").append(s.getParentSpanId()).append(' ')
        .append(s.getStartEpochNanos()).append('-').append(s.getEndEpochNanos()).append(' ')
        .append(s.getStatus()).append(" attrs=").append(new java.util.TreeMap<>(stringMap(s.getAttributes())))
        .append(" links=");
    s.getLinks().forEach(l -> b.append(l.getSpanContext().getSpanId()).append(stringMap(l.getAttributes())));
    b.append(" events=");
    s.getEvents().forEach(e -> b.append(e.getName()).append(new java.util.TreeMap<>(stringMap(e.getAttributes()))));
    b.append(" resource=").append(new java.util.TreeMap<>(stringMap(s.getResource().getAttributes())));
    b.append(" scope=").append(s.getInstrumentationScopeInfo().getName());
    return b.toString();
  }

  private static Map<String, String> stringMap(io.opentelemetry.api.common.Attributes a) {
    Map<String, String> m = new HashMap<>();
    a.forEach((k, v) -> m.put(k.getKey() + ":" + k.getType(), String.valueOf(v)));
    return m;
  }
}
