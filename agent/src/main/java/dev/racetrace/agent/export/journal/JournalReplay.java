package dev.racetrace.agent.export.journal;

import static dev.racetrace.agent.export.journal.JournalFormat.APP_CONTEXT;
import static dev.racetrace.agent.export.journal.JournalFormat.BATCH;
import static dev.racetrace.agent.export.journal.JournalFormat.EVENT;
import static dev.racetrace.agent.export.journal.JournalFormat.PROBE;
import static dev.racetrace.agent.export.journal.JournalFormat.SITE;
import static dev.racetrace.agent.export.journal.JournalFormat.STATE;
import static dev.racetrace.agent.export.journal.JournalFormat.STRING;
import static dev.racetrace.agent.export.journal.JournalFormat.THREAD;
import static dev.racetrace.agent.export.journal.JournalFormat.THREAD_END;
import static dev.racetrace.agent.export.journal.JournalFormat.WATERMARK;

import dev.racetrace.agent.config.ConfigException;
import dev.racetrace.agent.config.ConfigKey;
import dev.racetrace.agent.config.GuardConfig;
import dev.racetrace.agent.export.assemble.Ids;
import dev.racetrace.agent.export.assemble.Losses;
import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.agent.export.assemble.RaceSpan;
import dev.racetrace.agent.export.assemble.SpanAssembler;
import dev.racetrace.agent.export.assemble.SpanSchema;
import dev.racetrace.agent.export.assemble.StatsSpans;
import dev.racetrace.agent.export.assemble.Symbols;
import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.InOrderRelease;
import dev.racetrace.agent.export.drain.StateFollowers;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.core.site.CallSite;
import dev.racetrace.schema.OrderingRule;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns one node's journal back into the events the live exporter would have drained, and runs
 * them through the same {@link SpanAssembler}: each exporter pass recorded in the journal is one
 * batch, ordered by seq across batches as the live exporter orders it (events above a batch's
 * watermark wait for a later one, {@link InOrderRelease}), with the assembler's clock set to the
 * recorded pass time. So the spans (names, attributes, links, causal ids, rule violations) are the
 * ones live export builds from the same records, links to the application's spans
 * (racetrace.otel.link) included.
 *
 * <p>Over 300 lines because reading a chunk's records (events, pools, passes, watermarks, thread
 * ends, a flight dump's header) and replaying them pass by pass are one sequence over the same
 * per-chunk state; the pools and the assembly it calls live in their own classes.
 */
public final class JournalReplay {
  private final Consumer<SpanData> out;
  private final Counters counters = new Counters();
  private SpanAssembler assembler;
  private Ids ids;
  private Resource resource;
  private InstrumentationScopeInfo scope;
  private long clock;
  private boolean inBatch;
  private final List<Event> batch = new ArrayList<>();
  private final List<Long> ended = new ArrayList<>();
  /** Events of a pass above its watermark wait for later passes, as in the live exporter. */
  private final InOrderRelease order = new InOrderRelease(2 * JournalWriter.MAX_JOURNAL_RECORDS_PER_CYCLE);
  private long watermark = Long.MAX_VALUE;
  private final StateFollowers states = new StateFollowers();
  private final Map<Long, String> threadNames = new HashMap<>();
  private final Map<Long, SpanContext> appContexts = new HashMap<>();
  private final Map<Integer, CallSite> sites = new HashMap<>();
  private final Map<Integer, String> probes = new HashMap<>();
  private final List<String> strings = new ArrayList<>();
  private long events;
  private long spans;
  private long dropped;
  private long internalErrors;
  private long lostLinks;
  private long lastEpochNanos;

  private final Symbols symbols = new Symbols() {
    @Override
    public CallSite site(int id) {
      CallSite s = sites.get(id);
      return s != null ? s : NO_SITE;
    }

    @Override
    public String probeName(int index) {
      return probes.get(index);
    }
  };
  private static final CallSite NO_SITE = CallSite.of(0, "", "", -1, "", null);

  public JournalReplay(Consumer<SpanData> out) {
    this.out = span -> {
      spans++;
      out.accept(span);
    };
  }

  /** Replays every intact chunk of {@code reader}, then closes all open work as a shutdown does. */
  public void replay(JournalReader reader) throws JournalReader.NotAJournal, ConfigException {
    chunks(reader);
    finish();
  }

  /**
   * Replays the parts of one node's journal in order as one recording, then ends it; each part's
   * damage (a chunk cut by a crash) is one warning line on {@code err}.
   */
  void replayParts(List<java.nio.file.Path> parts, java.io.PrintStream err)
      throws java.io.IOException, ConfigException {
    for (java.nio.file.Path part : parts) {
      JournalReader reader = JournalReader.open(part);
      chunks(reader);
      String damage = reader.damage();
      if (damage != null) {
        err.println("racetrace: warning: " + damage);
      }
    }
    finish();
  }

  /**
   * Replays every intact chunk of {@code reader} and leaves open work open: the next part of a
   * rotated journal goes on from here; {@link #finish} ends the recording.
   */
  void chunks(JournalReader reader) throws JournalReader.NotAJournal, ConfigException {
    for (JournalReader.Chunk c; (c = reader.next()) != null; ) {
      chunk(c);
    }
  }

  void chunk(JournalReader.Chunk c) throws ConfigException {
    if (assembler == null) {
      start(c.header);
    }
    String reason = c.header.get(JournalHeader.FLIGHT_REASON);
    if (reason != null) {
      flightDump(c, reason);
    }
    String rotated = c.header.get(JournalHeader.ROTATED_EVENTS);
    if (rotated != null) {
      counters.outRotatedEvents().accumulateAndGet(Long.parseLong(rotated), Math::max);
    }
    strings.clear();
    ByteBuffer b = c.body;
    while (b.hasRemaining()) {
      byte tag = b.get();
      switch (tag) {
        case EVENT:
          event(b);
          break;
        case STRING: {
          int id = b.getInt();
          int n = b.getShort() & 0xFFFF;
          byte[] bytes = new byte[n];
          b.get(bytes);
          while (strings.size() <= id) {
            strings.add(null);
          }
          strings.set(id, new String(bytes, StandardCharsets.UTF_8));
          break;
        }
        case SITE: {
          int id = b.getInt();
          String cls = str(b.getInt());
          String method = str(b.getInt());
          int line = b.getInt();
          String target = str(b.getInt());
          String receiver = str(b.getInt());
          sites.put(id, CallSite.of(id, orEmpty(cls), orEmpty(method), line, orEmpty(target), receiver));
          break;
        }
        case PROBE: {
          int index = b.getInt();
          probes.put(index, str(b.getInt()));
          break;
        }
        case STATE: {
          long threadId = b.getLong();
          long seq = b.getLong();
          int probe = b.getInt();
          long value = b.getLong();
          states.attach(threadId, seq, probe, value);
          break;
        }
        case THREAD: {
          long threadId = b.getLong();
          threadNames.put(threadId, str(b.getInt()));
          break;
        }
        case BATCH:
          endBatch();
          clock = b.getLong();
          lastEpochNanos = b.getLong();
          dropped = b.getLong();
          internalErrors = b.getLong();
          lostLinks = b.getLong();
          inBatch = true;
          assembler.expire(); // the live exporter's passes in between that found nothing
          break;
        case THREAD_END: {
          long threadId = b.getLong();
          appContexts.remove(threadId);
          ended.add(threadId);
          inBatch = true;
          break;
        }
        case WATERMARK:
          watermark = b.getLong();
          break;
        case APP_CONTEXT:
          appContext(b);
          break;
        default:
          throw new IllegalStateException("unknown record tag " + tag + " at " + (b.position() - 1));
      }
    }
  }

  private void event(ByteBuffer b) {
    Event e = new Event();
    e.kind = b.get() & 0xFF;
    e.outcome = b.get() & 0xFF;
    b.get();
    int small = b.getShort() & 0xFFFF;
    b.getShort();
    e.seq = b.getLong();
    e.time = b.getLong();
    e.threadId = b.getLong();
    e.site = b.getInt();
    e.objId = b.getInt();
    e.elemId = b.getInt();
    e.key = str(b.getInt());
    long a = b.getLong();
    long slotB = b.getLong();
    long c = b.getLong();
    e.slots(small, a, slotB, c);
    e.aux = str(b.getInt());
    e.threadName = threadNames.get(e.threadId);
    e.appContext = appContexts.get(e.threadId);
    states.follow(e);
    batch.add(e);
    inBatch = true; // records whose BATCH was in a lost chunk still form a pass
    events++;
  }

  /** A thread's application span from here on (racetrace.otel.link), as the live drain notes it. */
  private void appContext(ByteBuffer b) {
    long threadId = b.getLong();
    byte[] traceId = new byte[16];
    byte[] spanId = new byte[8];
    b.get(traceId).get(spanId);
    byte flags = b.get();
    SpanContext context = SpanContext.create(TraceId.fromBytes(traceId), SpanId.fromBytes(spanId),
        TraceFlags.fromByte(flags), TraceState.getDefault());
    if (context.isValid()) {
      appContexts.put(threadId, context);
    } else {
      appContexts.remove(threadId);
    }
  }

  private String lastFlightDump;

  /**
   * A flight dump's first chunk: the {@code racetrace.flight.dump} span that says why it was written,
   * as the span ring's dumps begin with (once per dump, should its marker chunk be read twice).
   */
  private void flightDump(JournalReader.Chunk c, String reason) {
    String dump = c.header.getOrDefault(JournalHeader.FLIGHT_DUMP, "1");
    if (dump.equals(lastFlightDump)) {
      return;
    }
    lastFlightDump = dump;
    lastFlightReason = reason;
    long n = number(c.header.get(JournalHeader.FLIGHT_DUMP));
    io.opentelemetry.api.common.Attributes a = io.opentelemetry.api.common.Attributes.builder()
        .put(SpanSchema.EVENT, "flight.dump")
        .put(SpanSchema.FLIGHT_REASON, reason)
        .put(SpanSchema.FLIGHT_EVENTS, number(c.header.get(JournalHeader.FLIGHT_EVENTS)))
        .put(SpanSchema.FLIGHT_DROPPED_EVENTS, number(c.header.get(JournalHeader.FLIGHT_DROPPED_EVENTS)))
        .put(SpanSchema.FLIGHT_SUPPRESSED, number(c.header.get(JournalHeader.FLIGHT_SUPPRESSED)))
        .build();
    out.accept(new RaceSpan(SpanSchema.FLIGHT_DUMP_SPAN, io.opentelemetry.api.trace.SpanKind.INTERNAL,
        Ids.context(ids.chainTrace(0), ids.spanId(n, 0x7E)), io.opentelemetry.api.trace.SpanContext.getInvalid(),
        io.opentelemetry.sdk.trace.data.StatusData.unset(), c.anchorEpochNanos, c.anchorEpochNanos, a,
        java.util.Collections.emptyList(), null, resource, scope));
  }

  private static long number(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The reason of the flight dump replayed, or null when the journal is no flight dump. */
  public String flightReason() {
    return lastFlightReason;
  }

  private String lastFlightReason;

  /** Assembles one exporter pass, as ExportLoop does. */
  private void endBatch() {
    if (!inBatch) {
      return;
    }
    assemble(watermark);
    batch.clear();
    ended.clear();
    states.clear();
    watermark = Long.MAX_VALUE;
    inBatch = false;
  }

  /** Assembles what {@link #order} releases of the pass's events and the ones it held. */
  private void assemble(long upTo) {
    List<Long> endedNow = new ArrayList<>();
    for (Event e : order.release(batch, upTo, ended, endedNow)) {
      assembler.accept(e);
    }
    for (Long id : endedNow) {
      assembler.threadEnded(id);
    }
    assembler.expire();
  }

  /** Everything open is closed and emitted, and a stats span says what the recording lost. */
  void finish() {
    if (assembler == null) {
      return;
    }
    endBatch();
    if (order.held() > 0) {
      assemble(Long.MAX_VALUE); // the recording ended: nothing earlier can come
    }
    assembler.flushAll();
    out.accept(StatsSpans.statsSpan(ids, resource, scope, 1, lastEpochNanos, dropped, spans,
        counters.unmatchedDequeues().get(), internalErrors, 0, lostLinks, Losses.of(counters)));
  }

  private void start(Map<String, String> header) throws ConfigException {
    String node = header.getOrDefault(JournalHeader.NODE, "unknown");
    long window = Long.parseLong(header.getOrDefault(JournalHeader.TRACE_WINDOW_MS, "60000"));
    long settle = Long.parseLong(header.getOrDefault(JournalHeader.RULE_SETTLE_NS, "200000000"));
    List<OrderingRule> rules = new ArrayList<>();
    String text = header.getOrDefault(JournalHeader.RULES, "");
    for (String r : text.split(";")) {
      if (!r.isBlank()) {
        rules.add(GuardConfig.parseRule(ConfigKey.RULES.key(), text, r));
      }
    }
    ids = new Ids(node, window);
    resource = JournalHeader.resource(header);
    scope = InstrumentationScopeInfo.builder("dev.racetrace")
        .setVersion(header.getOrDefault(JournalHeader.SCOPE_VERSION, "unknown")).build();
    assembler = new SpanAssembler(resource, scope, ids, new Naming(OpNames.none(), symbols),
        new ThreadDirectory(), counters, out, () -> clock, rules, settle);
    assembler.linkAppSpans(context -> (SpanContext) context); // the journaled ones (appContext)
  }

  private String str(int ref) {
    if (ref < 0 || ref >= strings.size()) {
      return null;
    }
    return strings.get(ref);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  public long events() {
    return events;
  }

  long spans() {
    return spans;
  }
}
