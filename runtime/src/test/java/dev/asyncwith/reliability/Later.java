package dev.asyncwith.reliability;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test's own threads for steps that "complete later on another thread". They are daemon
 * threads named {@code reliability-later-N}, so that they are never mistaken for threads the
 * library started. Their stacks are large: a step completed here may run a body that builds the
 * rest of a nesting 10,000 deep synchronously, which recurses as the body's own code does (rule 7
 * of {@code docs/RULES.md}).
 */
final class Later {
  private static final AtomicInteger COUNT = new AtomicInteger();
  /** Enough for a body that nests 10,000 statements synchronously. */
  static final long BIG_STACK = 512L * 1024 * 1024;
  private static final ExecutorService EXECUTOR =
      Executors.newFixedThreadPool(
          2,
          task -> {
            Thread thread =
                new Thread(null, task, "reliability-later-" + COUNT.incrementAndGet(), BIG_STACK);
            thread.setDaemon(true);
            return thread;
          });

  private Later() {}

  /** Runs {@code task} on another thread, soon. */
  static void run(Runnable task) {
    EXECUTOR.execute(task);
  }
}
