package dev.racetrace.core;

/**
 * Kinds of recorded events, as {@code int} constants for the hot path. What each kind's
 * record holds in its slots {@code a}, {@code b}, {@code c} and 16-bit {@code small} is stated once,
 * in the schema module's {@code dev.racetrace.schema.EventType} table (its {@code RecordField}s,
 * shown in docs/journal-format.md); a hook writes them in that order. This class stays free of other
 * modules because it is on the bootstrap class path. {@link #name(int)} gives the stable event name
 * exported as {@code race.event}.
 */
public final class EventKind {
  private EventKind() {}

  /** offer/put/add/push and the Deque variants. */
  public static final int QUEUE_ENQUEUE = 1;
  /** poll/take/remove/pop and variants. */
  public static final int QUEUE_DEQUEUE = 2;
  /** peek and variants. */
  public static final int QUEUE_PEEK = 3;
  /** drainTo: followed by one QUEUE_DEQUEUE ({@code from_drain}) per element it can name. */
  public static final int QUEUE_DRAIN = 4;
  /**
   * Entry of a blocking dequeue (take, timed poll), before it blocks: ends the thread's previous
   * work at once, even if the call never returns.
   */
  public static final int QUEUE_DEQUEUE_BEGIN = 5;

  /** Task handed to an executor ({@code run_linked}: see core.task.TaskRuns). */
  public static final int TASK_SUBMIT = 10;
  /** Task starts on a worker. */
  public static final int TASK_START = 11;
  /** Task ends. */
  public static final int TASK_END = 12;

  /** CountDownLatch.await. */
  public static final int LATCH_AWAIT = 20;
  /** CountDownLatch.countDown. */
  public static final int LATCH_COUNT_DOWN = 21;
  /** CountDownLatch.getCount. */
  public static final int LATCH_GET_COUNT = 22;
  /** Semaphore acquire/tryAcquire. */
  public static final int SEMAPHORE_ACQUIRE = 23;
  /** Semaphore.release. */
  public static final int SEMAPHORE_RELEASE = 24;
  /** CyclicBarrier.await. */
  public static final int BARRIER_AWAIT = 25;
  /** Phaser arrive/arriveAndDeregister. */
  public static final int PHASER_ARRIVE = 26;
  /** Phaser arriveAndAwaitAdvance/awaitAdvance*. */
  public static final int PHASER_AWAIT = 27;
  /** Condition.await*. */
  public static final int CONDITION_AWAIT = 28;
  /** Condition.signal/signalAll. */
  public static final int CONDITION_SIGNAL = 29;
  /** Lock.lock/lockInterruptibly/tryLock. */
  public static final int LOCK_ACQUIRE = 30;
  /** Lock.unlock. */
  public static final int LOCK_RELEASE = 31;
  /** Object.wait. */
  public static final int MONITOR_WAIT = 32;
  /** Object.notify/notifyAll. */
  public static final int MONITOR_NOTIFY = 33;
  /** Future.get and ExecutorService.invokeAll/Any. */
  public static final int FUTURE_GET = 34;
  /** Thread.sleep. */
  public static final int SLEEP = 35;
  /** Read of a declared readiness field. */
  public static final int FLAG_READ = 36;
  /** Call of a declared guard method. */
  public static final int GUARD_METHOD = 37;

  /**
   * The predicate check of a Condition wait loop: recorded at the unlock, still under the lock,
   * that ends a lock hold in a method that awaits a Condition (the read of the guarded state after
   * the last wake-up, or at once when no wait was needed). No object (the site names the
   * condition).
   */
  public static final int CONDITION_CHECK = 38;

  /**
   * A guard or queue object was constructed in an enabled class (or a Condition made by
   * {@code newCondition()}): obj=it; the site names it after the field it is stored to, else after
   * the allocation site. Recorded once per object; no span, it names the object's later events.
   */
  public static final int OBJECT_NEW = 39;

  /** RaceTrace.mark(op, key). aux=op name. */
  public static final int MARK = 40;
  /** Value of a state probe, attached to the previous event of the same thread. */
  public static final int STATE = 41;
  /** An ordering rule was violated (recorded by the exporter, never on the hot path). */
  public static final int RULE_VIOLATION = 42;
  /** A delay injected by racetrace; aux=its rule. */
  public static final int DELAY = 50;
  /**
   * The application's own current OpenTelemetry span changed on this thread (racetrace.otel.link):
   * aux=its SpanContext object (of the application's OTel API). Written just before the event,
   * with the same seq, that noticed the change; it applies to that thread's later events.
   */
  public static final int APP_CONTEXT = 51;

  /** Stable exported name of a kind ({@code race.event}), or "unknown". */
  public static String name(int kind) {
    switch (kind) {
      case QUEUE_ENQUEUE: return "queue.enqueue";
      case QUEUE_DEQUEUE: return "queue.dequeue";
      case QUEUE_PEEK: return "queue.peek";
      case QUEUE_DRAIN: return "queue.drain";
      case QUEUE_DEQUEUE_BEGIN: return "queue.dequeue_begin";
      case TASK_SUBMIT: return "task.submit";
      case TASK_START: return "task.start";
      case TASK_END: return "task.end";
      case LATCH_AWAIT: return "latch.await";
      case LATCH_COUNT_DOWN: return "latch.count_down";
      case LATCH_GET_COUNT: return "latch.get_count";
      case SEMAPHORE_ACQUIRE: return "semaphore.acquire";
      case SEMAPHORE_RELEASE: return "semaphore.release";
      case BARRIER_AWAIT: return "barrier.await";
      case PHASER_ARRIVE: return "phaser.arrive";
      case PHASER_AWAIT: return "phaser.await";
      case CONDITION_AWAIT: return "condition.await";
      case CONDITION_SIGNAL: return "condition.signal";
      case CONDITION_CHECK: return "condition.check";
      case OBJECT_NEW: return "object.new";
      case LOCK_ACQUIRE: return "lock.acquire";
      case LOCK_RELEASE: return "lock.release";
      case MONITOR_WAIT: return "monitor.wait";
      case MONITOR_NOTIFY: return "monitor.notify";
      case FUTURE_GET: return "future.get";
      case SLEEP: return "thread.sleep";
      case FLAG_READ: return "flag.read";
      case GUARD_METHOD: return "guard.method";
      case MARK: return "mark";
      case STATE: return "state";
      case RULE_VIOLATION: return "rule.violation";
      case DELAY: return "delay.injected";
      case APP_CONTEXT: return "app.context";
      default: return "unknown";
    }
  }
}
