package dev.asyncwith;

import static dev.asyncwith.Generators.assertMentions;
import static dev.asyncwith.Generators.async;
import static dev.asyncwith.Generators.blocking;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncwith.CallRuleTest.Checked;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Rules S4, S5 and S6 of {@code call} ({@code docs/RULES.md}) on both generator engines, with every
 * generator rule checked through {@code call}.
 */
class CallGeneratorTest {

  @Nested
  class BlockingManager {

    @Test
    void setupBlockAndTeardownShareTheCallingThreadItsThreadLocalsAndItsLocks() throws Exception {
      ThreadLocal<String> context = new ThreadLocal<>();
      ReentrantLock lock = new ReentrantLock();
      List<Thread> threads = new CopyOnWriteArrayList<>();
      List<String> seen = new CopyOnWriteArrayList<>();
      BlockingGenerator<String> locked =
          blocking(
              "Locks.held",
              yield -> {
                threads.add(Thread.currentThread());
                lock.lock();
                context.set("set in setup");
                try {
                  yield.yield("value");
                } finally {
                  seen.add("teardown sees " + context.get());
                  threads.add(Thread.currentThread());
                  lock.unlock(); // throws IllegalMonitorStateException on another thread
                }
              });
      String result =
          locked.call(
              value -> {
                threads.add(Thread.currentThread());
                assertTrue(lock.isHeldByCurrentThread(), "the block holds the setup's lock");
                seen.add("block sees " + context.get());
                return value;
              });
      assertEquals("value", result);
      assertEquals(List.of(Thread.currentThread(), Thread.currentThread(), Thread.currentThread()),
          threads);
      assertEquals(List.of("block sees set in setup", "teardown sees set in setup"), seen);
      assertFalse(lock.isLocked());
    }

    @Test
    void noThreadIsStartedForThousandsOfCalls() throws Exception {
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      AtomicInteger offThread = new AtomicInteger();
      Thread caller = Thread.currentThread();
      BlockingGenerator<Integer> warmUp = counting(caller, offThread);
      warmUp.call(value -> value);
      long startedBefore = mx.getTotalStartedThreadCount();
      for (int i = 0; i < 5_000; i++) {
        int expected = i;
        assertEquals(expected, (int) counting(caller, offThread).call(value -> expected));
      }
      assertEquals(0, offThread.get(), "the method ran on the calling thread every time");
      // Platform threads started meanwhile by anyone in this JVM: none by the engine, which
      // would run the method on its thread (and offThread would count it).
      assertTrue(mx.getTotalStartedThreadCount() - startedBefore < 5_000,
          "no thread per call");
    }

    private BlockingGenerator<Integer> counting(Thread caller, AtomicInteger offThread) {
      return blocking(
          "Counting.cycle",
          yield -> {
            if (Thread.currentThread() != caller
                || Thread.currentThread().getName().startsWith(GeneratorThreads.PREFIX)) {
              offThread.incrementAndGet();
            }
            yield.yield(0);
          });
    }

    @Test
    void aCheckedBlockFailureIsThrownAtTheYieldAndByCallAsItself() {
      Checked failure = new Checked("block");
      AtomicReference<Throwable> atYield = new AtomicReference<>();
      BlockingGenerator<String> reraising =
          blocking(
              "G.reraise",
              yield -> {
                try {
                  yield.yield("v");
                } catch (Checked thrown) {
                  atYield.set(thrown);
                  throw thrown;
                }
              });
      Checked thrown =
          assertThrows(
              Checked.class,
              () ->
                  reraising.call(
                      value -> {
                        throw failure;
                      }));
      assertSame(failure, thrown);
      assertSame(failure, atYield.get());
      assertEquals(0, thrown.getSuppressed().length);
    }

    @Test
    void returningNormallyAfterAFailedBlockSuppressesIt() throws Exception {
      BlockingGenerator<String> suppressing =
          blocking(
              "G.suppress",
              yield -> {
                try {
                  yield.yield("v");
                } catch (Checked swallowed) {
                  // suppressed, as a @contextmanager that catches and returns
                }
              });
      assertNull(
          suppressing.call(
              value -> {
                throw new Checked("suppressed");
              }));
    }

    @Test
    void anotherFailureReplacesTheBlocksWithItAttached() {
      IllegalStateException replacement = new IllegalStateException("teardown");
      BlockingGenerator<String> replacing =
          blocking(
              "G.replace",
              yield -> {
                try {
                  yield.yield("v");
                } catch (Checked blockFailure) {
                  throw replacement;
                }
              });
      Checked failure = new Checked("block");
      IllegalStateException thrown =
          assertThrows(
              IllegalStateException.class,
              () ->
                  replacing.call(
                      value -> {
                        throw failure;
                      }));
      assertSame(replacement, thrown);
      assertEquals(List.of(failure), List.of(thrown.getSuppressed()));
    }

    @Test
    void aFailureBeforeTheYieldIsThrownAndTheBlockNeverRuns() {
      Checked setup = new Checked("setup");
      boolean[] ran = {false};
      BlockingGenerator<String> failing =
          blocking(
              "G.setupFails",
              yield -> {
                throw setup;
              });
      assertSame(setup, assertThrows(Checked.class, () -> failing.call(value -> ran[0] = true)));
      assertFalse(ran[0]);
    }

    @Test
    void aMethodThatDoesNotYieldFails() {
      BlockingGenerator<String> silent = blocking("G.silent", yield -> {});
      IllegalStateException thrown =
          assertThrows(IllegalStateException.class, () -> silent.call(value -> value));
      assertMentions(thrown, "G.silent", "did not yield");
    }

    @Test
    void yieldingTwiceFailsEvenIfTheMethodCatchesIt() {
      AtomicReference<Throwable> second = new AtomicReference<>();
      BlockingGenerator<String> twice =
          blocking(
              "G.twice",
              yield -> {
                yield.yield("v");
                try {
                  yield.yield("again");
                } catch (IllegalStateException caught) {
                  second.set(caught);
                }
              });
      AtomicInteger blocks = new AtomicInteger();
      IllegalStateException thrown =
          assertThrows(
              IllegalStateException.class, () -> twice.call(value -> blocks.incrementAndGet()));
      assertSame(second.get(), thrown);
      assertMentions(thrown, "G.twice", "yielded twice");
      assertEquals(1, blocks.get(), "the block runs once");
    }

    @Test
    void aFailureRaisedInsteadOfTheSecondYieldsWinsWithItAttached() {
      IllegalStateException own = new IllegalStateException("own");
      BlockingGenerator<String> twice =
          blocking(
              "G.twiceReplace",
              yield -> {
                yield.yield("v");
                try {
                  yield.yield("again");
                } catch (IllegalStateException caught) {
                  throw own;
                }
              });
      IllegalStateException thrown =
          assertThrows(IllegalStateException.class, () -> twice.call(value -> value));
      assertSame(own, thrown);
      assertEquals(1, thrown.getSuppressed().length);
      assertMentions(thrown.getSuppressed()[0], "yielded twice");
    }

    @Test
    void aYieldOnAnotherThreadFailsThereAndTheBlockNeverRunsOffTheCallingThread()
        throws Exception {
      AtomicReference<Throwable> offThread = new AtomicReference<>();
      BlockingGenerator<String> wandering =
          blocking(
              "G.wandering",
              yield -> {
                Thread other =
                    new Thread(
                        () -> {
                          try {
                            yield.yield("elsewhere");
                          } catch (Throwable t) {
                            offThread.set(t);
                          }
                        });
                other.start();
                other.join();
                yield.yield("here");
              });
      List<Thread> blockThreads = new CopyOnWriteArrayList<>();
      assertEquals(
          "here",
          wandering.call(
              value -> {
                blockThreads.add(Thread.currentThread());
                return value;
              }));
      assertTrue(offThread.get() instanceof IllegalStateException);
      assertMentions(offThread.get(), "G.wandering", "yielded on");
      assertEquals(List.of(Thread.currentThread()), blockThreads);
    }

    @Test
    void anInstanceIsSingleUseAndItsPublicExitFailsDuringCall() throws Exception {
      AtomicReference<CompletionStage<Boolean>> exitDuringCall = new AtomicReference<>();
      AtomicReference<BlockingGenerator<String>> self = new AtomicReference<>();
      BlockingGenerator<String> manager =
          blocking(
              "G.single",
              yield -> {
                exitDuringCall.set(self.get().exit(null));
                yield.yield("v");
              });
      self.set(manager);
      assertEquals("v", manager.call(value -> value));
      assertMentions(Await.failure(exitDuringCall.get()), "G.single", "call");
      IllegalStateException second =
          assertThrows(IllegalStateException.class, () -> manager.call(value -> value));
      assertMentions(second, "G.single", "already entered");
      assertMentions(Await.failure(manager.enter()), "already entered");

      BlockingGenerator<String> entered = blocking("G.entered", yield -> yield.yield("v"));
      assertEquals("v", Await.value(entered.enter()));
      assertThrows(IllegalStateException.class, () -> entered.call(value -> value));
      Await.value(entered.exit(null));
    }

    @Test
    void aNullBlockIsRejectedBeforeTheMethodRuns() {
      boolean[] ran = {false};
      BlockingGenerator<String> manager =
          blocking(
              "G.nullBlock",
              yield -> {
                ran[0] = true;
                yield.yield("v");
              });
      assertThrows(NullPointerException.class, () -> manager.call(null));
      assertFalse(ran[0]);
    }
  }

  @Nested
  class NonBlockingManager {

    @Test
    void aSynchronousManagerRunsEverythingOnTheCallingThreadInsideTheYield() throws Exception {
      List<Thread> threads = new CopyOnWriteArrayList<>();
      AtomicReference<Boolean> yieldStageDone = new AtomicReference<>();
      AsyncGenerator<String> manager =
          async(
              "G.sync",
              yield -> {
                threads.add(Thread.currentThread());
                CompletionStage<Void> block = yield.yield("v");
                yieldStageDone.set(block.toCompletableFuture().isDone());
                return block.whenComplete((v, f) -> threads.add(Thread.currentThread()));
              });
      String result =
          manager.call(
              value -> {
                threads.add(Thread.currentThread());
                return value + "!";
              });
      assertEquals("v!", result);
      Thread caller = Thread.currentThread();
      assertEquals(List.of(caller, caller, caller), threads);
      assertTrue(yieldStageDone.get(), "the block ran inside the yield: nothing to wait for");
    }

    @Test
    void aManagerThatYieldsLaterHasItsBlockRunOnTheCallingThread() throws Exception {
      List<String> events = new CopyOnWriteArrayList<>();
      AsyncGenerator<String> manager =
          async(
              "G.later",
              yield ->
                  CompletableFuture.supplyAsync(() -> "conn", Generators.POOL)
                      .thenCompose(
                          conn ->
                              yield
                                  .yield(conn)
                                  .whenComplete((v, f) -> events.add("release " + conn))));
      Thread caller = Thread.currentThread();
      AtomicReference<Thread> blockThread = new AtomicReference<>();
      String result =
          manager.call(
              value -> {
                blockThread.set(Thread.currentThread());
                events.add("block");
                return value;
              });
      assertEquals("conn", result);
      assertSame(caller, blockThread.get());
      assertEquals(List.of("block", "release conn"), events);
    }

    @Test
    void callWaitsForATeardownThatCompletesLater() throws Exception {
      AtomicInteger released = new AtomicInteger();
      AsyncGenerator<String> manager =
          async(
              "G.slowTeardown",
              yield ->
                  yield
                      .yield("v")
                      .handle((v, f) -> null)
                      .thenComposeAsync(
                          x -> {
                            Await.settle(Duration.ofMillis(20));
                            released.incrementAndGet();
                            return CompletableFuture.completedFuture(null);
                          },
                          Generators.POOL));
      assertEquals("v", manager.call(value -> value));
      assertEquals(1, released.get(), "call returned after teardown");
    }

    @Test
    void generatorRulesHoldThroughCall() throws Exception {
      Checked failure = new Checked("block");
      // Suppression by completing normally.
      AsyncGenerator<String> suppressing =
          async("G.suppress", yield -> yield.yield("v").handle((v, f) -> null));
      assertNull(
          suppressing.call(
              value -> {
                throw failure;
              }));
      // Letting the same failure stand.
      AsyncGenerator<String> reraising = async("G.reraise", yield -> yield.yield("v"));
      assertSame(
          failure,
          assertThrows(
              Checked.class,
              () ->
                  reraising.call(
                      value -> {
                        throw failure;
                      })));
      // Replacement by another failure, the block's attached.
      IllegalStateException replacement = new IllegalStateException("replacement");
      AsyncGenerator<String> replacing =
          async(
              "G.replace",
              yield ->
                  yield
                      .yield("v")
                      .handle(
                          (v, f) -> {
                            throw replacement;
                          }));
      Checked second = new Checked("block 2");
      IllegalStateException thrown =
          assertThrows(
              IllegalStateException.class,
              () ->
                  replacing.call(
                      value -> {
                        throw second;
                      }));
      assertSame(replacement, thrown);
      assertEquals(List.of(second), List.of(thrown.getSuppressed()));
    }

    @Test
    void didNotYieldThrowingAndReturningNullFailTheEnter() {
      AsyncGenerator<String> silent =
          async("G.silent", yield -> CompletableFuture.completedFuture(null));
      assertMentions(
          assertThrows(IllegalStateException.class, () -> silent.call(value -> value)),
          "G.silent", "did not yield");
      Checked setup = new Checked("setup");
      AsyncGenerator<String> throwing =
          async(
              "G.throwing",
              yield -> {
                throw setup;
              });
      assertSame(setup, assertThrows(Checked.class, () -> throwing.call(value -> value)));
      AsyncGenerator<String> returningNull = async("G.null", yield -> null);
      assertMentions(
          assertThrows(NullPointerException.class, () -> returningNull.call(value -> value)),
          "G.null");
    }

    @Test
    void yieldingTwiceFailsTheCall() {
      AsyncGenerator<String> twice =
          async(
              "G.twice",
              yield -> yield.yield("v").thenCompose(x -> yield.yield("again")));
      assertMentions(
          assertThrows(IllegalStateException.class, () -> twice.call(value -> value)),
          "G.twice", "yielded twice");
    }

    @Test
    void aMethodThatCompletesWhileTheBlockRunsFailsTooEarly() {
      AsyncGenerator<String> early =
          async(
              "G.early",
              yield -> {
                CompletableFuture<String> setup = new CompletableFuture<>();
                Generators.POOL.execute(
                    () -> {
                      Await.settle(Duration.ofMillis(20));
                      setup.complete("v");
                    });
                return setup.thenAccept(yield::yield); // does not wait for the block
              });
      IllegalStateException thrown =
          assertThrows(
              IllegalStateException.class,
              () ->
                  early.call(
                      value -> {
                        Await.settle(Duration.ofMillis(30));
                        return value;
                      }));
      assertMentions(thrown, "G.early", "too early");
    }

    @Test
    void anInterruptWhileWaitingForTheYieldThrowsAndTheLateYieldTearsDown() throws Exception {
      CompletableFuture<String> setup = new CompletableFuture<>();
      AtomicReference<Throwable> atYield = new AtomicReference<>();
      AtomicInteger released = new AtomicInteger();
      AsyncGenerator<String> manager =
          async(
              "G.interrupted",
              yield ->
                  setup.thenCompose(
                      conn ->
                          yield
                              .yield(conn)
                              .whenComplete(
                                  (v, f) -> {
                                    atYield.set(f);
                                    released.incrementAndGet();
                                  })));
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      boolean[] ran = {false};
      Thread caller =
          new Thread(
              () -> {
                try {
                  manager.call(value -> ran[0] = true);
                } catch (Throwable t) {
                  thrown.set(t);
                }
              });
      caller.start();
      Await.settle(Duration.ofMillis(30));
      caller.interrupt();
      Generators.assertEnds(caller);
      assertTrue(thrown.get() instanceof InterruptedException, () -> "thrown: " + thrown.get());
      assertEquals(0, released.get());
      assertFalse(setup.isCancelled());

      setup.complete("late");
      assertEquals(1, released.get(), "what the setup acquired is released");
      assertTrue(atYield.get() instanceof CancellationException);
      assertFalse(ran[0]);
    }

    @Test
    void aFailureOfTheLateTeardownGoesToTheUncaughtHandler() throws Exception {
      CompletableFuture<String> setup = new CompletableFuture<>();
      IllegalStateException teardown = new IllegalStateException("late teardown");
      AsyncGenerator<String> manager =
          async(
              "G.lateFailure",
              yield ->
                  setup.thenCompose(
                      conn ->
                          yield
                              .yield(conn)
                              .handle(
                                  (v, f) -> {
                                    throw teardown;
                                  })));
      Thread caller =
          new Thread(
              () -> {
                try {
                  manager.call(value -> value);
                } catch (Exception expected) {
                  // InterruptedException
                }
              });
      caller.start();
      Await.settle(Duration.ofMillis(30));
      caller.interrupt();
      Generators.assertEnds(caller);
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        setup.complete("late");
        uncaught.assertOnly(teardown);
      }
    }

    @Test
    void anInterruptWhileWaitingForTeardownIsRestoredAfterIt() throws Exception {
      CompletableFuture<Void> teardown = new CompletableFuture<>();
      AsyncGenerator<String> manager =
          async("G.slow", yield -> yield.yield("v").thenCompose(x -> teardown));
      AtomicReference<Object> result = new AtomicReference<>();
      AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
      Thread caller =
          new Thread(
              () -> {
                try {
                  result.set(manager.call(value -> value));
                } catch (Throwable t) {
                  result.set(t);
                }
                interruptedAfter.set(Thread.currentThread().isInterrupted());
              });
      caller.start();
      Await.settle(Duration.ofMillis(30));
      caller.interrupt();
      Await.settle(Duration.ofMillis(30));
      assertTrue(caller.isAlive(), "teardown is always awaited");
      teardown.complete(null);
      Generators.assertEnds(caller);
      assertEquals("v", result.get());
      assertTrue(interruptedAfter.get());
    }

    @Test
    void anInstanceIsSingleUse() throws Exception {
      AsyncGenerator<String> manager = async("G.once", yield -> yield.yield("v"));
      assertEquals("v", manager.call(value -> value));
      assertMentions(
          assertThrows(IllegalStateException.class, () -> manager.call(value -> value)),
          "G.once", "already entered");
      boolean[] ran = {false};
      AsyncGenerator<String> fresh =
          async(
              "G.fresh",
              yield -> {
                ran[0] = true;
                return yield.yield("v");
              });
      assertThrows(NullPointerException.class, () -> fresh.call(null));
      assertFalse(ran[0]);
    }
  }
}
