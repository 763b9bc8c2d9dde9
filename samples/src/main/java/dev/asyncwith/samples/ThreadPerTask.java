package dev.asyncwith.samples;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread per task for the samples that block: a virtual thread on JDK 21 and later, a daemon
 * platform thread on JDK 17 to 20. The samples compile for Java 17, so virtual threads are found
 * at run time.
 */
final class ThreadPerTask {
  private ThreadPerTask() {}

  /**
   * An executor that runs each task on a new thread: {@code
   * Executors.newVirtualThreadPerTaskExecutor()} where it exists, else platform threads named
   * {@code prefix} and a number.
   */
  static ExecutorService executor(String prefix) {
    ExecutorService virtual = virtualExecutor();
    if (virtual != null) {
      return virtual;
    }
    AtomicInteger count = new AtomicInteger();
    return Executors.newCachedThreadPool(
        task -> {
          Thread thread = new Thread(task, prefix + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  private static ExecutorService virtualExecutor() {
    try {
      Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return (ExecutorService) factory.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException absent) {
      return null; // JDK 17 to 20
    }
  }
}
