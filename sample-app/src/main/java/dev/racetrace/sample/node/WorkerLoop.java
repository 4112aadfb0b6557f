package dev.racetrace.sample.node;

/**
 * One worker of {@code Node.workers}: takes operations off {@code Node.workQueue} and processes
 * them until the node shuts the pool down (interrupt). After each operation it asks the admission
 * policy whether to run another one right away (in fixed mode: the same key's next operation).
 */
final class WorkerLoop implements Runnable {
  private final Node node;

  WorkerLoop(Node node) {
    this.node = node;
  }

  @Override
  public void run() {
    while (!Thread.currentThread().isInterrupted()) {
      Operation op;
      try {
        op = node.workQueue.take();
      } catch (InterruptedException e) {
        return;
      }
      while (op != null) {
        Operation next;
        try {
          node.process(op);
        } finally {
          // Every path (success, failure, no-op, interrupt) hands on the key's next operation.
          next = node.handOn(op);
        }
        op = next;
      }
    }
  }
}
