package dev.racetrace.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsed {@code racetrace.delay} rules, ';'-separated:
 *
 * <pre>
 *   site:com.acme.Node#apply[:57]=20ms[~10ms][@0.5]   delay every instrumented call at that site
 *   op:load-metadata[/order-7]=150ms[~100ms][@0.5]      delay when that operation starts processing
 * </pre>
 *
 * {@code ~j} adds a seeded random 0..j, {@code @p} applies the delay with probability p.
 */
public final class DelayConfig {
  private static final Pattern RULE = Pattern.compile(
      "(site|op):([^=]+)=([0-9]+(?:ms|s|m)?)(?:~([0-9]+(?:ms|s|m)?))?(?:@([0-9]*\\.?[0-9]+))?");
  private static final Pattern SITE = Pattern.compile(
      "([A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)*)#([A-Za-z_$<>][A-Za-z0-9_$<>]*)(?::([0-9]+))?");
  private static final Pattern OP = Pattern.compile("([A-Za-z0-9_.:-]+)(?:/(.+))?");

  /** One rule. For a site rule {@code op} is null; for an op rule {@code className} is null. */
  public static final class Rule {
    public final String text;
    public final String className;
    public final String method;
    public final int line;
    public final String op;
    public final String key;
    public final long baseMillis;
    public final long jitterMillis;
    public final double probability;

    Rule(String text, String className, String method, int line, String op, String key, long baseMillis,
        long jitterMillis, double probability) {
      this.text = text;
      this.className = className;
      this.method = method;
      this.line = line;
      this.op = op;
      this.key = key;
      this.baseMillis = baseMillis;
      this.jitterMillis = jitterMillis;
      this.probability = probability;
    }

    public boolean isSite() {
      return className != null;
    }

    /** Whether this site rule names the call at {@code className.method:line}. */
    public boolean matchesSite(String cls, String m, int atLine) {
      return isSite() && className.equals(cls) && method.equals(m) && (line < 0 || line == atLine);
    }
  }

  private DelayConfig() {}

  /** Longest delay, and longest jitter, one rule may add (so a value can never hang the application). */
  static final long MAX_MILLIS = 600_000;

  static List<Rule> parse(String value) throws ConfigException {
    List<Rule> out = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return out;
    }
    String key = ConfigKey.DELAY.key();
    for (String raw : value.split(";")) {
      String r = raw.trim();
      if (r.isEmpty()) {
        continue;
      }
      Matcher m = RULE.matcher(r);
      if (!m.matches()) {
        throw new ConfigException(key, value, "'" + r + "' is not site:Class#method[:line]=duration[~jitter][@p]"
            + " or op:name[/key]=duration[~jitter][@p]");
      }
      long base = ValueType.parseMillis(key, m.group(3));
      long jitter = m.group(4) == null ? 0 : ValueType.parseMillis(key, m.group(4));
      if (base > MAX_MILLIS || jitter > MAX_MILLIS) {
        throw new ConfigException(key, value, "'" + r + "': a delay or jitter above the maximum 10m");
      }
      double p = m.group(5) == null ? 1.0 : Double.parseDouble(m.group(5));
      if (p <= 0 || p > 1) {
        throw new ConfigException(key, value, "'" + r + "': probability must be in (0, 1]");
      }
      if (m.group(1).equals("site")) {
        Matcher s = SITE.matcher(m.group(2).trim());
        if (!s.matches()) {
          throw new ConfigException(key, value, "'" + r + "': '" + m.group(2) + "' is not Class#method[:line]");
        }
        out.add(new Rule(r, s.group(1), s.group(2), s.group(3) == null ? -1 : Integer.parseInt(s.group(3)),
            null, null, base, jitter, p));
      } else {
        Matcher o = OP.matcher(m.group(2).trim());
        if (!o.matches()) {
          throw new ConfigException(key, value, "'" + r + "': '" + m.group(2) + "' is not op-name[/key]");
        }
        out.add(new Rule(r, null, null, -1, o.group(1), o.group(2), base, jitter, p));
      }
    }
    return Collections.unmodifiableList(out);
  }
}
