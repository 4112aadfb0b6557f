package dev.racetrace.analyzer.input;

import java.util.ArrayList;
import java.util.List;

/**
 * The spans of one resource (OTLP {@code ResourceSpans}, or one Jaeger process) while it is read:
 * spans seen before the resource's attributes wait here until the node is known.
 */
final class ResourceBlock {
  final ResourceInfo info = new ResourceInfo();
  private final String fallbackNode;
  private final SpanSink sink;
  private String node;
  private final List<SpanRecord> pendingSpans = new ArrayList<>();
  private final List<NodeCounters> pendingCounters = new ArrayList<>();
  private int pendingSkipped;

  ResourceBlock(String fallbackNode, SpanSink sink) {
    this.fallbackNode = fallbackNode;
    this.sink = sink;
  }

  /** The resource's attributes are complete: spans that follow go straight to the sink. */
  void resolve() {
    if (node == null) {
      node = info.node(fallbackNode);
      sink.resource(node, info.service(), info.rules());
      for (SpanRecord s : pendingSpans) {
        s.assignNode(node);
        sink.span(s);
      }
      for (NodeCounters c : pendingCounters) {
        sink.counters(node, c);
      }
      for (int i = 0; i < pendingSkipped; i++) {
        sink.skipped(node);
      }
      pendingSpans.clear();
      pendingCounters.clear();
      pendingSkipped = 0;
    }
  }

  /** Hands over one span read with {@code b}. */
  void accept(SpanRecordBuilder b, Interner interner) {
    if (!b.usable()) {
      if (node == null) {
        pendingSkipped++;
      } else {
        sink.skipped(node);
      }
      return;
    }
    if (b.role() == SpanRole.STATS) {
      NodeCounters c = b.counters();
      if (node == null) {
        pendingCounters.add(c);
      } else {
        sink.counters(node, c);
      }
      return;
    }
    b.node = node;
    SpanRecord r = b.build(interner);
    if (node == null) {
      pendingSpans.add(r);
    } else {
      sink.span(r);
    }
  }
}
