package dev.racetrace.agent.export.assemble;

import static dev.racetrace.core.EventKind.GUARD_METHOD;
import static dev.racetrace.core.EventKind.LOCK_ACQUIRE;
import static dev.racetrace.core.EventKind.SLEEP;
import static dev.racetrace.schema.RecordField.MONITOR_LOOP;

import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.rules.RuleChecker;
import dev.racetrace.core.Outcome;
import dev.racetrace.schema.EventRole;
import dev.racetrace.schema.EventType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Collections;

/**
 * Guard spans, {@code guard.<await|signal|check> <object>}: children of the work the thread is in
 * (whose key they inherit), told to the rule checker as the points where an operation waits,
 * proceeds or opens a guard. A timed wait that expired is held until the thread's next event says
 * whether the thread went on ({@code race.guard.went_on}) or waited again. Exporter thread only.
 */
public final class GuardSpans {
  private final SpanFactory spans;
  private final Naming naming;
  private final GuardAttributes attributes;
  private final RuleChecker rules;

  GuardSpans(SpanFactory spans, Naming naming, GuardAttributes attributes, RuleChecker rules) {
    this.spans = spans;
    this.naming = naming;
    this.attributes = attributes;
    this.rules = rules;
  }

  /** {@code race.guard.kind} of a record kind (the {@link EventType} table), or null for no guard. */
  public static String guardKind(int kind) {
    EventType type = EventType.ofKind(kind);
    return type == null ? null : type.guardKind();
  }

  /** The guard role of a record kind (await, signal or check: the span name's verb), or null. */
  public static EventRole guardRole(int kind) {
    EventType type = EventType.ofKind(kind);
    return type != null && type.role().isGuard() ? type.role() : null;
  }

  /** Before the thread's next event: releases the expired wait it holds, saying whether it went on. */
  void beforeNextEvent(ThreadWork t, Event e) {
    if (t.expiredWait != null) {
      boolean retried = guardKind(e.kind) != null && guardRole(e.kind) == EventRole.AWAIT
          && e.objId == t.expiredWaitObject && e.objId != 0;
      releaseExpiredWait(t, !retried);
    }
  }

  /** The thread ended (or its state was dropped): an expired wait it held went on. */
  void threadEnded(ThreadWork t) {
    if (t.expiredWait != null) {
      releaseExpiredWait(t, true);
    }
  }

  /** Shutdown: an expired wait still held is exported as it is (whether it went on is unknown). */
  void flush(ThreadWork t) {
    if (t.expiredWait != null) {
      spans.export(t.expiredWait);
      t.expiredWait = null;
    }
  }

  private void releaseExpiredWait(ThreadWork t, boolean wentOn) {
    spans.export(t.expiredWait.withAttributes(Attributes.of(SpanSchema.GUARD_WENT_ON, wentOn)));
    t.expiredWait = null;
  }

  void onGuard(ThreadWork t, Event e) {
    Work ctx = t.top();
    // a monitor's wait loop check is the monitor's, a Condition loop's the condition's
    String kind = e.is(MONITOR_LOOP) ? "monitor" : guardKind(e.kind);
    EventRole role = guardRole(e.kind);
    String object = e.kind == SLEEP ? "Thread.sleep" : naming.object(e.objId, e.site, capitalize(kind));
    String key = e.kind == GUARD_METHOD ? Naming.key(e.key) : null;
    if (key == null && ctx != null) {
      key = ctx.key;
    }
    String trace = spans.threadTrace(SpanFactory.ownKey(key, ctx), e.time, SpanFactory.traceOf(ctx), e.threadId);
    long start = role == EventRole.AWAIT || e.kind == GUARD_METHOD ? e.entryTime() : e.time;

    AttributesBuilder a = spans.common(e);
    a.put(SpanSchema.GUARD_KIND, kind);
    a.put(SpanSchema.GUARD_OBJECT, object);
    if (e.objId != 0 && e.kind != SLEEP) {
      a.put(SpanSchema.GUARD_OBJECT_ID, Integer.toHexString(e.objId));
    }
    SpanFactory.inheritWork(a, ctx);
    if (key != null) {
      a.put(SpanSchema.KEY, key);
    }
    attributes.put(a, e, role); // also keeps the latches' state, which later guards' attributes read
    if (spans.checkOnly() && (ctx == null || ctx.ruleInstance == null)) {
      return; // no rule follows the work around it: its span would be let go unchecked
    }
    RaceSpan span = spans.build(role.guardSpanPrefix() + object, SpanKind.INTERNAL, trace, spans.spanId(e.seq),
        SpanFactory.parentIn(ctx, trace), start, e.time, a, Collections.emptyList(), e.outcome);
    if (role == EventRole.SIGNAL) {
      rules.signalled(ctx, e.objId, e.seq);
    } else if (e.kind == LOCK_ACQUIRE) {
      if (e.outcome == Outcome.OK) {
        rules.acquired(ctx, e.objId, e.seq);
      }
    } else if (e.kind != SLEEP) {
      // a sleep waits for nothing: never the point where an operation proceeds
      int edge = role == EventRole.AWAIT && e.outcome == Outcome.OK ? e.objId : 0;
      rules.guardPassed(ctx, e.seq, edge, describe(kind, object, span));
    }
    if (role == EventRole.AWAIT && e.outcome == Outcome.TIMED_OUT && e.kind != SLEEP) {
      t.expiredWait = span;
      t.expiredWaitObject = e.objId;
    } else {
      spans.export(span);
    }
  }

  /** One line about a guard for rule violations, e.g. {@code latch Node.startupLatch (trivial)}. */
  private static String describe(String kind, String object, RaceSpan span) {
    Attributes a = span.getAttributes();
    StringBuilder sb = new StringBuilder(kind).append(' ').append(object);
    if (Boolean.TRUE.equals(a.get(SpanSchema.GUARD_TRIVIAL))) {
      sb.append(" (trivial: already open)");
    }
    if (Boolean.TRUE.equals(a.get(SpanSchema.GUARD_TIMED_OUT))) {
      sb.append(" (timed out)");
    }
    String seen = a.get(SpanSchema.GUARD_VALUE_SEEN);
    if (seen != null) {
      sb.append(" saw ").append(seen);
    }
    return sb.toString();
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
