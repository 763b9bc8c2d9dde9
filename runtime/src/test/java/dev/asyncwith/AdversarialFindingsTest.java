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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
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
