package dev.racetrace.analyzer.rules;

/** What kind of guard let an operation proceed too early. */
public enum GuardKind {
  /** A timed wait (or sleep) whose timeout expired: it gave up waiting and went on. */
  TIMED_WAIT_EXPIRED("timed-wait-expired",
      "a timed wait expired and the operation went on without what it waited for"),
  /** A readiness flag read true: global readiness, not readiness of this key. */
  READINESS_FLAG("readiness-flag",
      "a readiness flag read true, but it says the service is ready, not that this key is"),
  /** A startup latch that was already open: it only ever guarded cold start. */
  STARTUP_LATCH_TRIVIAL("startup-latch-trivial",
      "a startup latch was already open: it guards cold start only and checked nothing here"),
  /** Another guard passed (a per-key guard method, a semaphore, ...) without ordering it. */
  OTHER("other", "a guard passed without ordering it after the operation it depends on"),
  /** No guard at all: only timing or delivery order kept it in line. */
  NO_GUARD("no-guard", "no guard: only timing or delivery order kept it in line");

  private final String id;
  private final String meaning;

  GuardKind(String id, String meaning) {
    this.id = id;
    this.meaning = meaning;
  }

  /** Stable id used in reports and JSON, e.g. {@code timed-wait-expired}. */
  public String id() {
    return id;
  }

  /** One sentence a reader at 2 AM understands. */
  public String meaning() {
    return meaning;
  }
}
