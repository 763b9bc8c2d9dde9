package dev.asyncwith.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncwith.AsyncExitStack;
import dev.asyncwith.AsyncResource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The figures RELIABILITY.md gives for the adversarial pass's findings 2 and 9, measured on the
 * shapes that showed them: closing an exit stack whose callbacks all raise (each failure chained
 * to the next), and cancelling or timing out 10,000 nested statements. Each shape is checked as
 * well as timed; the times are printed on {@code [reliability-figure]} lines, not asserted (the
 * machine is shared; throughput belongs to the JMH benchmarks).
 */
@Tag("stress")
class AdversarialFiguresStressTest {

  @Test
  void closingAStackOfRaisingCallbacks() throws Exception {
    for (boolean madeBefore : new boolean[] {false, true}) {
      for (int callbacks : new int[] {10_000, 20_000}) {
        long[] rounds = new long[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
          rounds[round] = closeRaising(callbacks, madeBefore);
        }
        Measurements.figure("exit stack", callbacks(callbacks, rounds)
            + (madeBefore
                ? " (failures made before the close: the library's part alone)"
                : " (each callback makes its failure, stack trace included)"));
      }
    }
  }

  /** Rounds per shape: the first ones run before the JIT has compiled the library. */
  private static final int ROUNDS = 30;

  private static String callbacks(int callbacks, long[] rounds) {
    return String.format(Locale.ROOT, "%,d raising callbacks closed in %s", callbacks,
        bestAndMedian(rounds));
  }

  private static String bestAndMedian(long[] nanos) {
    long[] sorted = nanos.clone();
    java.util.Arrays.sort(sorted);
    return String.format(Locale.ROOT, "%.1f ms best, %.1f ms median of %d rounds",
        sorted[0] / 1e6, sorted[sorted.length / 2] / 1e6, sorted.length);
  }

  /**
   * Closes a stack of {@code n} callbacks that each raise a new exception, made by the callback
   * or, if {@code madeBefore}, before the close; returns the nanos the close took.
   */
  private static long closeRaising(int n, boolean madeBefore) throws Exception {
    AsyncExitStack stack = new AsyncExitStack();
    for (int i = 0; i < n; i++) {
      int index = i;
      if (madeBefore) {
        IllegalStateException failure = new IllegalStateException("callback " + index);
        stack.callback(() -> CompletableFuture.failedFuture(failure));
      } else {
        stack.callback(
            () -> CompletableFuture.failedFuture(new IllegalStateException("callback " + index)));
      }
    }
    long start = System.nanoTime();
    CompletableFuture<Void> closed = stack.close().toCompletableFuture();
    long elapsed = System.nanoTime() - start;
    Throwable failure = null;
    try {
      closed.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      failure = e.getCause();
    }
    assertEquals("callback 0", failure.getMessage());
    int links = 1;
    for (Throwable next = failure; next.getSuppressed().length == 1; next = next.getSuppressed()[0]) {
      links++;
    }
    assertEquals(n, links, "every failure chained to the next, once");
    return elapsed;
  }

  @Test
  void cancellingAndTimingOutTenThousandNestedStatements() throws Exception {
    int depth = 10_000;
    long[] rounds = new long[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      Nest cancelled = new Nest(depth);
      long start = System.nanoTime();
      cancelled.outermost.cancel(true);
      long cancelNanos = System.nanoTime() - start;
      assertTrue(cancelled.innermost.isCancelled());
      assertEquals(depth, cancelled.exits.get());

      Nest timed = new Nest(depth);
      CompletableFuture<String> result =
          new Plain().use(Duration.ofMillis(1), v -> timed.outermost);
      try {
        result.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        assertTrue(e.getCause() instanceof TimeoutException);
      }
      assertEquals(depth, timed.exits.get());
      rounds[round] = cancelNanos;
    }
    Measurements.figure("deep cancel", String.format(Locale.ROOT,
        "cancel of %,d nested statements, every exit run, in %s", depth, bestAndMedian(rounds)));
  }

  /** A resource that does nothing. */
  private static final class Plain implements AsyncResource<String> {
    @Override
    public CompletionStage<String> enter() {
      return CompletableFuture.completedFuture("plain");
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      return CompletableFuture.completedFuture(false);
    }
  }

  /** {@code depth} nested statements around a pending block, built without recursion. */
  private static final class Nest {
    final CompletableFuture<String> innermost = new CompletableFuture<>();
    final AtomicInteger exits = new AtomicInteger();
    final CompletableFuture<String> outermost;

    Nest(int depth) {
      ArrayDeque<CompletableFuture<Integer>> toEnter = new ArrayDeque<>();
      Function<Integer, CompletableFuture<String>> level =
          new Function<>() {
            @Override
            public CompletableFuture<String> apply(Integer d) {
              AsyncResource<Integer> resource =
                  new AsyncResource<>() {
                    @Override
                    public CompletionStage<Integer> enter() {
                      CompletableFuture<Integer> entering = new CompletableFuture<>();
                      toEnter.add(entering);
                      return entering;
                    }

                    @Override
                    public CompletionStage<Boolean> exit(Throwable failure) {
                      exits.incrementAndGet();
                      return CompletableFuture.completedFuture(false);
                    }
                  };
              return resource.use(x -> x == depth ? innermost : this.apply(x + 1));
            }
          };
      outermost = level.apply(1);
      for (int d = 1; !toEnter.isEmpty(); d++) {
        toEnter.poll().complete(d);
      }
      assertSame(false, outermost.isDone());
    }
  }
}
