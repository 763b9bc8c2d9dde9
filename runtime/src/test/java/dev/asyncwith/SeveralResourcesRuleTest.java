package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Rule 8: {@link AsyncWith#with} enters left to right and exits right to left, each exit seeing
 * the failure as the later ones left it, exactly like nested {@code use} calls.
 */
class SeveralResourcesRuleTest {

  private final List<String> log = RecordingResource.newLog();
  private final RecordingResource<String> a = new RecordingResource<>("a", "A", log);
  private final RecordingResource<String> b = new RecordingResource<>("b", "B", log);
  private final RecordingResource<String> c = new RecordingResource<>("c", "C", log);

  @Test
  void twoResourcesAreEnteredLeftToRightAndExitedRightToLeft() {
    CompletableFuture<String> result =
        AsyncWith.with(a, b, (x, y) -> CompletableFuture.completedFuture(x + y));
    assertEquals("AB", Await.value(result));
    assertEquals(List.of("a.enter", "b.enter", "b.exit(null)", "a.exit(null)"), log);
  }

  @Test
  void threeResourcesAreEnteredLeftToRightAndExitedRightToLeft() {
    CompletableFuture<String> result =
        AsyncWith.with(a, b, c, (x, y, z) -> CompletableFuture.completedFuture(x + y + z));
    assertEquals("ABC", Await.value(result));
    assertEquals(List.of("a.enter", "b.enter", "c.enter", "c.exit(null)", "b.exit(null)",
        "a.exit(null)"), log);
  }

  @Test
  void inTheOtherOrderTheOrderFollowsTheArguments() {
    CompletableFuture<String> result =
        AsyncWith.with(c, b, a, (z, y, x) -> CompletableFuture.completedFuture(z + y + x));
    assertEquals("CBA", Await.value(result));
    assertEquals(List.of("c.enter", "b.enter", "a.enter", "a.exit(null)", "b.exit(null)",
        "c.exit(null)"), log);
  }

  @Test
  void aResourceWhoseEnterFailsIsNotExitedButTheOnesBeforeItAre() {
    Exception failure = new Exception("b cannot enter");
    b.enterFails(failure);
    CompletableFuture<String> result =
        AsyncWith.with(a, b, c, (x, y, z) -> CompletableFuture.completedFuture("never"));
    assertSame(failure, Await.failure(result));
    assertEquals(List.of("a.enter", "b.enter", "a.exit(Exception)"), log);
    assertSame(failure, a.exitFailure());
  }

  @Test
  void theBlockFailureReachesEveryExitWhenNoneSuppressesIt() {
    Exception failure = new Exception("block failed");
    CompletableFuture<String> result =
        AsyncWith.with(a, b, c, (x, y, z) -> CompletableFuture.failedFuture(failure));
    assertSame(failure, Await.failure(result));
    assertSame(failure, c.exitFailure());
    assertSame(failure, b.exitFailure());
    assertSame(failure, a.exitFailure());
  }

  @Test
  void aLaterExitThatSuppressesLeavesNoFailureForTheEarlierOnes() {
    b.exitReturns(true);
    CompletableFuture<String> result = AsyncWith.with(
        a, b, (x, y) -> CompletableFuture.<String>failedFuture(new Exception("block failed")));
    assertNull(Await.value(result));
    assertInstanceOf(Exception.class, b.exitFailure());
    assertNull(a.exitFailure());
  }

  @Test
  void aLaterExitThatRaisesHandsItsFailureToTheEarlierOnes() {
    Exception blockFailure = new Exception("block failed");
    IllegalStateException raised = new IllegalStateException("b's exit failed");
    b.exitFails(raised);
    CompletableFuture<String> result =
        AsyncWith.with(a, b, (x, y) -> CompletableFuture.<String>failedFuture(blockFailure));
    assertSame(raised, Await.failure(result));
    assertSame(raised, a.exitFailure());
    assertArrayEquals(new Throwable[] {blockFailure}, raised.getSuppressed());
  }

  @Test
  void anEarlierExitMaySuppressWhatALaterOneRaised() {
    b.exitFails(new IllegalStateException("b's exit failed"));
    a.exitReturns(true);
    CompletableFuture<String> result =
        AsyncWith.with(a, b, (x, y) -> CompletableFuture.completedFuture("value"));
    assertNull(Await.value(result));
    assertInstanceOf(IllegalStateException.class, a.exitFailure());
  }

  @Test
  void withBehavesExactlyLikeNestedUse() {
    List<String> nestedLog = RecordingResource.newLog();
    RecordingResource<String> na = new RecordingResource<>("a", "A", nestedLog).exitReturns(true);
    RecordingResource<String> nb = new RecordingResource<>("b", "B", nestedLog);
    a.exitReturns(true);
    Exception failure = new Exception("block failed");
    CompletableFuture<String> viaWith =
        AsyncWith.with(a, b, (x, y) -> CompletableFuture.<String>failedFuture(failure));
    CompletableFuture<String> viaUse =
        na.use(x -> nb.use(y -> CompletableFuture.<String>failedFuture(failure)));
    assertEquals(Await.value(viaUse), Await.value(viaWith));
    assertEquals(nestedLog, log);
  }

  @Test
  void aBodyReturningNullFailsWithANullPointerExceptionNamingTheUsersBody() {
    BiFunction<String, String, CompletionStage<String>> body = new BiFunction<>() {
      @Override
      public CompletionStage<String> apply(String x, String y) {
        return null;
      }

      @Override
      public String toString() {
        return "theUsersBody";
      }
    };
    Throwable failure = Await.failure(AsyncWith.with(a, b, body));
    assertInstanceOf(NullPointerException.class, failure);
    assertTrue(failure.getMessage().contains("theUsersBody"), failure::getMessage);
    assertSame(failure, b.exitFailure());
    assertSame(failure, a.exitFailure());
  }

  @Test
  void cancellingReachesTheBodyAndEveryExitRunsInnermostFirst() {
    CompletableFuture<String> block = new CompletableFuture<>();
    b.pendingExit();
    CompletableFuture<String> result = AsyncWith.with(a, b, c, (x, y, z) -> block);
    assertTrue(result.cancel(true));
    assertTrue(block.isCancelled());
    assertEquals(1, c.exits.get());
    assertEquals(1, b.exits.get());
    assertEquals(0, a.exits.get(), "a's exit waits for b's teardown");
    b.exitStage.complete(false);
    assertInstanceOf(CancellationException.class, a.exitFailure());
    assertEquals(List.of("a.enter", "b.enter", "c.enter", "c.exit(CancellationException)",
        "b.exit(CancellationException)", "a.exit(CancellationException)"), log);
  }
}
