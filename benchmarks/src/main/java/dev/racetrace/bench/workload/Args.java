package dev.racetrace.bench.workload;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code --name value} command-line options with defaults; an unknown option is an error.
 *
 * <p>Hand-written, not picocli as the analyzer's and the sample app's CLIs are: these programs are
 * what the benchmarks measure, with and without an agent, so they load as little as they can. A
 * two-option picocli parse added about 0.25 s of CPU, 680 loaded classes and 11 MiB of peak RSS to
 * a JVM's start on the benchmark machine (2026-12-07), the same order as the agent's start-up cost
 * being measured. Nothing here is user-facing: {@code benchmarks/run.sh} writes every command line.
 */
final class Args {
  private final Map<String, String> values = new HashMap<>();

  Args(String[] args, String... known) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      boolean ok = false;
      for (String k : known) {
        ok |= a.equals("--" + k);
      }
      if (!ok || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown option or missing value: " + a);
      }
      values.put(a.substring(2), args[++i]);
    }
  }

  long getLong(String name, long def) {
    String v = values.get(name);
    return v == null ? def : Long.parseLong(v.replace("_", ""));
  }

  int getInt(String name, int def) {
    return (int) getLong(name, def);
  }
}
