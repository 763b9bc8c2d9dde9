package dev.asyncwith.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncwith.AsyncWith;
import dev.asyncwith.reliability.StressResources.Ledger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cancellation storms (DESIGN rule 6): statements whose enters complete on a pool and whose
 * blocks complete at random moments on a scheduler, while other threads cancel, complete or
 * fail their futures at other random moments: during enter, during the block, during exit, or
 * after the end. Every acquired resource is released exactly once, every future is done, no
 * failure reaches an uncaught-exception handler (nothing but cancellations happen), and no
 * generator thread is left behind.
 */
@Tag("stress")
class CancellationStormStressTest {
  static final int STATEMENTS = Integer.getInteger("asyncwith.stress.storm", 40_000);
  /** Every n-th statement uses a blocking generator (a thread each). */
  static final int BLOCKING_EVERY = 20;
  static final int MAX_DELAY_MICROS = 400;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyAcquiredResourceIsReleasedExactlyOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(3);
    List<Throwable> uncaught = Collections.synchronizedList(new ArrayList<>());
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> uncaught.add(failure));
    int threadBaseline = Measurements.platformThreads();
    Ledger ledger = new Ledger();
    List<StressResources.CountingBlocking> blocking = new ArrayList<>();
    List<CompletableFuture<Integer>> results = new ArrayList<>(STATEMENTS);
    int[] actions = new int[4];
    long start = System.nanoTime();
    try {
      SplittableRandom random = new SplittableRandom(Long.getLong("asyncwith.stress.seed", 42L));
      for (int i = 0; i < STATEMENTS; i++) {
        CompletableFuture<Integer> block = new CompletableFuture<>();
        CompletableFuture<Integer> result;
        if (i % BLOCKING_EVERY == 0) {
          StressResources.CountingBlocking generator = new StressResources.CountingBlocking(ledger);
          blocking.add(generator);
          result = generator.use(v -> block);
        } else if (i % 3 == 0) {
          result = new StressResources.Counting(ledger, pool).use(v -> block);
        } else if (i % 3 == 1) {
          result = new StressResources.CountingAsync(ledger, pool).use(v -> block);
        } else {
          result = AsyncWith.with(
              new StressResources.Counting(ledger, pool),
              new StressResources.CountingAsync(ledger, pool),
              (a, b) -> block);
        }
        results.add(result);
        int value = i;
        scheduler.schedule(
            () -> block.complete(value), random.nextInt(MAX_DELAY_MICROS), TimeUnit.MICROSECONDS);
        int action = random.nextInt(4);
        actions[action]++;
        scheduler.schedule(
            () -> {
              switch (action) {
                case 0:
                  result.cancel(true);
                  break;
                case 1:
                  result.cancel(false);
                  break;
                case 2:
                  result.complete(-1);
                  break;
                default:
                  result.completeExceptionally(new IllegalStateException("caller gave up"));
              }
            },
            random.nextInt(MAX_DELAY_MICROS),
            TimeUnit.MICROSECONDS);
      }
      scheduler.shutdown();
      assertTrue(scheduler.awaitTermination(60, TimeUnit.SECONDS), "scheduler did not drain");
      for (CompletableFuture<Integer> result : results) {
        assertTrue(result.isDone(), "a future is not done after the storm");
      }
      assertTrue(Measurements.await(ledger::balanced, 60_000), () -> "after the storm: " + ledger);
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
      List<String> alive = new ArrayList<>();
      for (StressResources.CountingBlocking generator : blocking) {
        Thread thread = generator.thread();
        if (thread != null) {
          thread.join(10_000);
          if (thread.isAlive()) {
            alive.add(thread.getName());
          }
        }
      }
      assertEquals(List.of(), alive, "blocking generator threads left behind");
      int threadsAfter = Measurements.platformThreadsSettleTo(threadBaseline, 30_000);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      Measurements.figure("cancellation storm", STATEMENTS + " statements ("
          + blocking.size() + " blocking) in " + millis + " ms; caller actions cancel(true)="
          + actions[0] + " cancel(false)=" + actions[1] + " complete=" + actions[2]
          + " completeExceptionally=" + actions[3] + "; " + ledger + "; platform threads "
          + threadBaseline + " -> " + threadsAfter);
      assertTrue(threadsAfter <= threadBaseline,
          () -> "platform threads " + threadBaseline + " -> " + threadsAfter);
      assertEquals(List.of(), uncaught, "failures reported to the uncaught-exception handler");
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
      scheduler.shutdownNow();
      pool.shutdownNow();
    }
  }
}
