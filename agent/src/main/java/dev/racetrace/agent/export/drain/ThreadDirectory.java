package dev.racetrace.agent.export.drain;

import java.util.HashMap;
import java.util.Map;

/** Thread id to name, for {@code thread.name}. Exporter thread only; bounded. */
public final class ThreadDirectory {
  private final int max;
  private final Map<Long, String> names = new HashMap<>();

  public ThreadDirectory() {
    this(100_000);
  }

  /** @param max names kept (racetrace.memory.max); threads beyond it are named by id */
  public ThreadDirectory(int max) {
    this.max = max;
  }

  void name(long id, String name, boolean virtual) {
    if (names.size() >= max && !names.containsKey(id)) {
      return;
    }
    String n = name == null || name.isEmpty() ? (virtual ? "virtual-" + id : "thread-" + id) : name;
    names.put(id, n);
  }

  public String nameOf(long id) {
    String n = names.get(id);
    return n != null ? n : "thread-" + id;
  }

  public void forget(long id) {
    names.remove(id);
  }
}
