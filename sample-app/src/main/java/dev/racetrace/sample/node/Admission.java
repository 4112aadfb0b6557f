package dev.racetrace.sample.node;

/**
 * How operations from the input log get onto {@code Node.workQueue}, and what a worker runs after
 * finishing one.
 */
interface Admission {
  /** Called by the intake, in log order, once per operation. */
  void admit(Operation op);

  /**
   * Called by the worker once {@code finished} has finished, whatever the outcome (success,
   * failure, no-op, interruption).
   *
   * @return an operation this worker must run next, or null to go back to the queue
   */
  Operation next(Operation finished);

  /** Broken mode: straight onto the queue; finishing an operation hands on nothing. */
  final class Direct implements Admission {
    private final Node node;

    Direct(Node node) {
      this.node = node;
    }

    @Override
    public void admit(Operation op) {
      if (!node.workQueue.offer(op)) {
        throw new IllegalStateException("work queue refused " + op);
      }
    }

    @Override
    public Operation next(Operation finished) {
      return null;
    }
  }
}
