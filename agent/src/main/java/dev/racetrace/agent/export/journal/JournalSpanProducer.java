package dev.racetrace.agent.export.journal;

import dev.racetrace.agent.config.ConfigException;
import dev.racetrace.analyzer.input.InputException;
import dev.racetrace.analyzer.input.SpanFeed;
import dev.racetrace.analyzer.input.SpanProducer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One journal's spans for the analyzer, built by {@link JournalReplay} and handed over field by
 * field: the spans {@code export --otlp-json} would write, without writing and parsing them.
 */
public final class JournalSpanProducer implements SpanProducer {
  private final List<Path> parts;
  private final PrintStream err;

  /** @param err where the damage warning and the summary line go */
  public JournalSpanProducer(Path journal, PrintStream err) {
    this(List.of(journal), err);
  }

  /**
   * The parts of one rotated journal ({@link JournalExport#nodes}), replayed in order as one.
   *
   * @param err where the damage warnings and the summary line go
   */
  public JournalSpanProducer(List<Path> parts, PrintStream err) {
    this.parts = List.copyOf(parts);
    this.err = err;
  }

  @Override
  public String source() {
    return JournalExport.describe(parts);
  }

  @Override
  public void produce(SpanFeed feed) throws InputException {
    Handover handover = new Handover(feed);
    JournalReplay replay = new JournalReplay(handover::accept);
    try {
      replay.replayParts(parts, err);
    } catch (JournalReader.NotAJournal e) {
      throw new InputException(source(), e.getMessage(), e);
    } catch (IOException | ConfigException e) {
      throw new InputException(source(), "cannot read: " + e.getMessage(), e);
    }
    err.println("racetrace: " + source() + ": " + (replay.flightReason() != null
        ? "flight dump (" + replay.flightReason() + "): " : "") + replay.events() + " events -> " + replay.spans()
        + " spans -> analyzer");
  }

  /** Copies one span into the feed, with the types OTLP JSON would carry. */
  private static final class Handover {
    private final SpanFeed feed;
    private Resource resource;

    Handover(SpanFeed feed) {
      this.feed = feed;
    }

    void accept(SpanData s) {
      if (s.getResource() != resource) {
        resource = s.getResource();
        Map<String, String> attributes = new HashMap<>();
        resource.getAttributes().forEach((k, v) -> attributes.put(k.getKey(), String.valueOf(v)));
        feed.resource(attributes);
      }
      feed.begin(s.getName(), id(s.getSpanId()), id(s.getParentSpanId()), s.getStartEpochNanos(),
          s.getEndEpochNanos());
      for (LinkData l : s.getLinks()) {
        feed.link(id(l.getSpanContext().getSpanId()));
      }
      s.getAttributes().forEach(this::attribute);
      feed.end();
    }

    private void attribute(AttributeKey<?> k, Object v) {
      String name = k.getKey();
      if (!feed.wants(name)) {
        return;
      }
      switch (k.getType()) {
        case STRING: feed.put(name, (String) v); break;
        case LONG: feed.put(name, (Long) v); break;
        case BOOLEAN: feed.put(name, (Boolean) v); break;
        case DOUBLE: feed.put(name, (Double) v); break;
        default: break; // arrays: not read from span files either
      }
    }

    /** The low 64 bits of a hex span id; 0 for none. */
    private static long id(String hex) {
      int len = hex.length();
      return len == 0 ? 0 : Long.parseUnsignedLong(len > 16 ? hex.substring(len - 16) : hex, 16);
    }
  }
}
