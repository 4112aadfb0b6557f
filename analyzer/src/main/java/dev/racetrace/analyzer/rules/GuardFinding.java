package dev.racetrace.analyzer.rules;

import dev.racetrace.analyzer.input.SpanRecord;
import java.util.List;
import java.util.Map;

/**
 * The guard an operation passed when it proceeded.
 *
 * @param kind the classification
 * @param guard the deciding guard span, or null for {@link GuardKind#NO_GUARD}
 * @param allGuards every guard the operation passed, in seq order
 * @param stateSeen the visible state ({@code race.state.*}) at the proceed point
 */
public record GuardFinding(GuardKind kind, SpanRecord guard, List<SpanRecord> allGuards,
    Map<String, Long> stateSeen) {

  /** Where the deciding guard is in the code ({@code Class.method:line}), or null. */
  public String site() {
    return guard == null ? null : guard.site();
  }

  /** The guard object's name, e.g. {@code Node.metadataArrived}, or null. */
  public String object() {
    return guard == null ? null : guard.resource();
  }
}
