package dev.racetrace.analyzer.input;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;

/** Input the analyzer cannot read; the message names the file and, where known, the line. */
public final class InputException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final int line;
  private final String problem;

  /**
   * @param file the file being read
   * @param line 1-based line, or 0 when unknown
   * @param problem what is wrong, e.g. {@code "race.seq is not an integer: 12x"}
   */
  public InputException(Path file, int line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  /**
   * @param file the file being read
   * @param line 1-based line, or 0 when unknown
   * @param problem what is wrong
   * @param cause the underlying error
   */
  public InputException(Path file, int line, String problem, Throwable cause) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem, cause);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  /**
   * A failure while parsing {@code file} as JSON, located where the parser knows it: malformed
   * JSON, a value of the wrong shape ({@link IllegalArgumentException}), or a read error.
   *
   * @param parser the parser in use, or null if it was not created yet
   */
  static InputException whileParsing(Path file, JsonParser parser, Exception e) {
    return whileParsing(String.valueOf(file), file, parser, e);
  }

  /** As {@link #whileParsing(Path, JsonParser, Exception)}, for a non-file source (a URL). */
  static InputException whileParsing(String source, JsonParser parser, Exception e) {
    return whileParsing(source, null, parser, e);
  }

  private static InputException whileParsing(String source, Path file, JsonParser parser,
      Exception e) {
    if (e instanceof JsonProcessingException) {
      JsonProcessingException json = (JsonProcessingException) e;
      JsonLocation loc = json.getLocation();
      return new InputException(source, file, loc == null ? 0 : loc.getLineNr(),
          "invalid JSON: " + json.getOriginalMessage(), e);
    }
    if (e instanceof IllegalArgumentException) {
      return new InputException(source, file,
          parser == null ? 0 : parser.currentLocation().getLineNr(), e.getMessage(), e);
    }
    return new InputException(source, file, 0, "cannot read: " + e, e);
  }

  /**
   * Input that is not a file, e.g. a backend's query API.
   *
   * @param source names it, e.g. the URL
   * @param problem what is wrong
   * @param cause the underlying error, or null
   */
  public InputException(String source, String problem, Throwable cause) {
    this(source, null, 0, problem, cause);
  }

  private InputException(String source, Path file, int line, String problem, Throwable cause) {
    super(source + (line > 0 ? ":" + line : "") + ": " + problem, cause);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  /** The file, or null when the input was not a file. */
  public Path file() {
    return file;
  }

  /** The 1-based line, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }

  /** The same problem, {@code lines} lines further down the file. */
  InputException shifted(long lines) {
    return line <= 0 ? this : new InputException(file, (int) (line + lines), problem, getCause());
  }
}
