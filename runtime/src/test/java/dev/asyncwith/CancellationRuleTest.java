package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Rule 6: cancellation, and completing the result early, which counts as a cancel. */
class CancellationRuleTest {

  /** A stage that ignores cancel, as a stage of another library might. */
  static final class Stubborn<T> extends CompletableFuture<T> {
    volatile boolean cancelRequested;

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelRequested = true;
      return false;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }

  @Nested
  class DuringEnter {
    private final AtomicInteger bodyRuns = new AtomicInteger();
    private final RecordingResource<String> resource = RecordingResource.named("r").pendingEnter();
    private final CompletableFuture<String> result = resource.use(v -> {
      bodyRuns.incrementAndGet();
      return CompletableFuture.completedFuture("body");
    });

    @Test
    void cancelCompletesTheResultAtOnceButLeavesEnterRunning() {
      assertTrue(result.cancel(true));
      assertTrue(result.isCancelled());
      assertFalse(resource.enterStage.isDone(), "enter's stage must not be cancelled");
      assertEquals(0, resource.exits.get());
    }

    @Test
    void aSecondCancelReportsTrueAsCompletableFutureDoesAndChangesNothing() {
      assertTrue(result.cancel(true));
      assertTrue(result.cancel(true), "cancel reports whether the future is cancelled now");
      resource.enterStage.complete("acquired");
      assertEquals(1, resource.exits.get());
      assertEquals(0, bodyRuns.get());
    }

    @Test
    void onceEnterCompletesExitRunsWithACancellationAndTheBodyNever() {
      result.cancel(true);
      resource.enterStage.complete("acquired");
      assertInstanceOf(CancellationException.class, resource.exitFailure());
      assertEquals(0, bodyRuns.get());
      assertTrue(result.isCancelled());
    }

    @Test
    void enterFailingAfterTheCancelGoesToTheUncaughtHandlerAndNothingIsExited() {
      result.cancel(true);
      Exception failure = new Exception("enter failed after the cancel");
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        resource.enterStage.completeExceptionally(failure);
        uncaught.assertOnly(failure);
      }
      assertEquals(0, resource.exits.get());
      assertEquals(0, bodyRuns.get());
    }

    @Test
    void enterCancelledAfterTheCancelReportsNothing() {
      result.cancel(true);
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        resource.enterStage.cancel(true);
        uncaught.assertNone();
      }
      assertEquals(0, resource.exits.get());
    }

    @Test
    void exitFailingAfterTheCancelGoesToTheUncaughtHandler() {
      IllegalStateException exitFailure = new IllegalStateException("exit failed");
      resource.exitFails(exitFailure);
      result.cancel(true);
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        resource.enterStage.complete("acquired");
        uncaught.assertOnly(exitFailure);
      }
      assertInstanceOf(CancellationException.class, exitFailure.getSuppressed()[0]);
    }
  }

  @Nested
  class DuringBlock {
    private final RecordingResource<String> resource = RecordingResource.named("r");

    @Test
    void cancelCompletesTheResultAtOnceAndCancelsTheBodysStage() {
      CompletableFuture<String> block = new CompletableFuture<>();
      CompletableFuture<String> result = resource.use(v -> block);
      assertTrue(result.cancel(true));
      assertTrue(result.isCancelled());
      assertTrue(block.isCancelled());
    }

    @Test
    void exitReceivesTheBlocksOwnCancellationException() {
      CompletableFuture<String> block = new CompletableFuture<>();
      CompletableFuture<String> result = resource.use(v -> block);
      result.cancel(true);
      Throwable blockCancellation = Await.failure(block);
      assertSame(blockCancellation, resource.exitFailure());
    }

    @Test
    void aBodyStageThatIgnoresTheCancelIsAwaitedBeforeExit() {
      Stubborn<String> block = new Stubborn<>();
      CompletableFuture<String> result = resource.use(v -> block);
      result.cancel(true);
      assertTrue(result.isCancelled());
      Await.settle(Duration.ofMillis(20));
      assertEquals(0, resource.exits.get(), "exit must wait for the block's stage");
      block.complete("finished anyway");
      Throwable exitFailure = resource.exitFailure();
      assertInstanceOf(CancellationException.class, exitFailure);
      assertEquals(0, exitFailure.getSuppressed().length);
    }

    @Test
    void aStubbornBlocksFailureIsAttachedToTheNewCancellationAndReportedAsLost() {
      Stubborn<String> block = new Stubborn<>();
      CompletableFuture<String> result = resource.use(v -> block);
      result.cancel(true);
      Exception failure = new Exception("block failed after the cancel");
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        block.completeExceptionally(failure);
        uncaught.assertOnly(failure);
      }
      Throwable exitFailure = resource.exitFailure();
      assertInstanceOf(CancellationException.class, exitFailure);
      assertArrayEquals(new Throwable[] {failure}, exitFailure.getSuppressed());
    }

    @Test
    void aMinimalStageCannotBeCancelledSoExitWaitsForIt() {
      CompletableFuture<String> source = new CompletableFuture<>();
      CompletableFuture<String> result = resource.use(v -> source.minimalCompletionStage());
      result.cancel(true);
      assertFalse(source.isDone());
      assertEquals(0, resource.exits.get());
      source.complete("done");
      assertInstanceOf(CancellationException.class, resource.exitFailure());
    }

    @Test
    void theBlocksOwnCancellationIsNeverReported() {
      CompletableFuture<String> block = new CompletableFuture<>();
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        CompletableFuture<String> result = resource.use(v -> block);
        result.cancel(true);
        uncaught.assertNone();
      }
      assertEquals(1, resource.exits.get());
    }

    @Test
    void cancelWhileTheBodyRunsCancelsTheStageItReturns() {
      CompletableFuture<String> block = new CompletableFuture<>();
      AtomicInteger calls = new AtomicInteger();
      CompletableFuture<?>[] self = new CompletableFuture<?>[1];
      RecordingResource<String> pending = RecordingResource.named("p").pendingEnter();
      CompletableFuture<String> result = pending.use(v -> {
        calls.incrementAndGet();
        self[0].cancel(true); // the caller cancels while the body is still running
        return block;
      });
      self[0] = result;
      pending.enterStage.complete("v");
      assertEquals(1, calls.get());
      assertTrue(block.isCancelled());
      assertInstanceOf(CancellationException.class, pending.exitFailure());
    }

    @Test
    void cancelAfterTheStatementEndedChangesNothing() {
      CompletableFuture<String> result = resource.use(v -> CompletableFuture.completedFuture("v"));
      assertFalse(result.cancel(true));
      assertEquals("v", Await.value(result));
      assertEquals(1, resource.exits.get());
    }

    @Test
    void completingTheResultOfAStatementThatEndedBeforeUseReturnedReachesNothing() {
      CompletableFuture<String> block = CompletableFuture.completedFuture("v");
      IllegalStateException late = new IllegalStateException("late");
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        CompletableFuture<String> result = resource.use(v -> block);
        assertEquals("v", result.getNow(null), "a synchronous cycle has ended when use returns");
        assertFalse(result.complete("x"));
        assertFalse(result.completeExceptionally(late));
        assertFalse(result.cancel(true));
        result.obtrudeException(late); // CompletableFuture's own contract: it forces the outcome
        assertSame(late, Stages.failureNow(result));
        assertFalse(block.isCancelled());
        assertEquals(1, resource.enters.get());
        assertEquals(1, resource.exits.get());
        uncaught.assertNone();
      }
    }

    @Test
    void aSynchronousCycleFailsWithTheBlocksFailureItself() {
      IllegalStateException failure = new IllegalStateException("block failed");
      CompletableFuture<String> result =
          resource.use(v -> CompletableFuture.failedFuture(failure));
      assertSame(failure, Stages.failureNow(result));
      assertSame(failure, resource.exitFailure());
    }
  }

  @Nested
  class DuringExit {
    private final RecordingResource<String> resource = RecordingResource.named("r").pendingExit();
    private final CompletableFuture<String> result =
        resource.use(v -> CompletableFuture.completedFuture("v"));

    @Test
    void cancelCompletesTheResultAtOnceAndLeavesExitRunning() {
      assertTrue(result.cancel(true));
      assertTrue(result.isCancelled());
      assertFalse(resource.exitStage.isDone());
      assertEquals(1, resource.exits.get());
      assertNull(resource.exitFailure());
    }

    @Test
    void exitFailingAfterTheCancelGoesToTheUncaughtHandler() {
      result.cancel(true);
      IllegalStateException failure = new IllegalStateException("exit failed");
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        resource.exitStage.completeExceptionally(failure);
        uncaught.assertOnly(failure);
      }
    }

    @Test
    void exitCompletingNormallyAfterTheCancelReportsNothing() {
      result.cancel(true);
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        resource.exitStage.complete(false);
        uncaught.assertNone();
      }
    }

    @Test
    void aLostFailureGoesToTheHandlerOfTheThreadThatObservesIt() throws Exception {
      result.cancel(true);
      IllegalStateException failure = new IllegalStateException("exit failed");
      List<Throwable> seen = new CopyOnWriteArrayList<>();
      Thread completer = new Thread(() -> resource.exitStage.completeExceptionally(failure), "completer");
      completer.setUncaughtExceptionHandler((thread, thrown) -> seen.add(thrown));
      completer.start();
      completer.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
      assertEquals(List.of(failure), seen);
    }
  }

  @Nested
  class OtherCompletionsCountAsCancel {
    private final RecordingResource<String> resource = RecordingResource.named("r");
    private final CompletableFuture<String> block = new CompletableFuture<>();
    private final CompletableFuture<String> result = resource.use(v -> block);

    private void assertCancelledLikeACancel() {
      assertTrue(block.isCancelled(), "the body's stage must be cancelled");
      assertSame(Await.failure(block), resource.exitFailure());
    }

    @Test
    void complete() {
      assertTrue(result.complete("early"));
      assertEquals("early", Await.value(result));
      assertCancelledLikeACancel();
    }

    @Test
    void completeExceptionally() {
      Exception early = new Exception("early");
      assertTrue(result.completeExceptionally(early));
      assertSame(early, Await.failure(result));
      assertCancelledLikeACancel();
    }

    @Test
    void orTimeout() {
      result.orTimeout(1, TimeUnit.MILLISECONDS);
      assertInstanceOf(TimeoutException.class, Await.failure(result));
      Await.until(block::isDone, "the block's cancel");
      Await.until(() -> resource.exits.get() == 1, "exit");
      assertCancelledLikeACancel();
    }

    @Test
    void completeOnTimeout() {
      result.completeOnTimeout("timed", 1, TimeUnit.MILLISECONDS);
      assertEquals("timed", Await.value(result));
      Await.until(() -> resource.exits.get() == 1, "exit");
      assertCancelledLikeACancel();
    }

    @Test
    void completeAsync() {
      Executor direct = Runnable::run;
      result.completeAsync(() -> "async", direct);
      assertEquals("async", Await.value(result));
      assertCancelledLikeACancel();
    }

    @Test
    void obtrudeValue() {
      result.obtrudeValue("forced");
      assertEquals("forced", Await.value(result));
      assertCancelledLikeACancel();
    }

    @Test
    void obtrudeException() {
      Exception forced = new Exception("forced");
      result.obtrudeException(forced);
      assertSame(forced, Await.failure(result));
      assertCancelledLikeACancel();
    }
  }

  @Nested
  class NestedStatements {
    private final List<String> log = RecordingResource.newLog();
    private final RecordingResource<String> outer = new RecordingResource<>("outer", "o", log);
    private final RecordingResource<String> inner =
        new RecordingResource<>("inner", "i", log).pendingExit();
    private final CompletableFuture<String> block = new CompletableFuture<>();
    private final CompletableFuture<String> result = outer.use(o -> inner.use(i -> block));

    @Test
    void innerTeardownFinishesBeforeOuterExitStartsWhenCancelled() {
      assertTrue(result.cancel(true));
      assertTrue(block.isCancelled());
      assertEquals(1, inner.exits.get());
      Await.settle(Duration.ofMillis(20));
      assertEquals(0, outer.exits.get(), "outer exit must wait for inner teardown");
      inner.exitStage.complete(false);
      assertEquals(1, outer.exits.get());
      assertInstanceOf(CancellationException.class, outer.exitFailure());
      assertEquals(List.of("outer.enter", "inner.enter", "inner.exit(CancellationException)",
          "outer.exit(CancellationException)"), log);
    }

    @Test
    void innerTeardownFinishesBeforeOuterExitStartsWithoutCancel() {
      block.complete("done");
      assertEquals(0, outer.exits.get());
      inner.exitStage.complete(false);
      assertEquals("done", Await.value(result));
      assertEquals(List.of("outer.enter", "inner.enter", "inner.exit(null)", "outer.exit(null)"), log);
    }

    @Test
    void theSameNestedStatementReturnedByTwoBodiesIsAwaitedByBoth() {
      RecordingResource<String> other = new RecordingResource<>("other", "x", log);
      RecordingResource<String> sharedResource =
          new RecordingResource<>("shared", "s", log).pendingExit();
      CompletableFuture<String> shared =
          sharedResource.use(i -> CompletableFuture.completedFuture("s"));
      RecordingResource<String> third = new RecordingResource<>("third", "y", log);
      CompletableFuture<String> first = other.use(x -> shared);
      CompletableFuture<String> second = third.use(y -> shared);
      assertEquals(0, other.exits.get());
      assertEquals(0, third.exits.get());
      sharedResource.exitStage.complete(false);
      assertEquals("s", Await.value(first));
      assertEquals("s", Await.value(second));
    }
  }
}
