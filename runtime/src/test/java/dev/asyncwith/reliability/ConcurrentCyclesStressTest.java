package dev.asyncwith.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncwith.AsyncExitStack;
import dev.asyncwith.AsyncWith;
import dev.asyncwith.reliability.StressResources.Ledger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ten thousand statements in flight at once, started from several threads, with enters
 * completing on a pool and blocks completed from other threads only once every statement has
 * started: all complete with their block's value, every acquisition is released exactly once,
 * the platform thread count returns to its baseline and the heap after GC to within a bound.
 */
@Tag("stress")
class ConcurrentCyclesStressTest {
  static final int CONCURRENT = Integer.getInteger("asyncwith.stress.concurrent", 10_000);
  /** Blocking generators hold a thread each: platform threads on JDK 17, virtual ones after. */
  static final int CONCURRENT_BLOCKING =
      Integer.getInteger(
          "asyncwith.stress.concurrentBlocking",
          Runtime.version().feature() >= 21 ? 10_000 : 1_000);
  static final int STARTERS = 4;
  static final long HEAP_BOUND = 32L * 1024 * 1024;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void mixedStatementsInFlightTogether() throws Exception {
    int threadBaseline = Measurements.platformThreads();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      mixed(threadBaseline, pool);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void mixed(int threadBaseline, ExecutorService pool) throws Exception {
    Ledger ledger = new Ledger();
    inFlightTogether("mixed non-blocking", CONCURRENT, ledger, threadBaseline, pool,
        (i, gate) -> {
          switch (i % 4) {
            case 0:
              return new StressResources.Counting(ledger, pool).use(v -> gate);
            case 1:
              return new StressResources.CountingAsync(ledger, pool).use(v -> gate);
            case 2:
              return AsyncWith.with(
                  new StressResources.Counting(ledger, pool),
                  new StressResources.CountingAsync(ledger, pool),
                  (a, b) -> gate);
            default:
              return new AsyncExitStack().use(
                  stack -> stack.enterContext(new StressResources.Counting(ledger, pool))
                      .thenCompose(a -> gate));
          }
        },
        () -> {});
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void blockingGeneratorsInFlightTogether() throws Exception {
    Ledger ledger = new Ledger();
    List<StressResources.CountingBlocking> generators =
        Collections.synchronizedList(new ArrayList<>());
    inFlightTogether("blocking generators", CONCURRENT_BLOCKING, ledger,
        Measurements.platformThreads(), null,
        (i, gate) -> {
          StressResources.CountingBlocking generator = new StressResources.CountingBlocking(ledger);
          generators.add(generator);
          return generator.use(v -> gate);
        },
        () -> {
          // Virtual threads are not among the platform threads counted: each generator's own
          // thread must have ended. The list is then dropped before the heap is measured.
          List<String> alive = new ArrayList<>();
          synchronized (generators) {
            for (StressResources.CountingBlocking generator : generators) {
              Thread thread = generator.thread();
              if (thread != null) {
                thread.join(10_000);
                if (thread.isAlive()) {
                  alive.add(thread.getName());
                }
              }
            }
            generators.clear();
          }
          assertEquals(List.of(), alive, "blocking generator threads left behind");
        });
  }

  /** Builds statement {@code i} whose block is {@code gate}. */
  interface StatementFactory {
    CompletableFuture<Integer> start(int i, CompletableFuture<Integer> gate);
  }

  /**
   * Runs {@code count} statements made by {@code factory} at once; then {@code settle}; {@code
   * pool}, if any, is the test's own executor, shut down before threads are counted against
   * {@code threadBaseline}.
   */
  private static void inFlightTogether(
      String name,
      int count,
      Ledger ledger,
      int threadBaseline,
      ExecutorService pool,
      StatementFactory factory,
      Settle settle)
      throws Exception {
    long heapBaseline = Measurements.heapUsedAfterGc();
    long start = System.nanoTime();

    List<CompletableFuture<Integer>> gates = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      gates.add(new CompletableFuture<>());
    }
    AtomicReferenceArray<CompletableFuture<Integer>> results = new AtomicReferenceArray<>(count);
    parallel(STARTERS, count, i -> results.set(i, factory.start(i, gates.get(i))));
    // Every statement has started; none can have finished, as no block has completed yet.
    for (int i = 0; i < count; i++) {
      assertFalse(results.get(i).isDone(), "a statement finished before its block");
    }
    parallel(2, count, i -> gates.get(i).complete(i));
    for (int i = 0; i < count; i++) {
      assertEquals(i, results.get(i).get(60, TimeUnit.SECONDS), name + " statement " + i);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(Measurements.await(ledger::balanced, 30_000), () -> name + ": " + ledger);

    for (int i = 0; i < count; i++) {
      results.set(i, null);
    }
    gates.clear();
    settle.run();
    if (pool != null) {
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "the test's pool did not stop");
    }
    int threadsAfter = Measurements.platformThreadsSettleTo(threadBaseline, 30_000);
    long heapAfter = Measurements.heapUsedAfterGc();
    Measurements.figure(name, count + " concurrent statements in " + millis + " ms; heap after GC "
        + Measurements.mib(heapBaseline) + " -> " + Measurements.mib(heapAfter)
        + "; platform threads " + threadBaseline + " -> " + threadsAfter + "; " + ledger);
    assertTrue(threadsAfter <= threadBaseline,
        () -> name + ": platform threads " + threadBaseline + " -> " + threadsAfter);
    assertTrue(heapAfter - heapBaseline < HEAP_BOUND,
        () -> name + ": heap after GC grew from " + heapBaseline + " to " + heapAfter);
  }

  /** Runs {@code task(i)} for i in [0, count) split over {@code threads} threads; waits. */
  private static void parallel(int threads, int count, IntConsumerTask task) throws Exception {
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread worker = new Thread(
          () -> {
            for (int i = first; i < count; i += threads) {
              task.run(i);
            }
          },
          "reliability-worker-" + t);
      worker.setUncaughtExceptionHandler((thread, failure) -> {
        synchronized (failures) {
          failures.add(failure);
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join(TimeUnit.SECONDS.toMillis(60));
      assertTrue(!worker.isAlive(), worker.getName() + " did not finish");
    }
    synchronized (failures) {
      assertEquals(List.of(), failures);
    }
  }

  /** Checks run once every statement has completed, before threads and heap are measured. */
  interface Settle {
    void run() throws Exception;
  }

  /** An index-taking task. */
  interface IntConsumerTask {
    void run(int i);
  }
}
