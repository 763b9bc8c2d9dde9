package dev.asyncwith;

import static dev.asyncwith.Generators.assertMentions;
import static dev.asyncwith.Generators.async;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The non-blocking engine, through {@code enter} and {@code exit}: the generator rules of {@code docs/RULES.md}. */
class AsyncGeneratorTest {

  /** A lease whose setup and teardown are recorded: Python's try/yield/finally. */
  private static AsyncGenerator<String> recordingLease(List<String> events) {
    return async(
        "Pools.lease",
        yield -> {
          events.add("setup");
          return yield
              .yield("conn")
              .whenComplete((v, failure) -> events.add("teardown " + failure));
        });
  }

  @Nested
  class NormalUse {

    @Test
    void enterYieldsTheValueAndExitResumesTheMethodAfterTheYield() {
      List<String> events = new ArrayList<>();
      AsyncGenerator<String> lease = recordingLease(events);

      assertEquals("conn", Await.value(lease.enter()));
      assertEquals(List.of("setup"), events);
      assertFalse(Await.value(lease.exit(null)));
      assertEquals(List.of("setup", "teardown null"), events);
    }

    @Test
    void theBlocksFailureIsDeliveredAtTheYieldItselfUnwrapped() {
      AtomicReference<Throwable> seen = new AtomicReference<>();
      AsyncGenerator<String> lease =
          async("Pools.lease", yield -> yield.yield("conn").whenComplete((v, f) -> seen.set(f)));
      IllegalArgumentException blockFailure = new IllegalArgumentException("block");

      Await.value(lease.enter());
      CompletionStage<Boolean> exit =
          lease.exit(new CompletionException(new CompletionException(blockFailure)));

      assertSame(blockFailure, seen.get());
      assertFalse(Await.value(exit), "the method let the block's failure stand");
    }

    @Test
    void aCompletionExceptionWithoutCauseIsItselfTheFailure() {
      AtomicReference<Throwable> seen = new AtomicReference<>();
      AsyncGenerator<String> lease =
          async("Pools.lease", yield -> yield.yield("conn").whenComplete((v, f) -> seen.set(f)));
      CompletionException causeless = new CompletionException("no cause", null);

      Await.value(lease.enter());
      assertFalse(Await.value(lease.exit(causeless)));
      assertSame(causeless, seen.get());
    }

    @Test
    void enterCompletesOnTheThreadThatYields() throws Exception {
      CompletableFuture<String> acquired = new CompletableFuture<>();
      AsyncGenerator<String> lease =
          async("Pools.lease", yield -> acquired.thenCompose(yield::yield));
      AtomicReference<Thread> bodyThread = new AtomicReference<>();

      CompletableFuture<String> entered = lease.enter().toCompletableFuture();
      CompletableFuture<Void> body =
          entered.thenAccept(v -> bodyThread.set(Thread.currentThread()));
      assertFalse(entered.isDone(), "the method has not yielded yet");
      Thread acquirer = new Thread(() -> acquired.complete("conn"), "acquirer");
      acquirer.start();
      acquirer.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));

      Await.value(body);
      assertSame(acquirer, bodyThread.get());
      assertFalse(Await.value(lease.exit(null)));
    }

    @Test
    void exitWaitsForAnAsynchronousTeardown() {
      CompletableFuture<Void> released = new CompletableFuture<>();
      AsyncGenerator<String> lease =
          async("Pools.lease", yield -> yield.yield("conn").thenCompose(v -> released));

      Await.value(lease.enter());
      CompletableFuture<Boolean> exit = lease.exit(null).toCompletableFuture();
      assertFalse(exit.isDone(), "teardown still running");
      released.complete(null);
      assertFalse(Await.value(exit));
    }

    @Test
    void aBlockThatCompletesInsideTheYieldCanExitThere() {
      List<String> events = new ArrayList<>();
      CompletableFuture<String> acquired = new CompletableFuture<>();
      AsyncGenerator<String> slowLease =
          async(
              "Pools.slowLease",
              yield ->
                  acquired.thenCompose(
                      conn ->
                          yield
                              .yield(conn)
                              .whenComplete((v, f) -> events.add("slow teardown " + f))));
      AtomicReference<CompletionStage<Boolean>> exit = new AtomicReference<>();

      // The body runs inside yield and exits at once, before the method has its yield stage.
      slowLease.enter().thenAccept(conn -> exit.set(slowLease.exit(null)));
      acquired.complete("conn");
      assertFalse(Await.value(exit.get()));
      assertEquals(List.of("slow teardown null"), events);
    }

    @Test
    void theMethodMayReturnTheStageYieldReturned() {
      AsyncGenerator<String> bare = async("Pools.bare", yield -> yield.yield("conn"));
      Await.value(bare.enter());
      assertFalse(Await.value(bare.exit(null)));

      AsyncGenerator<String> failing = async("Pools.bare", yield -> yield.yield("conn"));
      Await.value(failing.enter());
      assertFalse(Await.value(failing.exit(new IllegalStateException("block"))));
    }

    @Test
    void theMethodMayReturnAMinimalStage() {
      AsyncGenerator<String> minimal =
          async(
              "Pools.minimal",
              yield ->
                  yield
                      .yield("conn")
                      .toCompletableFuture()
                      .minimalCompletionStage()
                      .exceptionally(f -> null));
      Await.value(minimal.enter());
      assertTrue(Await.value(minimal.exit(new IllegalStateException("block"))));

      AsyncGenerator<String> done =
          async(
              "Pools.done",
              yield -> {
                yield.yield("conn");
                return CompletableFuture.completedStage(null);
              });
      Await.value(done.enter());
      assertMentions(Await.failure(done.exit(null)), "too early");
    }

    @Test
    void exitReturnsASharedStageWhenSetupAndTeardownAreSynchronous() {
      AsyncGenerator<String> first = recordingLease(new ArrayList<>());
      AsyncGenerator<String> second = recordingLease(new ArrayList<>());
      Await.value(first.enter());
      Await.value(second.enter());

      CompletionStage<Boolean> firstExit = first.exit(null);
      CompletionStage<Boolean> secondExit = second.exit(null);

      assertSame(firstExit, secondExit, "no stage allocated per exit");
      assertFalse(Await.value(firstExit));
      CompletableFuture<Boolean> shared = firstExit.toCompletableFuture();
      assertFalse(shared.complete(true));
      assertThrows(UnsupportedOperationException.class, () -> shared.obtrudeValue(true));
      assertFalse(Await.value(secondExit));
    }

    @Test
    void aNullNameIsRejected() {
      assertThrows(NullPointerException.class, () -> async(null, yield -> yield.yield("x")));
    }
  }

  @Nested
  class DidNotYield {

    @Test
    void aMethodThatCompletesWithoutYieldingFailsEnter() {
      AsyncGenerator<String> lease =
          async("Pools.lease", yield -> CompletableFuture.completedFuture(null));
      Throwable failure = Await.failure(lease.enter());
      assertInstanceOf(IllegalStateException.class, failure);
      assertMentions(failure, "Pools.lease did not yield");
    }

    @Test
    void aMethodThatCompletesLaterWithoutYieldingFailsEnter() {
      CompletableFuture<Void> later = new CompletableFuture<>();
      AsyncGenerator<String> lease = async("Pools.lease", yield -> later);
      CompletableFuture<String> entered = lease.enter().toCompletableFuture();
      assertFalse(entered.isDone());
      later.complete(null);
      assertMentions(Await.failure(entered), "did not yield");
    }

    @Test
    void aMethodThatFailsBeforeYieldingFailsEnterWithThatFailure() {
      IllegalStateException refused = new IllegalStateException("pool closed");
      CompletableFuture<Void> later = new CompletableFuture<>();
      AsyncGenerator<String> lease = async("Pools.lease", yield -> later);
      CompletionStage<String> entered = lease.enter();
      later.completeExceptionally(new CompletionException(refused));
      assertSame(refused, Await.failure(entered));
    }

    @Test
    void aMethodThatThrowsFailsEnterWithWhatItThrew() {
      Error thrown = new AssertionError("boom");
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield -> {
                throw thrown;
              });
      assertSame(thrown, Await.failure(lease.enter()));
    }

    @Test
    void aMethodThatReturnsNullFailsEnterWithAnNpeNamingIt() {
      AsyncGenerator<String> lease = async("Pools.lease", yield -> null);
      Throwable failure = Await.failure(lease.enter());
      assertInstanceOf(NullPointerException.class, failure);
      assertMentions(failure, "Pools.lease");
    }

    @Test
    void aYieldAfterTheMethodCompletedFailsAndChangesNothing() {
      AtomicReference<AsyncYield<String>> kept = new AtomicReference<>();
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield -> {
                kept.set(yield);
                return CompletableFuture.completedFuture(null);
              });
      CompletionStage<String> entered = lease.enter();
      assertMentions(Await.failure(entered), "did not yield");

      CompletionStage<Void> late = kept.get().yield("late");
      assertMentions(Await.failure(late), "yielded after it had completed");
      assertMentions(Await.failure(lease.exit(null)), "exited before its enter completed");
    }
  }

  @Nested
  class SuppressOrReraise {

    @Test
    void recoveringFromTheFailureSuppressesIt() {
      AsyncGenerator<String> lease =
          async("Pools.lease", yield -> yield.yield("conn").exceptionally(failure -> null));
      Await.value(lease.enter());
      assertTrue(Await.value(lease.exit(new IllegalArgumentException("block"))));
    }

    @Test
    void failingWithTheSameFailureLetsItStand() {
      IllegalArgumentException block = new IllegalArgumentException("block");
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield ->
                  yield
                      .yield("conn")
                      .handle(
                          (v, failure) -> {
                            // re-raised explicitly, wrapped: still the same failure
                            throw new CompletionException(failure);
                          }));
      Await.value(lease.enter());
      assertFalse(Await.value(lease.exit(block)));
    }

    @Test
    void failingWithAnotherFailureReplacesIt() {
      IllegalStateException replacement = new IllegalStateException("rollback failed");
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield ->
                  yield
                      .yield("conn")
                      .handle(
                          (v, failure) -> {
                            throw replacement;
                          }));
      Await.value(lease.enter());
      assertSame(replacement, Await.failure(lease.exit(new IllegalArgumentException("block"))));
    }

    @Test
    void afterANormalBlockExitCompletesFalseOrFailsWithTheMethod() {
      AsyncGenerator<String> normal =
          async("Pools.lease", yield -> yield.yield("conn").thenApply(v -> "done"));
      Await.value(normal.enter());
      assertFalse(Await.value(normal.exit(null)));

      IllegalStateException teardownFailure = new IllegalStateException("release failed");
      AsyncGenerator<String> failing =
          async(
              "Pools.lease",
              yield ->
                  yield
                      .yield("conn")
                      .thenApply(
                          v -> {
                            throw teardownFailure;
                          }));
      Await.value(failing.enter());
      assertSame(teardownFailure, Await.failure(failing.exit(null)));
    }

    @Test
    void aCancellationDeliveredAtTheYieldCanBeSuppressedOrLetStand() {
      CancellationException cancelled = new CancellationException("block cancelled");
      AtomicReference<Throwable> seen = new AtomicReference<>();
      AsyncGenerator<String> standing =
          async(
              "Pools.lease", yield -> yield.yield("conn").whenComplete((v, f) -> seen.set(f)));
      Await.value(standing.enter());
      assertFalse(Await.value(standing.exit(cancelled)));
      assertSame(cancelled, seen.get());

      AsyncGenerator<String> suppressing =
          async("Pools.lease", yield -> yield.yield("conn").exceptionally(f -> null));
      Await.value(suppressing.enter());
      assertTrue(Await.value(suppressing.exit(cancelled)));
    }
  }

  @Nested
  class YieldedTwice {

    @Test
    void aSecondYieldFailsItsStageWithoutThrowingAndExitFailsWithIt() {
      AtomicReference<Throwable> secondFailure = new AtomicReference<>();
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield ->
                  yield
                      .yield("first")
                      .thenCompose(v -> yield.yield("second"))
                      .whenComplete((v, f) -> secondFailure.set(f)));
      Await.value(lease.enter());
      Throwable exitFailure = Await.failure(lease.exit(null));

      assertInstanceOf(IllegalStateException.class, exitFailure);
      assertMentions(exitFailure, "Pools.lease yielded twice");
      assertSame(exitFailure, Failures.unwrap(secondFailure.get()));
    }

    @Test
    void exitFailsWithItEvenIfTheMethodRecovered() {
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield ->
                  yield
                      .yield("first")
                      // Python: except: yield again
                      .handle((v, blockFailure) -> yield.yield("second"))
                      .thenCompose(second -> second)
                      .exceptionally(f -> null));
      Await.value(lease.enter());
      assertMentions(Await.failure(lease.exit(new IllegalArgumentException("block"))), "yielded twice");
    }

    @Test
    void aDifferentFailureRaisedInsteadWinsWithItAttached() {
      IllegalArgumentException other = new IllegalArgumentException("teardown failed");
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield ->
                  yield
                      .yield("first")
                      .thenCompose(v -> yield.yield("second"))
                      .handle(
                          (v, f) -> {
                            throw other;
                          }));
      Await.value(lease.enter());
      Throwable exitFailure = Await.failure(lease.exit(null));
      assertSame(other, exitFailure);
      assertEquals(1, other.getSuppressed().length);
      assertMentions(other.getSuppressed()[0], "yielded twice");
    }

    @Test
    void aSecondYieldDuringSetupNeverThrows() {
      AtomicReference<CompletionStage<Void>> second = new AtomicReference<>();
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield -> {
                CompletionStage<Void> first = yield.yield("first");
                second.set(yield.yield("second"));
                return first;
              });
      assertEquals("first", Await.value(lease.enter()));
      assertMentions(Await.failure(second.get()), "yielded twice");
      assertMentions(Await.failure(lease.exit(null)), "yielded twice");
    }
  }

  @Nested
  class TeardownTooEarly {

    @Test
    void aMethodThatDoesNotWaitForTheYieldFailsExit() {
      List<String> events = new ArrayList<>();
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield -> {
                yield.yield("conn");
                events.add("released");
                return CompletableFuture.completedFuture(null);
              });
      Await.value(lease.enter());
      assertEquals(List.of("released"), events, "the method released before the block ran");

      Throwable exitFailure = Await.failure(lease.exit(null));
      assertInstanceOf(IllegalStateException.class, exitFailure);
      assertMentions(exitFailure, "Pools.lease", "too early");
    }

    @Test
    void aMethodStageThatCompletesLaterButBeforeExitFailsExit() {
      CompletableFuture<Void> unrelated = new CompletableFuture<>();
      IllegalStateException methodFailure = new IllegalStateException("method failed");
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield -> {
                yield.yield("conn");
                return unrelated;
              });
      Await.value(lease.enter());
      unrelated.completeExceptionally(methodFailure);

      Throwable exitFailure = Await.failure(lease.exit(null));
      assertMentions(exitFailure, "too early");
      assertArrayEquals(new Throwable[] {methodFailure}, exitFailure.getSuppressed());
    }

    @Test
    void aMethodThatThrowsAfterYieldingCompletedTooEarly() {
      IllegalStateException thrown = new IllegalStateException("thrown after yield");
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield -> {
                yield.yield("conn");
                throw thrown;
              });
      Await.value(lease.enter());
      Throwable exitFailure = Await.failure(lease.exit(null));
      assertMentions(exitFailure, "too early");
      assertArrayEquals(new Throwable[] {thrown}, exitFailure.getSuppressed());
    }

    @Test
    void yieldedTwiceWinsOverTooEarly() {
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield -> {
                yield.yield("first");
                yield.yield("second");
                return CompletableFuture.completedFuture(null);
              });
      Await.value(lease.enter());
      Throwable exitFailure = Await.failure(lease.exit(null));
      assertMentions(exitFailure, "yielded twice");
      assertEquals(1, exitFailure.getSuppressed().length);
      assertMentions(exitFailure.getSuppressed()[0], "too early");
    }

    @Test
    void theTeardownIsStillDeliveredTheBlocksOutcome() {
      AtomicReference<Throwable> seen = new AtomicReference<>();
      IllegalArgumentException block = new IllegalArgumentException("block");
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield -> {
                yield.yield("conn").whenComplete((v, f) -> seen.set(f));
                return CompletableFuture.completedFuture(null);
              });
      Await.value(lease.enter());
      assertMentions(Await.failure(lease.exit(block)), "too early");
      assertSame(block, seen.get());
    }
  }

  @Nested
  class SingleUse {

    @Test
    void aSecondEnterFailsWithoutThrowing() {
      AsyncGenerator<String> lease = recordingLease(new ArrayList<>());
      Await.value(lease.enter());
      Throwable failure = Await.failure(lease.enter());
      assertInstanceOf(IllegalStateException.class, failure);
      assertMentions(failure, "Pools.lease", "already entered");
      assertFalse(Await.value(lease.exit(null)), "the first use is not disturbed");
    }

    @Test
    void aSecondExitFailsWithoutThrowing() {
      AsyncGenerator<String> lease = recordingLease(new ArrayList<>());
      Await.value(lease.enter());
      assertFalse(Await.value(lease.exit(null)));
      Throwable failure = Await.failure(lease.exit(null));
      assertInstanceOf(IllegalStateException.class, failure);
      assertMentions(failure, "already exited");
      assertMentions(Await.failure(lease.enter()), "already entered");
    }

    @Test
    void exitBeforeEnterFails() {
      List<String> events = new ArrayList<>();
      AsyncGenerator<String> lease = recordingLease(events);
      assertMentions(Await.failure(lease.exit(null)), "exited before its enter completed");
      assertEquals(List.of(), events, "the method never ran");
      assertEquals("conn", Await.value(lease.enter()), "and the instance is still usable");
      assertFalse(Await.value(lease.exit(null)));
    }

    @Test
    void exitWhileEnterIsStillRunningFails() {
      CompletableFuture<String> acquired = new CompletableFuture<>();
      AsyncGenerator<String> lease =
          async("Pools.lease", yield -> acquired.thenCompose(yield::yield));
      CompletionStage<String> entered = lease.enter();
      assertMentions(Await.failure(lease.exit(null)), "exited before its enter completed");
      acquired.complete("conn");
      assertEquals("conn", Await.value(entered));
      assertFalse(Await.value(lease.exit(null)));
    }

    @Test
    void exitAfterAFailedEnterFails() {
      AsyncGenerator<String> lease =
          async("Pools.lease", yield -> CompletableFuture.completedFuture(null));
      Await.failure(lease.enter());
      assertMentions(Await.failure(lease.exit(null)), "exited before its enter completed");
    }
  }

  @Nested
  class CancelledEnter {

    @Test
    void aCancelledEnterStageDeliversTheCancellationAtTheYieldSoTheTeardownRuns() {
      CompletableFuture<String> acquired = new CompletableFuture<>();
      AtomicReference<Throwable> seen = new AtomicReference<>();
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield ->
                  acquired.thenCompose(
                      conn -> yield.yield(conn).whenComplete((v, f) -> seen.set(f))));
      CompletableFuture<String> entered = lease.enter().toCompletableFuture();
      assertTrue(entered.cancel(true));

      acquired.complete("conn");

      assertInstanceOf(CancellationException.class, seen.get());
      assertMentions(Await.failure(lease.exit(null)), "already exited");
    }

    @Test
    void aTeardownFailureNobodyAwaitsGoesToTheUncaughtHandler() {
      IllegalStateException releaseFailed = new IllegalStateException("release failed");
      CompletableFuture<String> acquired = new CompletableFuture<>();
      AsyncGenerator<String> lease =
          async(
              "Pools.lease",
              yield ->
                  acquired.thenCompose(
                      conn ->
                          yield
                              .yield(conn)
                              .handle(
                                  (v, f) -> {
                                    throw releaseFailed;
                                  })));
      lease.enter().toCompletableFuture().cancel(true);

      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        acquired.complete("conn");
        uncaught.assertOnly(releaseFailed);
      }
    }
  }

  @Nested
  class Threads {

    @Test
    void anInstanceMayBeEnteredOnOneThreadAndExitedOnAnother() throws Exception {
      for (int i = 0; i < 200; i++) {
        AsyncGenerator<String> lease =
            async(
                "Pools.lease",
                yield ->
                    CompletableFuture.supplyAsync(() -> "conn", Generators.POOL)
                        .thenCompose(yield::yield)
                        .thenApplyAsync(v -> v, Generators.POOL));
        CompletableFuture<Boolean> exit =
            CompletableFuture.supplyAsync(lease::enter, Generators.POOL)
                .thenCompose(s -> s)
                .thenComposeAsync(conn -> lease.exit(null), Generators.POOL);
        assertFalse(Await.value(exit));
      }
    }

    @Test
    void exitRacingASlowMethodStageDecidesOnce() {
      IllegalArgumentException block = new IllegalArgumentException("block");
      for (int i = 0; i < 2000; i++) {
        boolean suppress = i % 2 == 0;
        AsyncGenerator<String> lease =
            async(
                "Pools.lease",
                yield -> {
                  // teardown completes on a pool thread, racing exit's bookkeeping
                  CompletableFuture<Void> teardown =
                      yield.yield("conn").toCompletableFuture().handleAsync((v, f) -> null, Generators.POOL);
                  return suppress ? teardown : teardown.thenCompose(v -> yield.yield("again"));
                });
        Await.value(lease.enter());
        CompletionStage<Boolean> exit = lease.exit(block);
        if (suppress) {
          assertTrue(Await.value(exit));
        } else {
          assertMentions(Await.failure(exit), "yielded twice");
        }
      }
    }

    @Test
    void aMethodCompletingWhileTheBlockRunsRacesExitWithoutLosingTheOutcome() {
      for (int i = 0; i < 2000; i++) {
        AsyncGenerator<String> lease =
            async(
                "Pools.lease",
                yield -> CompletableFuture.runAsync(() -> yield.yield("conn"), Generators.POOL));
        CompletableFuture<String> entered = lease.enter().toCompletableFuture();
        Await.value(entered);
        // Either the method completed before exit (too early), or concurrently after exit was
        // called: exit completes either way, exactly once.
        CompletionStage<Boolean> exit = lease.exit(null);
        Object result = Await.value(exit.handle((v, f) -> f == null ? v : f));
        if (result instanceof Throwable) {
          assertMentions((Throwable) result, "too early");
        } else {
          assertEquals(Boolean.FALSE, result);
        }
      }
    }

    @Test
    void concurrentEntersAndExitsLetExactlyOneThrough() throws Exception {
      for (int i = 0; i < 500; i++) {
        AtomicInteger runs = new AtomicInteger();
        AsyncGenerator<String> lease =
            async(
                "Pools.lease",
                yield -> {
                  runs.incrementAndGet();
                  return yield.yield("conn");
                });
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Object>> enters = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          enters.add(
              CompletableFuture.supplyAsync(
                      () -> {
                        awaitLatch(start);
                        return lease.enter();
                      },
                      Generators.POOL)
                  .thenCompose(s -> s.handle((v, f) -> f == null ? v : f)));
        }
        start.countDown();
        List<Object> enterResults = List.of(Await.value(enters.get(0)), Await.value(enters.get(1)));
        assertEquals(1, runs.get());
        assertEquals(
            1, enterResults.stream().filter("conn"::equals).count(), enterResults::toString);

        CountDownLatch exitStart = new CountDownLatch(1);
        List<CompletableFuture<Object>> exits = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          exits.add(
              CompletableFuture.supplyAsync(
                      () -> {
                        awaitLatch(exitStart);
                        return lease.exit(null);
                      },
                      Generators.POOL)
                  .thenCompose(s -> s.handle((v, f) -> f == null ? v : f)));
        }
        exitStart.countDown();
        List<Object> exitResults = List.of(Await.value(exits.get(0)), Await.value(exits.get(1)));
        assertEquals(
            1, exitResults.stream().filter(Boolean.FALSE::equals).count(), exitResults::toString);
        assertEquals(
            1,
            exitResults.stream().filter(r -> r instanceof IllegalStateException).count(),
            exitResults::toString);
      }
    }

    @Test
    void aNestedUseInsideTheBlockNeedsNoThread() {
      List<String> events = new ArrayList<>();
      AsyncGenerator<String> outer = recordingLease(events);
      AsyncGenerator<String> inner = recordingLease(events);
      Thread caller = Thread.currentThread();

      CompletionStage<Boolean> done =
          outer
              .enter()
              .thenCompose(
                  a ->
                      inner
                          .enter()
                          .thenCompose(b -> inner.exit(null))
                          .thenCompose(innerExit -> outer.exit(null)))
              .whenComplete((v, f) -> assertSame(caller, Thread.currentThread()));

      assertFalse(Await.value(done));
      assertEquals(List.of("setup", "setup", "teardown null", "teardown null"), events);
    }
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertTrue(latch.await(Await.SECONDS, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
