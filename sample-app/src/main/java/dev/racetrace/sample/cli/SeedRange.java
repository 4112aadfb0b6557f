package dev.racetrace.sample.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Parses seed lists: {@code 42}, {@code 1..100} (inclusive), or a comma list of either
 * ({@code 1..5,42}).
 */
public final class SeedRange {
  /** Upper bound on the number of seeds in one list. */
  public static final int MAX_SEEDS = 100_000;

  private SeedRange() {}

  /**
   * @throws IllegalArgumentException when the text is not a seed list
   */
  public static List<Long> parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("--seeds: empty");
    }
    List<Long> seeds = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      int dots = p.indexOf("..");
      try {
        if (dots < 0) {
          seeds.add(Long.parseLong(p));
        } else {
          long from = Long.parseLong(p.substring(0, dots).trim());
          long to = Long.parseLong(p.substring(dots + 2).trim());
          if (to < from || to - from >= MAX_SEEDS) {
            throw new IllegalArgumentException("--seeds " + text + ": bad range " + p);
          }
          for (long s = from; s <= to; s++) {
            seeds.add(s);
          }
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--seeds " + text + ": '" + p + "' is not a seed or a range a..b");
      }
      if (seeds.size() > MAX_SEEDS) {
        throw new IllegalArgumentException("--seeds " + text + ": more than " + MAX_SEEDS + " seeds");
      }
    }
    return Collections.unmodifiableList(seeds);
  }
}
