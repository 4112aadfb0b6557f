package dev.racetrace.agent.config;

/**
 * Renders the configuration reference table of {@code docs/configuration.md} from {@link ConfigKey},
 * so the doc cannot drift from the code (a test compares them).
 */
public final class ConfigReference {
  public static final String BEGIN = "<!-- BEGIN GENERATED: ConfigKey -->";
  public static final String END = "<!-- END GENERATED: ConfigKey -->";

  private ConfigReference() {}

  /** The generated Markdown, including the begin/end markers. */
  public static String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(BEGIN).append('\n');
    sb.append("| key | environment | default | value | limits | meaning | example |\n");
    sb.append("|---|---|---|---|---|---|---|\n");
    for (ConfigKey k : ConfigKey.values()) {
      sb.append("| `").append(k.key()).append("` | `").append(k.envName()).append("` | ")
          .append(k.defaultValue().isEmpty() ? "(none)" : "`" + k.defaultValue() + "`").append(" | ")
          .append(k.type().expected()).append(" | ")
          .append(k.bound().describe().replace("|", "\\|")).append(" | ")
          .append(k.description().replace("|", "\\|")).append(" | `")
          .append(k.example().replace("|", "\\|")).append("` |\n");
    }
    sb.append(END).append('\n');
    return sb.toString();
  }

  /** Prints the table (to regenerate the doc). */
  public static void main(String[] args) {
    System.out.print(render());
  }
}
