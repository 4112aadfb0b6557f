package dev.racetrace.agent.control;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent arguments of a control request, {@code command=dump&token=...&reply=/dir/reply}: each
 * key and value URL-encoded, so configuration values with commas or spaces pass through the attach
 * mechanism's single argument string intact.
 */
public final class ControlArgs {
  /** The key that marks agent arguments as a control request rather than a start. */
  public static final String COMMAND = "command";

  private ControlArgs() {}

  public static String encode(Map<String, String> args) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : args.entrySet()) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  public static Map<String, String> decode(String args) {
    Map<String, String> out = new LinkedHashMap<>();
    if (args == null || args.isEmpty()) {
      return out;
    }
    for (String pair : args.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** Whether agent arguments are a control request (never a reason to start recording). */
  public static boolean isControl(String args) {
    return args != null && args.startsWith(COMMAND + "=");
  }
}
