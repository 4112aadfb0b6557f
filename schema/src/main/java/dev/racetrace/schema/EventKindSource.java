package dev.racetrace.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Writes agent-core's {@code dev.racetrace.core.EventKind} from the {@link EventType} table: agent-core's
 * build runs {@link #main} before it compiles. The hooks need the kind codes as compile-time
 * {@code int} constants, and agent-core, on the bootstrap class path, holds no other module at run
 * time; generating the constants keeps the table the one place a kind is defined.
 */
public final class EventKindSource {
  private static final int WIDTH = 100;

  private EventKindSource() {}

  /** {@code EventKindSource <generated sources directory>}: writes the file unless it is unchanged. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: EventKindSource <generated sources directory>");
    }
    Path file = Paths.get(args[0], "dev", "racetrace", "core", "EventKind.java");
    byte[] source = source().getBytes(StandardCharsets.UTF_8);
    if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), source)) {
      return; // unchanged: keeps its time stamp, so agent-core is not recompiled for nothing
    }
    Files.createDirectories(file.getParent());
    Files.write(file, source);
  }

  /** The Java source of {@code EventKind}: one constant per recorded kind, and {@code name(int)}. */
  static String source() {
    StringBuilder b = new StringBuilder();
    b.append("// Generated from dev.racetrace.schema.EventType by EventKindSource when agent-core is built:\n")
        .append("// edit the table, not this file.\n")
        .append("package dev.racetrace.core;\n\n")
        .append("/**\n")
        .append(" * Kinds of recorded events, as {@code int} constants for the hot path, generated from the schema\n")
        .append(" * module's {@code dev.racetrace.schema.EventType} table, which also states what each kind's record\n")
        .append(" * holds in its slots {@code a}, {@code b}, {@code c} and 16-bit {@code small} (its\n")
        .append(" * {@code RecordField}s, shown in docs/journal-format.md); a hook writes them through its\n")
        .append(" * {@code core.hook.Events} writer. This class uses no other module at run time because it is on\n")
        .append(" * the bootstrap class path. {@link #name(int)} gives the stable event name exported as\n")
        .append(" * {@code race.event}.\n")
        .append(" */\n")
        .append("public final class EventKind {\n")
        .append("  private EventKind() {}\n");
    for (EventType t : EventType.values()) {
      if (t.kind() == EventType.NO_KIND) {
        continue;
      }
      b.append('\n').append(comment("{@code\u00a0" + t.eventName() + "}: " + javadoc(t.doc())))
          .append("  public static final int ").append(t.name()).append(" = ").append(t.kind()).append(";\n");
    }
    b.append("\n  /** Stable exported name of a kind ({@code race.event}), or \"unknown\". */\n")
        .append("  public static String name(int kind) {\n")
        .append("    switch (kind) {\n");
    for (EventType t : EventType.values()) {
      if (t.kind() != EventType.NO_KIND) {
        b.append("      case ").append(t.name()).append(": return \"").append(t.eventName()).append("\";\n");
      }
    }
    return b.append("      default: return \"unknown\";\n")
        .append("    }\n")
        .append("  }\n")
        .append("}\n")
        .toString();
  }

  /**
   * A member's Javadoc comment, on one line if it fits, else wrapped at {@value #WIDTH} columns;
   * a no-break space in {@code text} (inside an inline tag) becomes a space that is never a break.
   */
  private static String comment(String text) {
    if (text.length() + 10 <= WIDTH) {
      return "  /** " + text.replace('\u00a0', ' ') + " */\n";
    }
    StringBuilder b = new StringBuilder("  /**\n");
    StringBuilder line = new StringBuilder("   *");
    for (String word : text.split(" ")) {
      if (line.length() + 1 + word.length() > WIDTH && line.length() > 4) {
        b.append(line).append('\n');
        line.setLength(0);
        line.append("   *");
      }
      line.append(' ').append(word);
    }
    return b.append(line).append("\n   */\n").toString().replace('\u00a0', ' ');
  }

  /** Text as Javadoc: the characters HTML would read as markup are escaped. */
  private static String javadoc(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("*/", "*&#47;");
  }
}
