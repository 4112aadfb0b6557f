package dev.racetrace.agent.export.assemble;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.site.CallSite;
import dev.racetrace.schema.SchemaNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Builds the assembler's spans: the attributes every span of an event carries, the one choice of
 * trace id, the parent within a trace, the status from the outcome, and the link to the
 * application's span current at the event (racetrace.otel.link). Exporter thread only.
 */
final class SpanFactory {
  private static final SpanContext NO_PARENT = SpanContext.getInvalid();
  private static final Attributes APP_LINK = Attributes.of(SpanSchema.LINK, SchemaNames.LINK_APP);

  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final Ids ids;
  private final Naming naming;
  private final ThreadDirectory threadNames;
  private final Consumer<SpanData> sink;
  /** Reused for every span's attributes (a fresh one if a span is built while another is). */
  private final SpanAttributes.Builder attributeBuilder = SpanAttributes.reusableBuilder();
  @SuppressWarnings("unchecked")
  private AttributeKey<Long>[] stateKeys = new AttributeKey[0];
  private Function<Object, SpanContext> appSpans;
  /** The application span context of the event being turned into spans (racetrace.otel.link). */
  private Object appContext;
  private final boolean checkOnly;

  SpanFactory(Resource resource, InstrumentationScopeInfo scope, Ids ids, Naming naming,
      ThreadDirectory threadNames, Consumer<SpanData> sink) {
    this(resource, scope, ids, naming, threadNames, sink, false);
  }

  /**
   * @param checkOnly spans are assembled only for the rule check (flight mode on the journal): no
   *     span is built but those of work the rule checker follows ({@link #checkOnly()})
   */
  SpanFactory(Resource resource, InstrumentationScopeInfo scope, Ids ids, Naming naming,
      ThreadDirectory threadNames, Consumer<SpanData> sink, boolean checkOnly) {
    this.checkOnly = checkOnly;
    this.resource = resource;
    this.scope = scope;
    this.ids = ids;
    this.naming = naming;
    this.threadNames = threadNames;
    this.sink = sink;
  }

  /**
   * Whether spans are assembled only for the rule check: the journal holds the recording and the
   * spans are let go once checked, so only those the rule checker holds (work of a rule's ops, and
   * its guards) are built; {@link #emit} builds nothing.
   */
  boolean checkOnly() {
    return checkOnly;
  }

  /** How objects, ops and call sites are named. */
  Naming naming() {
    return naming;
  }

  /** Between events no span is being built, even after a failure: the shared builder is free. */
  void beginEvent() {
    attributeBuilder.release();
  }

  /**
   * Sets the application span context that spans built from now on link to, and returns the one
   * it replaces (a work span built later restores its own start's context, then the previous one).
   */
  Object appContext(Object context) {
    Object old = appContext;
    appContext = context;
    return old;
  }

  /** Turns the application's span contexts into links (racetrace.otel.link); null: off. */
  void linkAppSpans(Function<Object, SpanContext> converter) {
    this.appSpans = converter;
  }

  // ------------------------------------------------------------------ trace ids

  /*
   * The one trace-id choice: a keyed span goes to its key's trace of the window (the same on
   * every node); else it stays in the trace it inherits (its producer's or the enclosing work's);
   * else it roots one, the causal chain of a producer or work, or the thread's trace of the
   * window for anything else.
   */

  /** Trace of a producer or work: key, else inherited, else the chain rooted at {@code rootSeq}. */
  String causalTrace(String key, long time, String inherited, long rootSeq) {
    return key != null ? ids.keyTrace(key, time) : inherited != null ? inherited : ids.chainTrace(rootSeq);
  }

  /** Trace of any other span: key, else inherited, else the thread's trace of the window. */
  String threadTrace(String key, long time, String inherited, long threadId) {
    return key != null ? ids.keyTrace(key, time) : inherited != null ? inherited : ids.threadTrace(threadId, time);
  }

  /** The trace of the enclosing work, or null outside any. */
  static String traceOf(Work ctx) {
    return ctx != null ? ctx.traceId : null;
  }

  /** The key a span has that its enclosing work does not (so it starts a trace of its own), or null. */
  static String ownKey(String key, Work ctx) {
    return key != null && (ctx == null || !key.equals(ctx.key)) ? key : null;
  }

  /** The span id of the (only) span of the event with this seq. */
  String spanId(long seq) {
    return ids.spanId(seq, 0);
  }

  /** The enclosing work as the parent when it is in the same trace, else no parent. */
  static SpanContext parentIn(Work ctx, String trace) {
    return ctx != null && ctx.traceId.equals(trace) ? ctx.context() : NO_PARENT;
  }

  // ------------------------------------------------------------------ attributes

  /** Attributes every span of the event carries: seq, kind, outcome, thread, code location, state. */
  AttributesBuilder common(Event e) {
    AttributesBuilder a = attributeBuilder.acquire();
    a.put(SpanSchema.SEQ, e.seq);
    a.put(SpanSchema.EVENT, EventKind.name(e.kind));
    if (e.outcome != Outcome.OK) {
      a.put(SpanSchema.OUTCOME, Outcome.name(e.outcome)); // absent means ok: every byte is encoded per span
    }
    a.put(SpanSchema.THREAD_ID, e.threadId);
    a.put(SpanSchema.THREAD_NAME, e.threadName != null ? e.threadName : threadNames.nameOf(e.threadId));
    CallSite site = naming.symbols().site(e.site);
    if (e.site > 0) {
      a.put(SpanSchema.CODE_NAMESPACE, site.className());
      a.put(SpanSchema.CODE_FUNCTION, site.methodName());
      if (site.line() > 0) {
        a.put(SpanSchema.CODE_LINENO, (long) site.line());
      }
    }
    for (int i = 0; i < e.stateCount; i++) {
      String name = naming.symbols().probeName((int) e.state[i * 2]);
      if (name != null) {
        a.put(stateKey((int) e.state[i * 2], name), e.state[i * 2 + 1]);
      }
    }
    return a;
  }

  /** {@code race.state.<name>}, one key object per probe (probe indexes never change name). */
  private AttributeKey<Long> stateKey(int index, String name) {
    if (index >= stateKeys.length) {
      stateKeys = Arrays.copyOf(stateKeys, index + 1);
    }
    AttributeKey<Long> key = stateKeys[index];
    if (key == null) {
      key = AttributeKey.longKey(SpanSchema.STATE_PREFIX + name);
      stateKeys[index] = key;
    }
    return key;
  }

  /** The work's key, op and parent causal id, those that are known. */
  static void putWork(AttributesBuilder a, String key, String op, long parentCausal) {
    if (key != null) {
      a.put(SpanSchema.KEY, key);
    }
    if (op != null) {
      a.put(SpanSchema.OP, op);
    }
    if (parentCausal > 0) {
      a.put(SpanSchema.PARENT_CAUSAL_ID, parentCausal);
    }
  }

  /** The causal id, key and op of the enclosing work, if any. */
  static void inheritWork(AttributesBuilder a, Work ctx) {
    if (ctx == null) {
      return;
    }
    a.put(SpanSchema.CAUSAL_ID, ctx.causalId);
    if (ctx.key != null) {
      a.put(SpanSchema.KEY, ctx.key);
    }
    if (ctx.op != null) {
      a.put(SpanSchema.OP, ctx.op);
    }
  }

  // ------------------------------------------------------------------ spans

  /** Builds the span and hands it to the sink. */
  void emit(String name, SpanKind kind, String traceId, String spanId, SpanContext parent,
      long start, long end, AttributesBuilder attributes, List<LinkData> links, int outcome) {
    if (checkOnly) {
      return; // no rule is checked on it
    }
    sink.accept(build(name, kind, traceId, spanId, parent, start, end, attributes, links, outcome));
  }

  /** Hands a span built earlier (held, or annotated since) to the sink. */
  void export(SpanData span) {
    sink.accept(span);
  }

  RaceSpan build(String name, SpanKind kind, String traceId, String spanId, SpanContext parent,
      long start, long end, AttributesBuilder attributes, List<LinkData> links, int outcome) {
    StatusData status = outcome == Outcome.EXCEPTION || outcome == Outcome.INTERRUPTED
        ? StatusData.create(StatusCode.ERROR, Outcome.name(outcome))
        : StatusData.unset();
    return new RaceSpan(name, kind, Ids.context(traceId, spanId), parent, status, start, end,
        attributes.build(), withAppLink(links), null, resource, scope);
  }

  /** {@code links} plus one to the application's span current at the event, if there was one. */
  private List<LinkData> withAppLink(List<LinkData> links) {
    if (appSpans == null || appContext == null) {
      return links;
    }
    SpanContext app = appSpans.apply(appContext);
    if (app == null) {
      return links;
    }
    List<LinkData> all = new ArrayList<>(links.size() + 1);
    all.addAll(links);
    all.add(LinkData.create(app, APP_LINK));
    return all;
  }
}
