package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One regression test (or a few) per finding of the adversarial pass recorded in RELIABILITY.md,
 * "Findings of the adversarial pass": each reproduced the problem before its fix.
 */
class AdversarialFindingsTest {

  /** What reaches the default uncaught-exception handler, from any thread without its own. */
  private final List<Throwable> uncaughtAnywhere = new CopyOnWriteArrayList<>();
  private Thread.UncaughtExceptionHandler previousDefault;

  @BeforeEach
  void recordUncaughtAnywhere() {
    previousDefault = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> uncaughtAnywhere.add(failure));
  }

  @AfterEach
  void restoreDefaultHandler() {
    Thread.setDefaultUncaughtExceptionHandler(previousDefault);
  }

  /** An exception built with suppression disabled, as the JVM builds its own OutOfMemoryErrors. */
  static final class Unattachable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unattachable(String message) {
      super(message, null, false, true);
    }
  }

  // -----------------------------------------------------------------------------------------------

  /** Finding 1: a pending {@code enterContext} released by nobody. */
  @Nested
  class LateEnterContext {

    @Test
    void aLateEnterAfterTheTimeoutIsExitedAtOnce() {
      RecordingResource<String> conn = RecordingResource.named("conn").pendingEnter();
      CompletableFuture<String> result =
          new AsyncExitStack().use(Duration.ofMillis(20), stack -> stack.enterContext(conn));
      assertInstanceOf(TimeoutException.class, Await.failure(result));
      assertEquals(0, conn.exits.get(), "nothing acquired yet, nothing to release");

      conn.enterStage.complete("acquired late");
      assertEquals(1, conn.exits.get(), "the late enter's resource is released at once");
      assertInstanceOf(CancellationException.class, conn.exitFailure());
      assertTrue(uncaughtAnywhere.isEmpty(), () -> "reported: " + uncaughtAnywhere);
    }

    @Test
    void aLateEnterAfterACancelIsExitedAtOnce() {
      RecordingResource<String> conn = RecordingResource.named("conn").pendingEnter();
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        CompletableFuture<String> result =
            new AsyncExitStack().use(stack -> stack.enterContext(conn));
        result.cancel(true);
        conn.enterStage.complete("acquired late");
        assertEquals(1, conn.exits.get());
        assertInstanceOf(CancellationException.class, conn.exitFailure());
        uncaught.assertNone();
      }
    }

    @Test
    void aLateEnterOfAGeneratedManagerIsExitedAtOnce() {
      CompletableFuture<Void> acquired = new CompletableFuture<>();
      List<String> log = new CopyOnWriteArrayList<>();
      AsyncGenerator<String> conn =
          Generators.async(
              "Pool.lease",
              yield ->
                  acquired.thenCompose(
                      ignored -> {
                        log.add("acquired");
                        return yield
                            .yield("connection")
                            .whenComplete((v, failure) -> log.add("released: " + failure));
                      }));
      CompletableFuture<String> result =
          new AsyncExitStack().use(Duration.ofMillis(20), stack -> stack.enterContext(conn));
      assertInstanceOf(TimeoutException.class, Await.failure(result));
      acquired.complete(null);
      assertEquals(2, log.size(), () -> "log: " + log);
      assertEquals("acquired", log.get(0));
      assertTrue(log.get(1).startsWith("released: java.util.concurrent.CancellationException"),
          () -> "log: " + log);
    }

    @Test
    void aLateEnterThatTheBlockDidNotWaitForIsExitedAtOnce() {
      RecordingResource<String> conn = RecordingResource.named("conn").pendingEnter();
      AtomicReference<CompletionStage<String>> entered = new AtomicReference<>();
      CompletableFuture<String> result =
          new AsyncExitStack()
              .use(
                  stack -> {
                    entered.set(stack.enterContext(conn));
                    return CompletableFuture.completedFuture("did not wait");
                  });
      assertEquals("did not wait", Await.value(result));
      conn.enterStage.complete("acquired late");
      assertEquals(1, conn.exits.get());
      Throwable given = conn.exitFailure();
      assertInstanceOf(CancellationException.class, given);
      assertSame(given, Await.failure(entered.get()), "the stage tells why it failed");
    }

    @Test
    void aLateEnterBeforeAnyUnwindingIsPushedAndExitedByTheStack() {
      RecordingResource<String> conn = RecordingResource.named("conn").pendingEnter();
      AsyncExitStack stack = new AsyncExitStack();
      CompletionStage<String> entered = stack.enterContext(conn);
      conn.enterStage.complete("acquired");
      assertEquals("acquired", Await.value(entered));
      assertEquals(0, conn.exits.get());
      Await.value(stack.close());
      assertEquals(1, conn.exits.get());
      assertEquals(null, conn.exitFailure());
    }

    @Test
    void aLateExitFailureGoesToTheUncaughtHandler() {
      IllegalStateException closeFailed = new IllegalStateException("close failed");
      RecordingResource<String> conn =
          RecordingResource.named("conn").pendingEnter().exitFails(closeFailed);
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        CompletableFuture<String> result =
            new AsyncExitStack().use(stack -> stack.enterContext(conn));
        result.cancel(true);
        conn.enterStage.complete("acquired late");
        uncaught.assertOnly(closeFailed);
      }
    }

    // The late enter against the stack's other operations (a second review of finding 1).

    /**
     * Exit stack, one logical flow: a late enter pushes from the thread that completes it while
     * the owning flow, which did not wait, keeps pushing. Every exit must run exactly once, and
     * no stack method may throw (rule 9).
     */
    @Test
    void aLatePushRacingTheOwnersPushesLosesNothing() throws Exception {
      for (int round = 0; round < 300; round++) {
        AsyncExitStack stack = new AsyncExitStack();
        int late = 64;
        List<RecordingResource<String>> resources = new ArrayList<>();
        for (int i = 0; i < late; i++) {
          RecordingResource<String> resource = RecordingResource.named("late" + i).pendingEnter();
          resources.add(resource);
          stack.enterContext(resource);
        }
        AtomicInteger callbacks = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Thread completer =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  resources.forEach(resource -> resource.enterStage.complete("v"));
                });
        completer.start();
        go.countDown();
        int own = 2_000;
        for (int i = 0; i < own; i++) {
          stack.callback(
              () -> {
                callbacks.incrementAndGet();
                return Stages.completedNull();
              });
        }
        completer.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
        try {
          Await.value(stack.close());
        } catch (AssertionError | RuntimeException broken) {
          throw new AssertionError("round " + round + ": the stack broke", broken);
        }
        int released = 0;
        for (RecordingResource<String> resource : resources) {
          assertTrue(resource.exits.get() <= 1, () -> resource + " exited twice");
          released += resource.exits.get();
        }
        int ran = callbacks.get();
        assertEquals(
            late + own,
            released + ran,
            "round " + round + ": late resources released " + released + " of " + late
                + ", own callbacks run " + ran + " of " + own);
      }
    }

    /**
     * Exit stack, LIFO: a late push that happened before one of the owner's (the owner waited
     * for it) unwinds after it; one that happened after (the owner pushed, then let it complete)
     * unwinds before it, whichever thread completed the enter.
     */
    @Test
    void aLatePushKeepsItsPlaceAmongTheOwnersPushes() throws Exception {
      List<String> log = RecordingResource.newLog();
      RecordingResource<String> before = new RecordingResource<>("before", "b", log).pendingEnter();
      RecordingResource<String> after = new RecordingResource<>("after", "a", log).pendingEnter();
      AsyncExitStack stack = new AsyncExitStack();
      stack.callback(logging(log, "first"));
      CompletionStage<String> enteredBefore = stack.enterContext(before);
      CompletionStage<String> enteredAfter = stack.enterContext(after);
      completeOnAnotherThread(before.enterStage);
      assertEquals("v", Await.value(enteredBefore));
      stack.callback(logging(log, "second"));
      completeOnAnotherThread(after.enterStage);
      assertEquals("v", Await.value(enteredAfter));
      log.clear();
      Await.value(stack.close());
      assertEquals(List.of("after.exit(null)", "second", "before.exit(null)", "first"), log);
    }

    private Supplier<CompletionStage<?>> logging(List<String> log, String entry) {
      return () -> {
        log.add(entry);
        return Stages.completedNull();
      };
    }

    private void completeOnAnotherThread(CompletableFuture<String> stage)
        throws InterruptedException {
      Thread completer = new Thread(() -> stage.complete("v"));
      completer.start();
      completer.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
    }

    /**
     * Exit stack: popAll moves every callback to a new stack, and a pending enterContext's exit
     * is a callback to be: it goes with them, and the stack it was moved away from never
     * releases it.
     */
    @Test
    void aLateEnterAfterPopAllGoesWithTheMovedCallbacks() {
      RecordingResource<String> late = RecordingResource.named("late").pendingEnter();
      AsyncExitStack stack = new AsyncExitStack();
      CompletionStage<String> entered = stack.enterContext(late);
      AsyncExitStack moved = stack.popAll();
      late.enterStage.complete("late");
      assertEquals("late", Await.value(entered));
      Await.value(stack.close());
      assertEquals(0, late.exits.get(), "released by the stack it was moved away from");
      Await.value(moved.close());
      assertEquals(1, late.exits.get());
      assertEquals(null, late.exitFailure());
    }

    /**
     * A pending enterContext moved by popAll, whose new stack unwinds before the enter completes,
     * is exited at once, like any late enter; the old stack's unwinding does not end its epoch.
     */
    @Test
    void aLateEnterMovedByPopAllIsExitedAtOnceWhenTheNewStackUnwoundFirst() {
      RecordingResource<String> late = RecordingResource.named("late").pendingEnter();
      AsyncExitStack stack = new AsyncExitStack();
      CompletionStage<String> entered = stack.enterContext(late);
      AsyncExitStack moved = stack.popAll();
      Await.value(moved.close());
      Await.value(stack.close());
      late.enterStage.complete("late");
      assertEquals(1, late.exits.get(), "exited at once");
      Throwable given = late.exitFailure();
      assertInstanceOf(CancellationException.class, given);
      assertSame(given, Await.failure(entered));
      Await.value(stack.close());
      assertEquals(1, late.exits.get());
    }

    /**
     * Rule 6, last bullet: only what no statement can still receive goes to the
     * uncaught-exception handler. A late enter completing while the stack's unwinding still runs
     * (an earlier-pushed exit pending) is exited at once, and its exit's failure becomes the
     * unwinding's outcome.
     */
    @Test
    void aLateEntersExitFailureDuringAPendingUnwindingReachesTheUnwinding() {
      IllegalStateException teardown = new IllegalStateException("late teardown");
      RecordingResource<String> late =
          RecordingResource.named("late").pendingEnter().exitFails(teardown);
      CompletableFuture<Void> gate = new CompletableFuture<>();
      AsyncExitStack stack = new AsyncExitStack();
      stack.callback(() -> gate);
      stack.enterContext(late);
      CompletionStage<Void> closed = stack.close();
      Await.pending(closed);
      late.enterStage.complete("late");
      assertEquals(1, late.exits.get(), "exited at once");
      gate.complete(null);
      Throwable outcome;
      try {
        outcome = Await.failure(closed);
      } catch (AssertionError completedNormally) {
        throw new AssertionError(
            "close completed normally; the late teardown failure went to the uncaught handler: "
                + uncaughtAnywhere,
            completedNormally);
      }
      assertSame(teardown, outcome);
      assertEquals(List.of(), uncaughtAnywhere, "reported as uncaught as well");
    }

    /**
     * The same failure is chained like a raising callback's: with a callback that raised first,
     * the late failure stands, with that callback's failure attached.
     */
    @Test
    void aLateEntersExitFailureIsChainedAfterTheCallbacksFailures() {
      IllegalStateException teardown = new IllegalStateException("late teardown");
      IllegalArgumentException callbackFailure = new IllegalArgumentException("callback");
      RecordingResource<String> late =
          RecordingResource.named("late").pendingEnter().exitFails(teardown);
      CompletableFuture<Void> gate = new CompletableFuture<>();
      AsyncExitStack stack = new AsyncExitStack();
      stack.callback(() -> gate);
      stack.enterContext(late);
      CompletionStage<Boolean> exited = stack.exit(null);
      late.enterStage.complete("late");
      gate.completeExceptionally(callbackFailure);
      Throwable outcome = Await.failure(exited);
      assertSame(teardown, outcome);
      assertArrayEquals(new Throwable[] {callbackFailure}, outcome.getSuppressed());
      assertEquals(List.of(), uncaughtAnywhere);
    }
  }

  // -----------------------------------------------------------------------------------------------

  /** Finding 2: cancelling a deep nesting overflowed the stack. */
  @Nested
  class DeepCancellation {
    private static final int DEPTH = 10_000;
    /** Far too small for 10,000 nested calls of anything (the JDK's default is 1 MB or more). */
    private static final long SMALL_STACK = 256 * 1024;

    private final AtomicInteger exits = new AtomicInteger();
    private final List<Throwable> exitFailures = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> innermost = new CompletableFuture<>();

    /**
     * Statements {@code from}..{@link #DEPTH}, each body returning the next one's future, entered
     * one at a time by a driver loop so that building them recurses nowhere.
     */
    private CompletableFuture<String> nest(int from) {
      ArrayDeque<CompletableFuture<Integer>> toEnter = new ArrayDeque<>();
      Function<Integer, CompletableFuture<String>> level =
          new Function<>() {
            @Override
            public CompletableFuture<String> apply(Integer depth) {
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
                      exitFailures.add(failure);
                      return Stages.FALSE;
                    }
                  };
              return resource.use(d -> d == DEPTH ? innermost : this.apply(d + 1));
            }
          };
      CompletableFuture<String> outermost = level.apply(from);
      for (int depth = from; !toEnter.isEmpty(); depth++) {
        toEnter.poll().complete(depth);
      }
      return outermost;
    }

    @Test
    void cancellingTenThousandNestedStatementsOnASmallStackReachesTheInnermostBlock() {
      CompletableFuture<String> outermost = nest(1);
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        ThreadsAndStackRuleTest.onThread(SMALL_STACK, () -> outermost.cancel(true));
        uncaught.assertNone();
      }
      assertTrue(outermost.isCancelled());
      assertTrue(innermost.isCancelled(), "the cancel reached the innermost block");
      assertEquals(DEPTH, exits.get(), "every exit ran");
      for (Throwable failure : exitFailures) {
        assertInstanceOf(CancellationException.class, failure);
      }
      assertTrue(uncaughtAnywhere.isEmpty(), () -> "reported: " + uncaughtAnywhere);
    }

    @Test
    void aTimeoutOverTenThousandNestedStatementsCompletesAfterEveryExit() {
      CompletableFuture<String> inner = nest(2);
      RecordingResource<String> outer = RecordingResource.named("outer");
      CompletableFuture<String> result = outer.use(Duration.ofMillis(20), v -> inner);
      Throwable failure = Await.failure(result);
      assertInstanceOf(TimeoutException.class, failure);
      assertTrue(innermost.isCancelled());
      assertEquals(DEPTH - 1, exits.get(), "every nested exit ran before the result completed");
      assertSame(failure, outer.exitFailure());
      assertTrue(uncaughtAnywhere.isEmpty(), () -> "reported: " + uncaughtAnywhere);
    }
  }

  // -----------------------------------------------------------------------------------------------

  /** Finding 3: the timeout timed out a body that returned an already-completed stage. */
  @Nested
  class CompletedStagesUnderATimeout {

    @Test
    void aBodyReturningACompletedNestedStatementIsNotTimedOut() {
      RecordingResource<String> outer = RecordingResource.named("outer");
      RecordingResource<String> inner = RecordingResource.named("inner");
      CompletableFuture<Integer> result =
          outer.use(
              Duration.ofMillis(10),
              v -> {
                Await.settle(Duration.ofMillis(100));
                return inner.use(x -> CompletableFuture.completedFuture(1));
              });
      assertEquals(1, Await.value(result));
      assertEquals(null, outer.exitFailure());
    }

    @Test
    void aBodyReturningACompletedMinimalStageIsNotTimedOut() {
      RecordingResource<String> outer = RecordingResource.named("outer");
      CompletableFuture<Integer> result =
          outer.use(
              Duration.ofMillis(10),
              v -> {
                Await.settle(Duration.ofMillis(100));
                return CompletableFuture.completedStage(1);
              });
      assertEquals(1, Await.value(result));
      assertEquals(null, outer.exitFailure());
    }

    @Test
    void aBodyReturningAMinimalStageThatFailedIsNotTimedOut() {
      IllegalStateException failed = new IllegalStateException("failed");
      RecordingResource<String> outer = RecordingResource.named("outer");
      CompletableFuture<Integer> result =
          outer.use(
              Duration.ofMillis(10),
              v -> {
                Await.settle(Duration.ofMillis(100));
                return CompletableFuture.failedStage(failed);
              });
      assertSame(failed, Await.failure(result));
      assertSame(failed, outer.exitFailure());
    }
  }

  // -----------------------------------------------------------------------------------------------

  /** Finding 4: at the deadline, a nested teardown's failure missed the result. */
  @Nested
  class NestedTeardownFailureUnderACancel {

    @Test
    void theTimeoutCarriesTheNestedTeardownFailure() {
      IllegalStateException rollbackFailed = new IllegalStateException("rollback failed");
      RecordingResource<String> outer = RecordingResource.named("outer");
      RecordingResource<String> inner = RecordingResource.named("inner").exitFails(rollbackFailed);
      CompletableFuture<Object> result =
          outer.use(Duration.ofMillis(20), v -> inner.use(x -> new CompletableFuture<>()));
      Throwable failure = Await.failure(result);
      assertInstanceOf(TimeoutException.class, failure);
      assertArrayEquals(new Throwable[] {rollbackFailed}, failure.getSuppressed());
      assertSame(failure, outer.exitFailure(), "outer's exit saw the timeout");
      assertInstanceOf(CancellationException.class, inner.exitFailure());
      assertArrayEquals(
          new Throwable[] {inner.exitFailure()}, rollbackFailed.getSuppressed(),
          "the nested teardown's failure carries the cancellation it was given");
      assertTrue(uncaughtAnywhere.isEmpty(), () -> "reported: " + uncaughtAnywhere);
    }

    @Test
    void theEnclosingExitSeesTheNestedTeardownFailureOnACancel() {
      IllegalStateException rollbackFailed = new IllegalStateException("rollback failed");
      RecordingResource<String> outer = RecordingResource.named("outer");
      RecordingResource<String> inner = RecordingResource.named("inner").exitFails(rollbackFailed);
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        CompletableFuture<Object> result =
            outer.use(v -> inner.use(x -> new CompletableFuture<>()));
        result.cancel(true);
        Throwable outerSaw = outer.exitFailure();
        assertInstanceOf(CancellationException.class, outerSaw);
        assertArrayEquals(new Throwable[] {rollbackFailed}, outerSaw.getSuppressed());
        uncaught.assertOnly(rollbackFailed); // the caller cancelled: reported once, by the outer
      }
    }

    @Test
    void anEnclosingExitThatSuppressesSwallowsTheNestedFailure() {
      IllegalStateException rollbackFailed = new IllegalStateException("rollback failed");
      RecordingResource<String> outer = RecordingResource.named("outer").exitReturns(true);
      RecordingResource<String> inner = RecordingResource.named("inner").exitFails(rollbackFailed);
      CompletableFuture<Object> result =
          outer.use(Duration.ofMillis(20), v -> inner.use(x -> new CompletableFuture<>()));
      assertEquals(null, Await.value(result));
      assertSame(rollbackFailed, outer.exitFailure().getSuppressed()[0]);
      assertTrue(uncaughtAnywhere.isEmpty(), () -> "reported: " + uncaughtAnywhere);
    }
  }

  // -----------------------------------------------------------------------------------------------

  /** Finding 5: rule 5 relied on {@code addSuppressed}, which does nothing on some exceptions. */
  @Nested
  class SuppressionDisabled {

    @Test
    void aBlockFailureThatCannotBeAttachedGoesToTheUncaughtHandler() {
      Unattachable closeFailed = new Unattachable("close failed");
      IllegalStateException blockFailed = new IllegalStateException("block failed");
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        CompletableFuture<Object> result =
            AsyncContexts.aclosing("thing", t -> CompletableFuture.failedFuture(closeFailed))
                .use(t -> CompletableFuture.failedFuture(blockFailed));
        assertSame(closeFailed, Await.failure(result));
        uncaught.assertOnly(blockFailed);
      }
    }

    @Test
    void theJvmsOwnOutOfMemoryErrorIsHandledTheSameWay() {
      OutOfMemoryError jvms;
      try {
        long[] huge = new long[Integer.MAX_VALUE];
        throw new AssertionError("allocated " + huge.length);
      } catch (OutOfMemoryError e) {
        jvms = e;
      }
      OutOfMemoryError probe = jvms;
      probe.addSuppressed(new RuntimeException("probe"));
      assumeTrue(probe.getSuppressed().length == 0, "this JVM's OOM takes suppressed failures");
      IllegalStateException blockFailed = new IllegalStateException("block failed");
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        CompletableFuture<Object> result =
            RecordingResource.named("r")
                .exitFails(probe)
                .use(t -> CompletableFuture.failedFuture(blockFailed));
        assertSame(probe, Await.failure(result));
        uncaught.assertOnly(blockFailed);
      }
    }

    @Test
    void anExitStackChainReportsWhatAnUnattachableFailureRefuses() {
      IllegalStateException first = new IllegalStateException("first");
      Unattachable second = new Unattachable("second");
      IllegalArgumentException third = new IllegalArgumentException("third");
      AsyncExitStack stack = new AsyncExitStack();
      stack.callback(() -> CompletableFuture.failedFuture(third));
      stack.callback(() -> CompletableFuture.failedFuture(second));
      stack.callback(() -> CompletableFuture.failedFuture(first));
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        assertSame(third, Await.failure(stack.close()));
        uncaught.assertOnly(first);
      }
      assertArrayEquals(new Throwable[] {second}, third.getSuppressed());
    }

    @Test
    void attachReportsOnlyWhenTheAttachmentDidNotHappen() {
      IllegalStateException other = new IllegalStateException("other");
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        RuntimeException winner = new RuntimeException("winner");
        assertSame(winner, Failures.attach(winner, other));
        assertArrayEquals(new Throwable[] {other}, winner.getSuppressed());
        uncaught.assertNone();
        Unattachable refusing = new Unattachable("refusing");
        assertSame(refusing, Failures.attach(refusing, other));
        uncaught.assertOnly(other);
      }
    }
  }

  // -----------------------------------------------------------------------------------------------

  /** Finding 6: a throwing uncaught-exception handler stopped teardown. */
  @Nested
  class ThrowingHandler {

    @Test
    void aHandlerThatThrowsIsIgnoredAndTheEnclosingExitStillRuns() {
      IllegalStateException innerFailed = new IllegalStateException("inner exit failed");
      RecordingResource<String> outer = RecordingResource.named("outer");
      RecordingResource<String> inner = RecordingResource.named("inner").exitFails(innerFailed);
      List<Throwable> handled = new ArrayList<>();
      Thread self = Thread.currentThread();
      Thread.UncaughtExceptionHandler previous = self.getUncaughtExceptionHandler();
      self.setUncaughtExceptionHandler(
          (thread, failure) -> {
            handled.add(failure);
            throw new IllegalStateException("the handler itself fails");
          });
      try {
        CompletableFuture<Object> result =
            outer.use(v -> inner.use(x -> new CompletableFuture<>()));
        assertTrue(result.cancel(true));
      } finally {
        self.setUncaughtExceptionHandler(previous);
      }
      assertEquals(1, inner.exits.get());
      assertEquals(1, outer.exits.get(), "the outer teardown ran");
      assertEquals(List.of(innerFailed), handled);
    }

    @Test
    void reportUncaughtNeverThrows() {
      Thread self = Thread.currentThread();
      Thread.UncaughtExceptionHandler previous = self.getUncaughtExceptionHandler();
      self.setUncaughtExceptionHandler(
          (thread, failure) -> {
            throw new StackOverflowError("the handler itself fails");
          });
      try {
        Failures.reportUncaught(new IllegalStateException("lost"));
      } finally {
        self.setUncaughtExceptionHandler(previous);
      }
    }
  }

  // -----------------------------------------------------------------------------------------------

  /** Finding 7: a body returning the statement's own result future made cancel recurse. */
  @Nested
  class BodyReturningItsOwnResult {

    @Test
    void itFailsTheBlockWithAClearFailureAndExitsOnce() {
      RecordingResource<String> resource = RecordingResource.named("r").pendingEnter();
      AtomicReference<CompletableFuture<String>> self = new AtomicReference<>();
      CompletableFuture<String> result = resource.use(v -> self.get());
      self.set(result);
      resource.enterStage.complete("v");
      Throwable failure = Await.failure(result);
      assertInstanceOf(IllegalStateException.class, failure);
      Generators.assertMentions(failure, "own result future", "cannot wait for itself");
      assertSame(failure, resource.exitFailure());
    }

    @Test
    void cancellingStatementsThatWaitForEachOtherReturns() {
      RecordingResource<String> a = RecordingResource.named("a").pendingEnter();
      RecordingResource<String> b = RecordingResource.named("b").pendingEnter();
      AtomicReference<CompletableFuture<String>> aResult = new AtomicReference<>();
      AtomicReference<CompletableFuture<String>> bResult = new AtomicReference<>();
      aResult.set(a.use(v -> bResult.get()));
      bResult.set(b.use(v -> aResult.get()));
      a.enterStage.complete("a");
      b.enterStage.complete("b");
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        assertTrue(aResult.get().cancel(true));
        uncaught.assertNone();
      }
      assertTrue(aResult.get().isCancelled());
      assertTrue(bResult.get().isCancelled());
    }
  }

  // -----------------------------------------------------------------------------------------------

  /** Finding 8: a cycle of causes hung {@code use}. */
  @Nested
  class CycleOfCauses {

    /** A {@code CompletionException} whose cause is still to be set ({@code initCause}). */
    final class Layer extends CompletionException {
      private static final long serialVersionUID = 1L;

      Layer(String message) {
        super(message);
      }
    }

    @Test
    void aBodyFailingWithCompletionExceptionsThatCauseEachOtherEnds() {
      Layer x = new Layer("x");
      Layer y = new Layer("y");
      x.initCause(y);
      y.initCause(x);
      RecordingResource<String> resource = RecordingResource.named("r");
      CompletableFuture<Object> result = resource.use(v -> CompletableFuture.failedFuture(x));
      assertSame(x, Await.failure(result));
      assertSame(x, resource.exitFailure());
    }

    @Test
    void unwrapEndsOnAnyCauseGraph() {
      Layer a = new Layer("a");
      Layer b = new Layer("b");
      Layer c = new Layer("c");
      a.initCause(b);
      b.initCause(c);
      c.initCause(b); // a leads into the cycle b -> c -> b
      assertSame(a, Failures.unwrap(a));
      assertSame(b, Failures.unwrap(b));
      IllegalStateException root = new IllegalStateException("root");
      CompletionException outer =
          new CompletionException(new CompletionException(new CompletionException(root)));
      assertSame(root, Failures.unwrap(outer));
    }
  }

  // -----------------------------------------------------------------------------------------------

  /** Finding 9: exit-stack failure chaining was quadratic. */
  @Nested
  class LinearChaining {
    private static final int CALLBACKS = 10_000;

    /** Counts how often the library walks through a failure (getSuppressed is final). */
    final AtomicInteger causeReads = new AtomicInteger();

    final class Counted extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Counted(String message) {
        super(message, null, true, false);
      }

      @Override
      public synchronized Throwable getCause() {
        causeReads.incrementAndGet();
        return super.getCause();
      }
    }

    @Test
    void closingTenThousandRaisingCallbacksWalksEachFailureAConstantNumberOfTimes() {
      AsyncExitStack stack = new AsyncExitStack();
      List<Counted> raised = new ArrayList<>();
      for (int i = 0; i < CALLBACKS; i++) {
        Counted failure = new Counted("callback " + i);
        raised.add(failure);
        stack.callback(() -> CompletableFuture.failedFuture(failure));
      }
      Throwable failure = Await.failure(stack.close());
      // The last pushed runs first: raised.get(CALLBACKS - 1) is the oldest failure in the chain.
      assertSame(raised.get(0), failure);
      for (int i = 0; i < CALLBACKS - 1; i++) {
        assertArrayEquals(new Throwable[] {raised.get(i + 1)}, raised.get(i).getSuppressed());
      }
      assertEquals(0, raised.get(CALLBACKS - 1).getSuppressed().length);
      assertTrue(causeReads.get() <= 4 * CALLBACKS,
          () -> causeReads.get() + " cause reads for " + CALLBACKS + " failures: not linear");
    }

    @Test
    void aRaisedFailureAlreadyInTheChainIsNotAttachedAgain() {
      IllegalStateException first = new IllegalStateException("first");
      IllegalArgumentException second = new IllegalArgumentException("second");
      AsyncExitStack stack = new AsyncExitStack();
      stack.callback(() -> CompletableFuture.failedFuture(first)); // raised again, last
      stack.callback(() -> CompletableFuture.failedFuture(second));
      stack.callback(() -> CompletableFuture.failedFuture(first));
      assertSame(first, Await.failure(stack.close()));
      assertArrayEquals(new Throwable[] {first}, second.getSuppressed());
      assertEquals(0, first.getSuppressed().length, "attaching second would close a cycle");
    }

    @Test
    void theChainAttachesTheIncomingFailureAndKeepsItsIdentity() {
      Exception in = new Exception("in");
      List<Throwable> failures = new ArrayList<>();
      AsyncExitStack stack = new AsyncExitStack();
      for (int i = 0; i < 3; i++) {
        IllegalStateException failure = new IllegalStateException("exit " + i);
        failures.add(0, failure);
        stack.push(incoming -> CompletableFuture.failedFuture(failure));
      }
      assertSame(failures.get(2), Await.failure(stack.exit(in)));
      assertEquals(
          List.of(in), Arrays.asList(failures.get(0).getSuppressed()), "the first raised carries in");
    }
  }
}
