package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@link AsyncResource#use(Duration, java.util.function.Function)}: the block bounded in time. */
class TimeoutTest {

  private static final Duration SHORT = Duration.ofMillis(30);
  private final RecordingResource<String> resource = RecordingResource.named("r");

  @Test
  void atTheDeadlineTheBlockIsCancelledAndExitReceivesATimeoutExceptionNamingTheDuration() {
    CompletableFuture<String> block = new CompletableFuture<>();
    CompletableFuture<String> result = resource.use(SHORT, v -> block);
    Throwable failure = Await.failure(result);
    assertInstanceOf(TimeoutException.class, failure);
    assertTrue(failure.getMessage().contains(SHORT.toString()), failure::getMessage);
    assertTrue(block.isCancelled());
    assertSame(failure, resource.exitFailure());
    Throwable blockCancellation = Await.failure(block);
    assertArrayEquals(new Throwable[] {blockCancellation}, failure.getSuppressed());
  }

  @Test
  void theResultCompletesOnlyAfterTeardown() {
    resource.pendingExit();
    CompletableFuture<String> block = new CompletableFuture<>();
    CompletableFuture<String> result = resource.use(SHORT, v -> block);
    Await.until(() -> resource.exits.get() == 1, "exit");
    Await.settle(Duration.ofMillis(20));
    assertFalse(result.isDone(), "the result waits for teardown");
    Throwable timeout = resource.exitFailure();
    resource.exitStage.complete(false);
    assertSame(timeout, Await.failure(result));
  }

  @Test
  void aBlockThatIgnoresTheCancelIsAwaitedAndItsFailureAttached() {
    CancellationRuleTest.Stubborn<String> block = new CancellationRuleTest.Stubborn<>();
    CompletableFuture<String> result = resource.use(SHORT, v -> block);
    Await.until(() -> block.cancelRequested, "the deadline's cancel");
    Await.settle(Duration.ofMillis(20));
    assertEquals(0, resource.exits.get());
    assertFalse(result.isDone());
    Exception late = new Exception("late failure");
    block.completeExceptionally(late);
    Throwable timeout = Await.failure(result);
    assertInstanceOf(TimeoutException.class, timeout);
    assertArrayEquals(new Throwable[] {late}, timeout.getSuppressed());
  }

  @Test
  void aBlockFinishingInTimeIsUnaffectedAndTheTimerStops() {
    CompletableFuture<String> block = new CompletableFuture<>();
    CompletableFuture<String> result = resource.use(Duration.ofMillis(200), v -> block);
    block.complete("in time");
    assertEquals("in time", Await.value(result));
    Await.settle(Duration.ofMillis(300));
    assertNull(resource.exitFailure());
    assertFalse(block.isCancelled());
  }

  @Test
  void aBodyThatRanPastTheDeadlineButNeverWaitedIsNotTimedOut() {
    CompletableFuture<String> result = resource.use(Duration.ofMillis(1), v -> {
      Await.settle(Duration.ofMillis(30)); // the deadline passes while the body runs
      return CompletableFuture.completedFuture("finished without waiting");
    });
    assertEquals("finished without waiting", Await.value(result));
    assertNull(resource.exitFailure());
  }

  @Test
  void aBodyThatRanPastTheDeadlineAndThenWaitsIsCancelledAtOnce() {
    CompletableFuture<String> block = new CompletableFuture<>();
    CompletableFuture<String> result = resource.use(Duration.ofMillis(1), v -> {
      Await.settle(Duration.ofMillis(30));
      return block;
    });
    Await.until(block::isCancelled, "the deadline's cancel");
    assertInstanceOf(TimeoutException.class, Await.failure(result));
  }

  @Test
  void aSynchronousBlockNeverTimesOut() {
    CompletableFuture<String> result =
        resource.use(Duration.ofMillis(1), v -> CompletableFuture.completedFuture("now"));
    assertEquals("now", Await.value(result));
    assertNull(resource.exitFailure());
  }

  @Test
  void aSynchronousCycleHasEndedWhenUseReturnsAndItsDeadlineChangesNothingAfter()
      throws InterruptedException {
    CompletableFuture<String> block = CompletableFuture.completedFuture("now");
    try (Await.Uncaught uncaught = new Await.Uncaught()) {
      CompletableFuture<String> result = resource.use(Duration.ofMillis(1), v -> block);
      assertEquals("now", result.getNow(null), "ended before use returned");
      Thread.sleep(20); // past the deadline
      assertFalse(result.cancel(true));
      assertEquals("now", result.join());
      assertFalse(block.isCancelled());
      assertEquals(1, resource.exits.get());
      uncaught.assertNone();
    }
  }

  @Test
  void exitMaySuppressTheTimeout() {
    resource.exitReturns(true);
    CompletableFuture<String> result = resource.use(SHORT, v -> new CompletableFuture<String>());
    assertNull(Await.value(result));
    assertInstanceOf(TimeoutException.class, resource.exitFailure());
  }

  @Test
  void aFailingExitWinsWithTheTimeoutAttached() {
    IllegalStateException exitFailure = new IllegalStateException("exit failed");
    resource.exitFails(exitFailure);
    CompletableFuture<String> result = resource.use(SHORT, v -> new CompletableFuture<String>());
    assertSame(exitFailure, Await.failure(result));
    assertInstanceOf(TimeoutException.class, exitFailure.getSuppressed()[0]);
  }

  @Test
  void aZeroTimeoutCancelsAPendingBlockAtOnce() {
    CompletableFuture<String> block = new CompletableFuture<>();
    CompletableFuture<String> result = resource.use(Duration.ZERO, v -> block);
    assertTrue(block.isCancelled());
    assertInstanceOf(TimeoutException.class, Await.failure(result));
  }

  @Test
  void aNegativeTimeoutIsADeadlineAlreadyPassed() {
    CompletableFuture<String> block = new CompletableFuture<>();
    CompletableFuture<String> result = resource.use(Duration.ofSeconds(-5), v -> block);
    assertTrue(block.isCancelled());
    assertInstanceOf(TimeoutException.class, Await.failure(result));
  }

  @Test
  void anEnormousTimeoutIsAccepted() {
    CompletableFuture<String> block = new CompletableFuture<>();
    CompletableFuture<String> result = resource.use(Duration.ofSeconds(Long.MAX_VALUE), v -> block);
    block.complete("fine");
    assertEquals("fine", Await.value(result));
  }

  @Test
  void theTimeEnterTakesDoesNotCount() {
    resource.pendingEnter();
    CompletableFuture<String> block = new CompletableFuture<>();
    CompletableFuture<String> result = resource.use(Duration.ofMillis(500), v -> block);
    Await.settle(Duration.ofMillis(600));
    resource.enterStage.complete("late");
    block.complete("in time");
    assertEquals("in time", Await.value(result));
  }

  @Test
  void theCallersCancelStillCompletesTheResultAtOnce() {
    CompletableFuture<String> block = new CompletableFuture<>();
    CompletableFuture<String> result = resource.use(SHORT, v -> block);
    assertTrue(result.cancel(true));
    assertTrue(block.isCancelled());
    assertInstanceOf(CancellationException.class, resource.exitFailure());
    Await.settle(SHORT.multipliedBy(2));
    assertEquals(1, resource.exits.get());
  }

  @Test
  void aTimedOutNestedStatementTearsDownBeforeTheOuterExit() {
    RecordingResource<String> outer = RecordingResource.named("outer");
    RecordingResource<String> inner = RecordingResource.named("inner").pendingExit();
    CompletableFuture<String> result =
        outer.use(o -> inner.use(SHORT, i -> new CompletableFuture<String>()));
    Await.until(() -> inner.exits.get() == 1, "inner exit");
    Await.settle(Duration.ofMillis(20));
    assertEquals(0, outer.exits.get());
    inner.exitStage.complete(false);
    Throwable timeout = Await.failure(result);
    assertInstanceOf(TimeoutException.class, timeout);
    assertSame(timeout, outer.exitFailure());
  }
}
