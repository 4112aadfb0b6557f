package dev.racetrace.core.task;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Decides whether a task may be wrapped without any observable change for the application.
 *
 * <p>A wrapper is only safe when nothing but the JDK sees it: exact JDK executor classes (not
 * subclasses, whose beforeExecute/newTaskFor may inspect the task), FIFO work queues (a
 * PriorityBlockingQueue compares tasks), JDK rejection policies (a custom handler may cast the task),
 * and never a ForkJoinTask (ForkJoinPool treats those specially). Elsewhere the submit is still
 * recorded, only the start/end link is lost.
 */
public final class TaskWrapping {
  private static final ClassValue<Boolean> SAFE_EXECUTOR_CLASS = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      String n = type.getName();
      return type.getClassLoader() == null
          && (type == ForkJoinPool.class
              || n.equals("java.util.concurrent.Executors$FinalizableDelegatedExecutorService")
              || n.equals("java.util.concurrent.Executors$AutoShutdownDelegatedExecutorService")
              || n.equals("java.util.concurrent.ThreadPerTaskExecutor"));
    }
  };

  private static final ClassValue<Boolean> FIFO_QUEUE_CLASS = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      String n = type.getName();
      return n.equals("java.util.concurrent.LinkedBlockingQueue")
          || n.equals("java.util.concurrent.ArrayBlockingQueue")
          || n.equals("java.util.concurrent.SynchronousQueue")
          || n.equals("java.util.concurrent.LinkedBlockingDeque")
          || n.equals("java.util.concurrent.LinkedTransferQueue");
    }
  };

  private TaskWrapping() {}

  /** Whether tasks handed to {@code executor} can be wrapped transparently. */
  public static boolean safeFor(Executor executor) {
    if (executor == null) {
      return false;
    }
    Class<?> k = executor.getClass();
    if (k == ThreadPoolExecutor.class) {
      ThreadPoolExecutor tpe = (ThreadPoolExecutor) executor;
      return FIFO_QUEUE_CLASS.get(tpe.getQueue().getClass()) && jdkHandler(tpe.getRejectedExecutionHandler());
    }
    if (k == ScheduledThreadPoolExecutor.class) {
      return jdkHandler(((ScheduledThreadPoolExecutor) executor).getRejectedExecutionHandler());
    }
    return SAFE_EXECUTOR_CLASS.get(k);
  }

  /** Whether this task object may be replaced by a wrapper. */
  public static boolean wrappable(Object task) {
    return task != null && !(task instanceof ForkJoinTask) && !(task instanceof TracedTask);
  }

  private static boolean jdkHandler(RejectedExecutionHandler h) {
    return h != null && h.getClass().getClassLoader() == null;
  }
}
