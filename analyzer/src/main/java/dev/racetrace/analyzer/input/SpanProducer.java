package dev.racetrace.analyzer.input;

/**
 * Spans built in this process by someone else (the agent replaying a racetrace journal), handed
 * to the analyzer field by field through a {@link SpanFeed}: no file format in between, so no
 * encoding and parsing of every span. The analyzer does not know where they come from.
 */
public interface SpanProducer {

  /** Names the input in messages, e.g. the journal file. */
  String source();

  /**
   * The node of spans whose resource names none: the file name up to its first dot, as for
   * span files.
   */
  default String fallbackNode() {
    String s = source();
    int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
    String name = s.substring(slash + 1);
    int dot = name.indexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /**
   * Hands every span to {@code feed}, in the order a span file would hold them. Called once, on
   * one analyzer thread.
   *
   * @throws InputException if the input cannot be read
   */
  void produce(SpanFeed feed) throws InputException;
}
