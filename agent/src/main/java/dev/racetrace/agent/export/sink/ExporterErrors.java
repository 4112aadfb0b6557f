package dev.racetrace.agent.export.sink;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Finds an {@link Error} behind a failed export. The bundled SDK's senders run on their own
 * threads and report what went wrong there as the batch's failure, wrapped: the JDK HTTP sender as
 * {@code FailedExportException} caused by a {@code CompletionException} caused by the Error,
 * OkHttp (OTLP/gRPC, Zipkin) as an {@code IOException("canceled due to ...")} with the Error
 * suppressed. Such an Error stops racetrace as one on its own thread does.
 */
final class ExporterErrors {
  /** Throwables looked at: a chain this long is not a sender's wrapping. */
  private static final int MAX_LOOKED_AT = 16;

  private ExporterErrors() {}

  /** The first Error among {@code failure}, its causes and suppressed throwables, or null. */
  static Error find(Throwable failure) {
    Deque<Throwable> todo = new ArrayDeque<>();
    if (failure != null) {
      todo.add(failure);
    }
    for (int looked = 0; !todo.isEmpty() && looked < MAX_LOOKED_AT; looked++) {
      Throwable t = todo.poll();
      if (t instanceof Error) {
        return (Error) t;
      }
      if (t.getCause() != null && t.getCause() != t) {
        todo.add(t.getCause());
      }
      for (Throwable s : t.getSuppressed()) {
        todo.add(s);
      }
    }
    return null;
  }
}
