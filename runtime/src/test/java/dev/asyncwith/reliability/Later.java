package dev.asyncwith.reliability;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test's own threads for steps that "complete later on another thread". They are daemon
 * threads named {@code reliability-later-N}, so that they are never mistaken for threads the
 * library started.
 */
final class Later {
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final ExecutorService EXECUTOR =
      Executors.newFixedThreadPool(
          2,
          task -> {
            Thread thread = new Thread(task, "reliability-later-" + COUNT.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  private Later() {}

  /** Runs {@code task} on another thread, soon. */
  static void run(Runnable task) {
    EXECUTOR.execute(task);
  }
}
