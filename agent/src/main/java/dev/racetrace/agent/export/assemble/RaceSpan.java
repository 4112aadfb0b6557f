package dev.racetrace.agent.export.assemble;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.Collections;
import java.util.List;

/** A finished span built from recorded events, with explicit ids and timestamps. Immutable. */
public final class RaceSpan implements SpanData {
  private final String name;
  private final SpanKind kind;
  private final SpanContext context;
  private final SpanContext parent;
  private final StatusData status;
  private final long start;
  private final long end;
  private final Attributes attributes;
  private final List<LinkData> links;
  private final List<EventData> events;
  private final Resource resource;
  private final InstrumentationScopeInfo scope;

  public RaceSpan(String name, SpanKind kind, SpanContext context, SpanContext parent, StatusData status,
      long start, long end, Attributes attributes, List<LinkData> links, List<EventData> events,
      Resource resource, InstrumentationScopeInfo scope) {
    this.name = name;
    this.kind = kind;
    this.context = context;
    this.parent = parent;
    this.status = status;
    this.start = start;
    this.end = Math.max(start, end);
    this.attributes = attributes;
    this.links = links == null ? Collections.emptyList() : links;
    this.events = events == null ? Collections.emptyList() : events;
    this.resource = resource;
    this.scope = scope;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public SpanKind getKind() {
    return kind;
  }

  @Override
  public SpanContext getSpanContext() {
    return context;
  }

  @Override
  public SpanContext getParentSpanContext() {
    return parent;
  }

  @Override
  public StatusData getStatus() {
    return status;
  }

  @Override
  public long getStartEpochNanos() {
    return start;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public List<EventData> getEvents() {
    return events;
  }

  @Override
  public List<LinkData> getLinks() {
    return links;
  }

  @Override
  public long getEndEpochNanos() {
    return end;
  }

  @Override
  public boolean hasEnded() {
    return true;
  }

  @Override
  public int getTotalRecordedEvents() {
    return events.size();
  }

  @Override
  public int getTotalRecordedLinks() {
    return links.size();
  }

  @Override
  public int getTotalAttributeCount() {
    return attributes.size();
  }

  @Override
  @SuppressWarnings("deprecation") // required by the SpanData interface
  public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return InstrumentationLibraryInfo.create(scope.getName(), scope.getVersion());
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope;
  }

  @Override
  public Resource getResource() {
    return resource;
  }

  /** A copy with more attributes. */
  RaceSpan withAttributes(Attributes extra) {
    return new RaceSpan(name, kind, context, parent, status, start, end,
        attributes.toBuilder().putAll(extra).build(), links, events, resource, scope);
  }

  /** A copy with one more event and more attributes. */
  public RaceSpan with(EventData event, Attributes extra) {
    List<EventData> ev = new java.util.ArrayList<>(events);
    ev.add(event);
    return new RaceSpan(name, kind, context, parent, status, start, end,
        attributes.toBuilder().putAll(extra).build(), links, ev, resource, scope);
  }

  @Override
  public String toString() {
    return name + " " + context.getTraceId() + "/" + context.getSpanId() + " " + attributes;
  }
}
