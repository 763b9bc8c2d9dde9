package dev.asyncwith.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncwith.AsyncExitStack;
import dev.asyncwith.AsyncWith;
import dev.asyncwith.reliability.StressResources.Ledger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One million sequential {@code async with} cycles per shape (hand-written resource,
 * non-blocking generator, {@code AsyncWith.with}, exit stack) and a smaller number of
 * blocking-generator cycles (each costs two thread hand-offs): every acquisition released once,
 * the heap after GC back within a bound of where it was after warm-up, and the platform thread
 * count back to its baseline.
 */
@Tag("stress")
class SequentialCyclesStressTest {
  /** Cycles per non-blocking shape. */
  static final int CYCLES = Integer.getInteger("asyncwith.stress.cycles", 1_000_000);
  /** Cycles for the blocking generator. */
  static final int BLOCKING_CYCLES = Integer.getInteger("asyncwith.stress.blockingCycles", 10_000);
  /** How much the heap after GC may grow between warm-up and the end. */
  static final long HEAP_BOUND = 16L * 1024 * 1024;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void handWrittenResource() throws Exception {
    Ledger ledger = new Ledger();
    cycles("hand-written use", CYCLES, ledger,
        () -> new StressResources.Counting(ledger, null).use(value -> done(value)));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void nonBlockingGenerator() throws Exception {
    Ledger ledger = new Ledger();
    cycles("non-blocking generator use", CYCLES, ledger,
        () -> new StressResources.CountingAsync(ledger, null).use(value -> done(value)));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void withOfThreeResources() throws Exception {
    Ledger ledger = new Ledger();
    cycles("AsyncWith.with of 3", CYCLES, ledger,
        () -> AsyncWith.with(
            new StressResources.Counting(ledger, null),
            new StressResources.CountingAsync(ledger, null),
            new StressResources.Counting(ledger, null),
            (a, b, c) -> done(a + b + c)));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void exitStack() throws Exception {
    Ledger ledger = new Ledger();
    cycles("exit stack of 2", CYCLES, ledger,
        () -> new AsyncExitStack().use(
            stack -> stack.enterContext(new StressResources.Counting(ledger, null))
                .thenCompose(
                    a -> stack.enterContext(new StressResources.CountingAsync(ledger, null)))
                .thenCompose(b -> done(b))));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void blockingGenerator() throws Exception {
    Ledger ledger = new Ledger();
    cycles("blocking generator use", BLOCKING_CYCLES, ledger,
        () -> new StressResources.CountingBlocking(ledger).use(value -> done(value)));
  }

  private static CompletableFuture<Integer> done(int value) {
    return CompletableFuture.completedFuture(value);
  }

  private static void cycles(
      String name, int cycles, Ledger ledger, Supplier<CompletableFuture<?>> cycle)
      throws Exception {
    int warmup = Math.max(1, cycles / 10);
    run(warmup, cycle);
    int threadBaseline = Measurements.platformThreads();
    long heapBaseline = Measurements.heapUsedAfterGc();
    long start = System.nanoTime();
    run(cycles, cycle);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(Measurements.await(ledger::balanced, 10_000), () -> name + ": " + ledger);
    long heapAfter = Measurements.heapUsedAfterGc();
    int threadsAfter = Measurements.platformThreadsSettleTo(threadBaseline, 10_000);
    Measurements.figure(name, cycles + " cycles (+" + warmup + " warm-up) in " + millis + " ms; "
        + "heap after GC " + Measurements.mib(heapBaseline) + " -> " + Measurements.mib(heapAfter)
        + "; platform threads " + threadBaseline + " -> " + threadsAfter + "; " + ledger);
    assertTrue(heapAfter - heapBaseline < HEAP_BOUND,
        () -> name + ": heap after GC grew from " + heapBaseline + " to " + heapAfter);
    assertTrue(threadsAfter <= threadBaseline,
        () -> name + ": platform threads " + threadBaseline + " -> " + threadsAfter);
    assertEquals(0, ledger.doubleReleases.get(), name);
  }

  private static void run(int cycles, Supplier<CompletableFuture<?>> cycle)
      throws Exception {
    for (int i = 0; i < cycles; i++) {
      CompletableFuture<?> result = cycle.get();
      if (!result.isDone()) {
        result.get(10, TimeUnit.SECONDS);
      } else {
        result.join();
      }
    }
  }
}
