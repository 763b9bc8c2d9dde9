package dev.asyncwith;

import static dev.asyncwith.Generators.assertEnds;
import static dev.asyncwith.Generators.assertMentions;
import static dev.asyncwith.Generators.async;
import static dev.asyncwith.Generators.blocking;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Both engines inside the {@code async with} statement ({@code use}, {@code AsyncWith.with}, the
 * timeout), which drives them directly: the block runs inside the yield call.
 */
class GeneratorUseTest {

  /** A lease whose events are recorded, including whether the block had finished at yield. */
  private static AsyncGenerator<String> lease(List<String> events) {
    return async(
        "Pools.lease",
        yield -> {
          events.add("setup");
          CompletableFuture<Void> atYield = yield.yield("conn").toCompletableFuture();
          events.add(atYield.isDone() ? "block done at yield" : "block running at yield");
          return atYield.whenComplete((v, failure) -> events.add("teardown " + failure));
        });
  }

  @Nested
  class NonBlocking {

    @Test
    void aSynchronousBlockHasFinishedWhenYieldReturns() {
      List<String> events = new ArrayList<>();
      CompletableFuture<Integer> result =
          lease(events)
              .use(
                  conn -> {
                    events.add("body " + conn);
                    return CompletableFuture.completedFuture(42);
                  });

      assertTrue(result.isDone(), "everything ran synchronously, inside use");
      assertEquals(Integer.valueOf(42), Await.value(result));
      assertEquals(
          List.of("setup", "body conn", "block done at yield", "teardown null"), events);
    }

    @Test
    void anAsynchronousBlockIsDeliveredLater() {
      List<String> events = new ArrayList<>();
      CompletableFuture<Integer> block = new CompletableFuture<>();
      CompletableFuture<Integer> result = lease(events).use(conn -> block);

      assertEquals(List.of("setup", "block running at yield"), events);
      block.complete(7);
      assertEquals(Integer.valueOf(7), Await.value(result));
      assertEquals(List.of("setup", "block running at yield", "teardown null"), events);
    }

    @Test
    void suppressReraiseReplaceAsInPython() {
      IOException blockFailure = new IOException("block");
      AsyncGenerator<String> suppressing =
          async("Pools.lease", yield -> yield.yield("conn").exceptionally(f -> null));
      assertNull(Await.value(suppressing.use(conn -> CompletableFuture.failedFuture(blockFailure))));

      List<String> events = new ArrayList<>();
      CompletableFuture<Object> reraised =
          lease(events).use(conn -> CompletableFuture.failedFuture(blockFailure));
      assertSame(blockFailure, Await.failure(reraised));
      assertEquals("teardown " + blockFailure, events.get(events.size() - 1));

      IllegalStateException replacement = new IllegalStateException("rollback failed");
      AsyncGenerator<String> replacing =
          async(
              "Pools.lease",
              yield ->
                  yield
                      .yield("conn")
                      .handle(
                          (v, f) -> {
                            throw replacement;
                          }));
      Throwable replaced =
          Await.failure(replacing.use(conn -> CompletableFuture.failedFuture(blockFailure)));
      assertSame(replacement, replaced);
      assertArrayEquals(new Throwable[] {blockFailure}, replacement.getSuppressed());
    }

    @Test
    void aBodyThatThrowsIsAFailedBlock() {
      List<String> events = new ArrayList<>();
      IllegalArgumentException thrown = new IllegalArgumentException("body threw");
      CompletableFuture<Object> result =
          lease(events)
              .use(
                  conn -> {
                    throw thrown;
                  });
      assertSame(thrown, Await.failure(result));
      assertEquals("teardown " + thrown, events.get(events.size() - 1));
    }

    @Test
    void didNotYieldFailsUseAndTheBodyNeverRuns() {
      AtomicBoolean ran = new AtomicBoolean();
      AsyncGenerator<String> lease =
          async("Pools.lease", yield -> CompletableFuture.completedFuture(null));
      Throwable failure =
          Await.failure(
              lease.use(
                  conn -> {
                    ran.set(true);
                    return CompletableFuture.completedFuture(null);
                  }));
      assertMentions(failure, "Pools.lease did not yield");
      assertFalse(ran.get());
    }

    @Test
    void yieldedTwiceAndTooEarlyFailUse() {
      AsyncGenerator<String> twice =
          async(
              "Pools.lease",
              yield -> yield.yield("first").thenCompose(v -> yield.yield("second")));
      assertMentions(
          Await.failure(twice.use(conn -> CompletableFuture.completedFuture(1))), "yielded twice");

      AsyncGenerator<String> early =
          async(
              "Pools.lease",
              yield -> {
                yield.yield("conn");
                return CompletableFuture.completedFuture(null);
              });
      CompletableFuture<Integer> block = new CompletableFuture<>();
      CompletableFuture<Integer> result = early.use(conn -> block);
      block.complete(1);
      assertMentions(Await.failure(result), "too early");
    }

    @Test
    void aSecondUseOfTheSameInstanceFails() {
      AsyncGenerator<String> lease = lease(new ArrayList<>());
      CompletableFuture<Integer> first = lease.use(conn -> CompletableFuture.completedFuture(1));
      assertEquals(Integer.valueOf(1), Await.value(first));
      Throwable second = Await.failure(lease.use(conn -> CompletableFuture.completedFuture(2)));
      assertInstanceOf(IllegalStateException.class, second);
      assertMentions(second, "already entered");
    }

    @Test
    void cancellingTheResultCancelsTheBlockAndTheTeardownStillRuns() {
      List<String> events = new CopyOnWriteArrayList<>();
      CompletableFuture<Integer> block = new CompletableFuture<>();
      CompletableFuture<Integer> result = lease(events).use(conn -> block);

      assertTrue(result.cancel(true));

      assertTrue(block.isCancelled());
      String last = events.get(events.size() - 1);
      assertTrue(last.startsWith("teardown java.util.concurrent.CancellationException"), last);
    }

    @Test
    void cancellingWhileTheMethodIsInSetupReleasesWhatItAcquires() {
      List<String> events = new ArrayList<>();
      CompletableFuture<String> acquired = new CompletableFuture<>();
      AtomicBoolean bodyRan = new AtomicBoolean();
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield ->
                  acquired.thenCompose(
                      conn ->
                          yield
                              .yield(conn)
                              .whenComplete(
                                  (v, f) -> events.add("released " + conn + " after " + f))));
      CompletableFuture<Integer> result =
          lease.use(
              conn -> {
                bodyRan.set(true);
                return CompletableFuture.completedFuture(1);
              });
      assertTrue(result.cancel(true));

      acquired.complete("conn");

      assertFalse(bodyRan.get());
      assertEquals(1, events.size());
      assertTrue(events.get(0).startsWith("released conn after java.util.concurrent.Cancellation"));
    }

    @Test
    void aTimeoutReachesTheTeardownAndUseWaitsForIt() {
      List<String> events = new CopyOnWriteArrayList<>();
      CompletableFuture<Integer> result =
          lease(events).use(Duration.ofMillis(20), conn -> new CompletableFuture<Integer>());
      Throwable failure = Await.failure(result);
      assertInstanceOf(TimeoutException.class, failure);
      String last = events.get(events.size() - 1);
      assertTrue(last.startsWith("teardown java.util.concurrent.TimeoutException"), last);
    }

    @Test
    void severalGeneratorsEnterInOrderAndExitInReverse() {
      List<String> events = new ArrayList<>();
      IntFunction<AsyncGenerator<Integer>> numbered =
          n ->
              async(
                  "Pools.lease" + n,
                  yield -> {
                    events.add("enter " + n);
                    return yield.yield(n).whenComplete((v, f) -> events.add("exit " + n));
                  });
      CompletableFuture<Integer> sum =
          AsyncWith.with(
              numbered.apply(1),
              numbered.apply(2),
              numbered.apply(3),
              (a, b, c) -> CompletableFuture.completedFuture(a + b + c));
      assertEquals(Integer.valueOf(6), Await.value(sum));
      assertEquals(
          List.of("enter 1", "enter 2", "enter 3", "exit 3", "exit 2", "exit 1"), events);
    }

    @Test
    void tenThousandNestedGeneratorStatementsUnwindWithoutGrowingTheStack() {
      final int depth = 10_000;
      ArrayDeque<CompletableFuture<Integer>> toAcquire = new ArrayDeque<>();
      List<Integer> released = new ArrayList<>();
      CompletableFuture<String> innermost = new CompletableFuture<>();
      IntFunction<CompletableFuture<String>> level =
          new IntFunction<>() {
            @Override
            public CompletableFuture<String> apply(int n) {
              AsyncGenerator<Integer> lease =
                  async(
                      "Pools.level",
                      yield -> {
                        CompletableFuture<Integer> acquiring = new CompletableFuture<>();
                        toAcquire.add(acquiring);
                        return acquiring.thenCompose(
                            d -> yield.yield(d).whenComplete((v, f) -> released.add(d)));
                      });
              return lease.use(d -> d == depth ? innermost : this.apply(d + 1));
            }
          };
      CompletableFuture<String> outermost = level.apply(1);
      for (int n = 1; n <= depth; n++) {
        toAcquire.poll().complete(n); // each enter's body starts the next level
      }
      assertFalse(outermost.isDone());

      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread small =
          new Thread(
              null,
              () -> {
                try {
                  innermost.complete("done");
                } catch (Throwable t) {
                  thrown.set(t);
                }
              },
              "small-stack",
              256 * 1024);
      small.start();
      try {
        assertEnds(small);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      assertNull(thrown.get());
      assertEquals("done", Await.value(outermost));
      assertEquals(depth, released.size());
      assertEquals(Integer.valueOf(depth), released.get(0), "innermost released first");
      assertEquals(Integer.valueOf(1), released.get(depth - 1), "outermost released last");
    }
  }

  @Nested
  class Blocking {

    @Test
    void theBodyAlwaysRunsOnTheGeneratorThreadHoldingItsLock() throws Exception {
      for (int i = 0; i < 50; i++) {
        ReentrantLock lock = new ReentrantLock();
        AtomicReference<Thread> generator = new AtomicReference<>();
        BlockingGenerator<ReentrantLock> locked =
            blocking(
                "Locks.locked",
                yield -> {
                  generator.set(Thread.currentThread());
                  lock.lock();
                  try {
                    yield.yield(lock);
                  } finally {
                    lock.unlock();
                  }
                });
        CompletableFuture<Boolean> heldInBody =
            locked.use(l -> CompletableFuture.completedFuture(l.isHeldByCurrentThread()));
        assertTrue(Await.value(heldInBody), "the body runs on the generator thread");
        assertFalse(lock.isLocked());
        assertEnds(generator.get());
      }
    }

    @Test
    void suppressReraiseReplaceAsInPython() {
      IOException blockFailure = new IOException("block");
      BlockingGenerator<String> suppressing =
          blocking(
              "Transactions.open",
              yield -> {
                try {
                  yield.yield("conn");
                } catch (IOException swallowed) {
                  // Python: except OSError: pass
                }
              });
      assertNull(Await.value(suppressing.use(conn -> CompletableFuture.failedFuture(blockFailure))));

      BlockingGenerator<String> reraising =
          blocking("Transactions.open", yield -> yield.yield("conn"));
      assertSame(
          blockFailure,
          Await.failure(reraising.use(conn -> CompletableFuture.failedFuture(blockFailure))));

      IllegalStateException replacement = new IllegalStateException("rollback failed");
      BlockingGenerator<String> replacing =
          blocking(
              "Transactions.open",
              yield -> {
                try {
                  yield.yield("conn");
                } catch (IOException failure) {
                  throw replacement;
                }
              });
      assertSame(
          replacement,
          Await.failure(replacing.use(conn -> CompletableFuture.failedFuture(blockFailure))));
      assertArrayEquals(new Throwable[] {blockFailure}, replacement.getSuppressed());
    }

    @Test
    void anAsynchronousBlockWakesTheGeneratorThreadWhenItCompletes() throws Exception {
      List<String> events = new CopyOnWriteArrayList<>();
      AtomicReference<Thread> generator = new AtomicReference<>();
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                generator.set(Thread.currentThread());
                yield.yield("conn");
                events.add("commit on " + (Thread.currentThread() == generator.get()));
              });
      CompletableFuture<String> block = new CompletableFuture<>();
      CompletableFuture<String> result = transaction.use(conn -> block);
      Thread completer = new Thread(() -> block.complete("done"), "completer");
      completer.start();
      assertEquals("done", Await.value(result));
      assertEquals(List.of("commit on true"), events);
      assertEnds(completer);
      assertEnds(generator.get());
    }

    @Test
    void didNotYieldAndYieldedTwiceFailUse() throws Exception {
      BlockingGenerator<String> none = blocking("Transactions.open", yield -> {});
      assertMentions(
          Await.failure(none.use(conn -> CompletableFuture.completedFuture(1))), "did not yield");

      BlockingGenerator<String> twice =
          blocking(
              "Transactions.open",
              yield -> {
                yield.yield("first");
                yield.yield("second");
              });
      assertMentions(
          Await.failure(twice.use(conn -> CompletableFuture.completedFuture(1))), "yielded twice");
    }

    @Test
    void cancellingTheResultReachesTheMethodAtItsYield() throws Exception {
      AtomicReference<Throwable> atYield = new AtomicReference<>();
      CountDownLatch released = new CountDownLatch(1);
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                try {
                  yield.yield("conn");
                } catch (CancellationException cancelled) {
                  atYield.set(cancelled);
                  throw cancelled;
                } finally {
                  released.countDown();
                }
              });
      CompletableFuture<String> block = new CompletableFuture<>();
      CompletableFuture<String> result = transaction.use(conn -> block);
      awaitTrue(() -> block.getNumberOfDependents() > 0);
      assertTrue(result.cancel(true));
      assertTrue(released.await(Await.SECONDS, TimeUnit.SECONDS));
      assertInstanceOf(CancellationException.class, atYield.get());
    }

    @Test
    void twoBlockingGeneratorsNestWithAsyncWith() {
      List<String> events = new CopyOnWriteArrayList<>();
      IntFunction<BlockingGenerator<Integer>> numbered =
          n ->
              blocking(
                  "Transactions.open" + n,
                  yield -> {
                    events.add("enter " + n);
                    yield.yield(n);
                    events.add("exit " + n);
                  });
      CompletableFuture<Integer> sum =
          AsyncWith.with(
              numbered.apply(1),
              numbered.apply(2),
              (a, b) -> CompletableFuture.completedFuture(a + b));
      assertEquals(Integer.valueOf(3), Await.value(sum));
      assertEquals(List.of("enter 1", "enter 2", "exit 2", "exit 1"), events);
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.SECONDS);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not reached in time");
      Thread.onSpinWait();
    }
  }
}
