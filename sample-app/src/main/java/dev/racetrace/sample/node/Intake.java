package dev.racetrace.sample.node;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays the input log in real time: each operation is admitted when its arrival time comes.
 * Runs on its own thread ({@code <node>-intake}).
 */
final class Intake implements Runnable {
  private final List<Scheduled> schedule;
  private final long startNanos;
  private final Admission admission;
  private final Timings timings;

  /**
   * @param schedule what to admit, sorted by arrival
   * @param startNanos the {@link System#nanoTime()} at which the log starts
   * @param admission where operations go
   * @param timings records arrivals
   */
  Intake(List<Scheduled> schedule, long startNanos, Admission admission, Timings timings) {
    this.schedule = schedule;
    this.startNanos = startNanos;
    this.admission = admission;
    this.timings = timings;
  }

  @Override
  public void run() {
    for (Scheduled s : schedule) {
      long due = startNanos + TimeUnit.MILLISECONDS.toNanos(s.atMillis());
      long left;
      while ((left = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(left);
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
      }
      long now = System.nanoTime();
      timings.arrived(s.op(), now, now - due);
      admission.admit(s.op());
    }
  }
}
