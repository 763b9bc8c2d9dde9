package dev.asyncwith;

import static dev.asyncwith.Generators.assertEnds;
import static dev.asyncwith.Generators.assertMentions;
import static dev.asyncwith.Generators.blocking;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The blocking engine, through {@code enter} and {@code exit}: the generator rules of {@code docs/RULES.md}. */
class BlockingGeneratorTest {

  /** A transaction that records what happens, and on which thread. */
  private static final class Recorder {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();

    BlockingGenerator<String> transaction() {
      return blocking(
          "Transactions.open",
          yield -> {
            threads.add(Thread.currentThread());
            events.add("begin");
            try {
              yield.yield("conn");
              events.add("commit");
            } catch (Throwable failure) {
              events.add("rollback " + failure.getMessage());
              throw failure;
            } finally {
              threads.add(Thread.currentThread());
            }
          });
    }

    Thread generatorThread() {
      return threads.get(0);
    }
  }

  @Nested
  class NormalUse {

    @Test
    void theMethodRunsOnOneThreadNamedAfterItAndThatThreadEnds() throws Exception {
      Recorder recorder = new Recorder();
      BlockingGenerator<String> transaction = recorder.transaction();

      assertEquals("conn", Await.value(transaction.enter()));
      assertFalse(Await.value(transaction.exit(null)));

      assertEquals(List.of("begin", "commit"), recorder.events);
      Thread thread = recorder.generatorThread();
      assertSame(thread, recorder.threads.get(1), "setup and teardown on the same thread");
      assertNotSame(Thread.currentThread(), thread);
      assertEquals("asyncwith-Transactions.open", thread.getName());
      assertTrue(thread.getName().toLowerCase().contains("open"));
      if (Generators.jdkHasVirtualThreads()) {
        assertTrue(Generators.isVirtual(thread), "a virtual thread on JDK 21+");
      } else {
        assertTrue(thread.isDaemon(), "a daemon platform thread on JDK 17");
      }
      assertEnds(thread);
    }

    @Test
    void aLockTakenInSetupIsReleasedInTeardownOnTheSameThread() throws Exception {
      ReentrantLock lock = new ReentrantLock();
      AtomicReference<Thread> owner = new AtomicReference<>();
      BlockingGenerator<ReentrantLock> locked =
          blocking(
              "Locks.locked",
              yield -> {
                lock.lock();
                owner.set(Thread.currentThread());
                try {
                  yield.yield(lock);
                } finally {
                  lock.unlock(); // IllegalMonitorStateException on any other thread
                }
              });

      assertTrue(Await.value(locked.enter()).isLocked());
      assertFalse(Await.value(locked.exit(null)));
      assertFalse(lock.isLocked());
      assertEnds(owner.get());
    }

    @Test
    void aBlockAttachedBeforeTheYieldRunsOnTheGeneratorThread() throws Exception {
      CountDownLatch attached = new CountDownLatch(1);
      AtomicReference<Thread> generator = new AtomicReference<>();
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                generator.set(Thread.currentThread());
                assertTrue(attached.await(Await.SECONDS, TimeUnit.SECONDS));
                yield.yield("conn");
              });

      CompletableFuture<Thread> body =
          transaction.enter().toCompletableFuture().thenApply(conn -> Thread.currentThread());
      attached.countDown();

      Thread bodyThread = Await.value(body);
      assertSame(generator.get(), bodyThread);
      assertFalse(Await.value(transaction.exit(null)));
      assertEnds(generator.get());
    }

    @Test
    void aBlockThatCompletesOnTheGeneratorThreadExitsThereWithoutAHandOff() throws Exception {
      CountDownLatch attached = new CountDownLatch(1);
      AtomicReference<Thread> generator = new AtomicReference<>();
      AtomicReference<Thread> resumedOn = new AtomicReference<>();
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                generator.set(Thread.currentThread());
                assertTrue(attached.await(Await.SECONDS, TimeUnit.SECONDS));
                yield.yield("conn");
                resumedOn.set(Thread.currentThread());
              });

      // The whole block runs inside the yield, and calls exit there, on the generator thread.
      CompletableFuture<Boolean> exit =
          transaction.enter().toCompletableFuture().thenCompose(conn -> transaction.exit(null));
      attached.countDown();

      assertFalse(Await.value(exit));
      assertSame(generator.get(), resumedOn.get());
      assertEnds(generator.get());
    }

    @Test
    void exitCompletesOnTheGeneratorThreadAfterTheTeardown() throws Exception {
      Recorder recorder = new Recorder();
      BlockingGenerator<String> transaction = recorder.transaction();
      Await.value(transaction.enter());

      CompletableFuture<Thread> exitedOn =
          transaction.exit(null).toCompletableFuture().thenApply(v -> Thread.currentThread());

      Thread completer = Await.value(exitedOn);
      // Either the generator thread completed it, or exit's stage was already complete when
      // thenApply was attached (then it ran here).
      assertTrue(completer == recorder.generatorThread() || completer == Thread.currentThread());
      assertEquals(List.of("begin", "commit"), recorder.events);
      assertEnds(recorder.generatorThread());
    }

    @Test
    void aNullNameIsRejected() {
      assertThrows(NullPointerException.class, () -> blocking(null, yield -> yield.yield("x")));
    }
  }

  /** Failures of every kind, each thrown at the yield as the very same object. */
  static Stream<Throwable> blockFailures() {
    return Stream.of(
        new IOException("checked"),
        new IllegalArgumentException("unchecked"),
        new AssertionError("error"),
        new Throwable("neither an Exception nor an Error"));
  }

  @Nested
  class SuppressOrReraise {

    @ParameterizedTest
    @MethodSource("dev.asyncwith.BlockingGeneratorTest#blockFailures")
    void theBlocksFailureIsThrownAtTheYieldItself(Throwable blockFailure) throws Exception {
      Recorder recorder = new Recorder();
      BlockingGenerator<String> transaction = recorder.transaction();
      Await.value(transaction.enter());

      assertFalse(Await.value(transaction.exit(new CompletionException(blockFailure))));

      assertEquals(List.of("begin", "rollback " + blockFailure.getMessage()), recorder.events);
      assertEnds(recorder.generatorThread());
    }

    @ParameterizedTest
    @MethodSource("dev.asyncwith.BlockingGeneratorTest#blockFailures")
    void catchingTheFailureAndReturningSuppressesIt(Throwable blockFailure) {
      AtomicReference<Throwable> caught = new AtomicReference<>();
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                try {
                  yield.yield("conn");
                } catch (Throwable failure) {
                  caught.set(failure);
                }
              });
      Await.value(transaction.enter());
      assertTrue(Await.value(transaction.exit(blockFailure)));
      assertSame(blockFailure, caught.get());
    }

    @Test
    void throwingAnotherFailureReplacesIt() {
      IllegalStateException rollbackFailed = new IllegalStateException("rollback failed");
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                try {
                  yield.yield("conn");
                } catch (Exception failure) {
                  throw rollbackFailed;
                }
              });
      Await.value(transaction.enter());
      assertSame(rollbackFailed, Await.failure(transaction.exit(new IOException("block"))));
    }

    @Test
    void afterANormalBlockExitCompletesFalseOrFailsWithTheMethod() {
      IOException commitFailed = new IOException("commit failed");
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                yield.yield("conn");
                throw commitFailed;
              });
      Await.value(transaction.enter());
      assertSame(commitFailed, Await.failure(transaction.exit(null)));
    }

    @Test
    void aCancelledBlockReachesTheTeardownAsACancellation() throws Exception {
      Recorder recorder = new Recorder();
      BlockingGenerator<String> transaction = recorder.transaction();
      Await.value(transaction.enter());
      CancellationException cancelled = new CancellationException("cancelled");
      assertFalse(Await.value(transaction.exit(cancelled)));
      assertEquals(List.of("begin", "rollback cancelled"), recorder.events);
      assertEnds(recorder.generatorThread());
    }
  }

  @Nested
  class DidNotYield {

    @Test
    void aMethodThatReturnsWithoutYieldingFailsEnterAndItsThreadEnds() throws Exception {
      AtomicReference<Thread> generator = new AtomicReference<>();
      BlockingGenerator<String> transaction =
          blocking("Transactions.open", yield -> generator.set(Thread.currentThread()));
      Throwable failure = Await.failure(transaction.enter());
      assertInstanceOf(IllegalStateException.class, failure);
      assertMentions(failure, "Transactions.open did not yield");
      assertEnds(generator.get());
      assertMentions(Await.failure(transaction.exit(null)), "exited before its enter completed");
    }

    @Test
    void aMethodThatThrowsBeforeYieldingFailsEnterWithThatFailure() throws Exception {
      IOException refused = new IOException("connection refused");
      AtomicReference<Thread> generator = new AtomicReference<>();
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                generator.set(Thread.currentThread());
                throw refused;
              });
      assertSame(refused, Await.failure(transaction.enter()));
      assertEnds(generator.get());
    }

    @Test
    void aYieldAfterTheMethodReturnedThrows() throws Exception {
      AtomicReference<Yield<String>> kept = new AtomicReference<>();
      BlockingGenerator<String> transaction = blocking("Transactions.open", kept::set);
      assertMentions(Await.failure(transaction.enter()), "did not yield");
      Exception late = assertThrows(Exception.class, () -> kept.get().yield("late"));
      assertMentions(late, "yielded after it had completed");
    }
  }

  @Nested
  class YieldedTwice {

    @Test
    void aSecondYieldThrowsAndExitFailsWithItEvenIfCaught() throws Exception {
      AtomicReference<Throwable> second = new AtomicReference<>();
      List<String> events = new CopyOnWriteArrayList<>();
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                try {
                  yield.yield("first");
                  try {
                    yield.yield("second");
                  } catch (IllegalStateException twice) {
                    second.set(twice);
                  }
                } finally {
                  events.add("finally");
                }
              });
      Await.value(transaction.enter());
      Throwable exitFailure = Await.failure(transaction.exit(null));
      assertMentions(exitFailure, "Transactions.open yielded twice");
      assertSame(second.get(), exitFailure);
      assertEquals(List.of("finally"), events);
    }

    @Test
    void theMethodUnwindsFromTheSecondYield() {
      List<String> events = new CopyOnWriteArrayList<>();
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                try {
                  yield.yield("first");
                } catch (Exception blockFailure) {
                  yield.yield("again"); // Python: except: yield
                  events.add("not reached");
                } finally {
                  events.add("finally");
                }
              });
      Await.value(transaction.enter());
      assertMentions(Await.failure(transaction.exit(new IOException("block"))), "yielded twice");
      assertEquals(List.of("finally"), events);
    }

    @Test
    void aDifferentFailureThrownInsteadWinsWithItAttached() {
      IOException other = new IOException("close failed");
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                yield.yield("first");
                try {
                  yield.yield("second");
                } catch (IllegalStateException twice) {
                  throw other;
                }
              });
      Await.value(transaction.enter());
      assertSame(other, Await.failure(transaction.exit(null)));
      assertEquals(1, other.getSuppressed().length);
      assertMentions(other.getSuppressed()[0], "yielded twice");
    }
  }

  @Nested
  class SingleUse {

    @Test
    void aSecondEnterFailsWithoutStartingAThread() throws Exception {
      Recorder recorder = new Recorder();
      BlockingGenerator<String> transaction = recorder.transaction();
      Await.value(transaction.enter());
      assertMentions(Await.failure(transaction.enter()), "Transactions.open", "already entered");
      assertFalse(Await.value(transaction.exit(null)));
      assertEquals(2, recorder.threads.size(), "one run: one setup, one teardown");
      assertEnds(recorder.generatorThread());
    }

    @Test
    void aSecondExitFails() {
      Recorder recorder = new Recorder();
      BlockingGenerator<String> transaction = recorder.transaction();
      Await.value(transaction.enter());
      assertFalse(Await.value(transaction.exit(null)));
      assertMentions(Await.failure(transaction.exit(null)), "already exited");
    }

    @Test
    void exitBeforeEnterFailsAndStartsNothing() {
      Recorder recorder = new Recorder();
      BlockingGenerator<String> transaction = recorder.transaction();
      assertMentions(Await.failure(transaction.exit(null)), "exited before its enter completed");
      assertEquals(List.of(), recorder.events);
    }

    @Test
    void exitWhileTheMethodIsStillInSetupFails() throws Exception {
      CountDownLatch proceed = new CountDownLatch(1);
      AtomicReference<Thread> generator = new AtomicReference<>();
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                generator.set(Thread.currentThread());
                assertTrue(proceed.await(Await.SECONDS, TimeUnit.SECONDS));
                yield.yield("conn");
              });
      CompletionStage<String> entered = transaction.enter();
      assertMentions(Await.failure(transaction.exit(null)), "exited before its enter completed");
      proceed.countDown();
      assertEquals("conn", Await.value(entered));
      assertFalse(Await.value(transaction.exit(null)));
      assertEnds(generator.get());
    }
  }

  @Nested
  class ThreadsLeftBehind {

    @Test
    void anInstanceThatIsNeverEnteredStartsNoThread() {
      AtomicBoolean ran = new AtomicBoolean();
      blocking("Transactions.open", yield -> ran.set(true));
      assertFalse(ran.get());
    }

    @Test
    void anAbandonedInstanceWaitsAtItsYieldUntilExitWithoutKeepingTheJvmAlive()
        throws Exception {
      Recorder recorder = new Recorder();
      BlockingGenerator<String> transaction = recorder.transaction();
      Await.value(transaction.enter());
      Thread thread = recorder.generatorThread();

      thread.join(200);
      assertTrue(thread.isAlive(), "suspended at the yield, holding what it acquired");
      assertEquals(Thread.State.WAITING, thread.getState());
      assertTrue(thread.isDaemon() || Generators.isVirtual(thread));
      assertEquals(List.of("begin"), recorder.events);

      assertFalse(Await.value(transaction.exit(null)));
      assertEnds(thread);
    }

    @Test
    void manyCyclesHandedBetweenThreadsLeaveNoThreadBehind() throws Exception {
      String name = "Races.cycle" + System.nanoTime();
      List<Thread> generators = new CopyOnWriteArrayList<>();
      List<CompletableFuture<Boolean>> exits = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        boolean fail = i % 3 == 0;
        BlockingGenerator<Integer> cycle =
            blocking(
                name,
                yield -> {
                  generators.add(Thread.currentThread());
                  try {
                    yield.yield(1);
                  } catch (IOException expected) {
                    return; // suppress it
                  }
                });
        exits.add(
            CompletableFuture.supplyAsync(cycle::enter, Generators.POOL)
                .thenCompose(s -> s)
                .thenComposeAsync(
                    v -> cycle.exit(fail ? new IOException("block") : null), Generators.POOL)
                .toCompletableFuture());
      }
      for (int i = 0; i < exits.size(); i++) {
        assertEquals(i % 3 == 0, Await.value(exits.get(i)));
      }
      assertEquals(200, generators.size());
      for (Thread generator : generators) {
        assertEnds(generator);
      }
      assertEquals(0, liveThreadsNamed(name), "no platform thread left behind");
    }

    private long liveThreadsNamed(String name) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.SECONDS);
      long count;
      do {
        count =
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains(name))
                .count();
        if (count > 0) {
          Thread.sleep(10);
        }
      } while (count > 0 && System.nanoTime() < deadline);
      return count;
    }
  }

  @Nested
  class CancellationAndInterrupts {

    @Test
    void anInterruptDoesNotEndTheWaitAndIsRestoredForTheTeardown() throws Exception {
      AtomicReference<Thread> generator = new AtomicReference<>();
      AtomicBoolean interruptedInTeardown = new AtomicBoolean();
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                generator.set(Thread.currentThread());
                yield.yield("conn");
                interruptedInTeardown.set(Thread.interrupted());
              });
      Await.value(transaction.enter());
      generator.get().interrupt();
      generator.get().join(200);
      assertTrue(generator.get().isAlive(), "still waiting for exit");

      assertFalse(Await.value(transaction.exit(null)));
      assertTrue(interruptedInTeardown.get(), "the interrupt is not swallowed");
      assertEnds(generator.get());
    }

    @Test
    void aCancelledEnterStageThrowsTheCancellationAtTheYieldSoTheTeardownRuns()
        throws Exception {
      CountDownLatch proceed = new CountDownLatch(1);
      AtomicReference<Thread> generator = new AtomicReference<>();
      AtomicReference<Throwable> atYield = new AtomicReference<>();
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                generator.set(Thread.currentThread());
                assertTrue(proceed.await(Await.SECONDS, TimeUnit.SECONDS));
                try {
                  yield.yield("conn");
                } catch (Throwable failure) {
                  atYield.set(failure);
                  throw failure;
                }
              });
      CompletableFuture<String> entered = transaction.enter().toCompletableFuture();
      assertTrue(entered.cancel(true));
      Thread thread = started(generator);
      proceed.countDown();

      assertEnds(thread);
      assertInstanceOf(CancellationException.class, atYield.get());
      assertMentions(Await.failure(transaction.exit(null)), "already exited");
    }

    @Test
    void aTeardownFailureNobodyAwaitsGoesToTheGeneratorThreadsUncaughtHandler()
        throws Exception {
      CountDownLatch proceed = new CountDownLatch(1);
      List<Throwable> uncaught = new CopyOnWriteArrayList<>();
      AtomicReference<Thread> generator = new AtomicReference<>();
      IOException releaseFailed = new IOException("release failed");
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                Thread.currentThread().setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
                generator.set(Thread.currentThread());
                assertTrue(proceed.await(Await.SECONDS, TimeUnit.SECONDS));
                try {
                  yield.yield("conn");
                } catch (CancellationException cancelled) {
                  throw releaseFailed;
                }
              });
      transaction.enter().toCompletableFuture().cancel(true);
      Thread thread = started(generator);
      proceed.countDown();

      assertEnds(thread);
      assertEquals(List.of(releaseFailed), uncaught);
    }
  }

  /** The thread the method records once it runs, waiting for it at most the test timeout. */
  private static Thread started(AtomicReference<Thread> generator) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.SECONDS);
    while (generator.get() == null && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertNotNull(generator.get(), "the generator method did not start");
    return generator.get();
  }

  @Nested
  class YieldFromAnotherThread {

    @Test
    void aMethodThatReturnsWhileItsYieldStillWaitsCompletedTooEarly() throws Exception {
      CountDownLatch entered = new CountDownLatch(1);
      AtomicReference<Thread> generator = new AtomicReference<>();
      AtomicReference<Thread> helper = new AtomicReference<>();
      AtomicReference<Throwable> helperFailure = new AtomicReference<>();
      BlockingGenerator<String> transaction =
          blocking(
              "Transactions.open",
              yield -> {
                generator.set(Thread.currentThread());
                Thread yielder =
                    new Thread(
                        () -> {
                          try {
                            yield.yield("conn");
                          } catch (Throwable failure) {
                            helperFailure.set(failure);
                          }
                        },
                        "yielder");
                helper.set(yielder);
                yielder.start();
                assertTrue(entered.await(Await.SECONDS, TimeUnit.SECONDS));
              });
      CompletionStage<String> enter = transaction.enter();
      assertEquals("conn", Await.value(enter));
      entered.countDown();
      assertEnds(generator.get()); // the method returned while the block still runs

      Throwable exitFailure = Await.failure(transaction.exit(null));
      assertMentions(exitFailure, "too early");
      assertEnds(helper.get());
      assertEquals(null, helperFailure.get(), "the block completed normally");
    }
  }
}
