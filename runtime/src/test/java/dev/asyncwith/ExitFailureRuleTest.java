package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Rule 5: a failing exit wins, with the block's failure attached once, unless that would repeat
 * or loop.
 */
class ExitFailureRuleTest {

  private final Exception blockFailure = new Exception("block failed");
  private final IllegalStateException exitFailure = new IllegalStateException("exit failed");

  private Throwable run(RecordingResource<String> resource, Throwable block) {
    CompletableFuture<String> result = resource.use(v -> block == null
        ? CompletableFuture.completedFuture("ok")
        : CompletableFuture.failedFuture(block));
    return Await.failure(result);
  }

  @Test
  void exitThatThrowsWinsWithTheBlockFailureAttached() {
    RecordingResource<String> resource = RecordingResource.named("r").onExit(f -> {
      throw exitFailure;
    });
    assertSame(exitFailure, run(resource, blockFailure));
    assertArrayEquals(new Throwable[] {blockFailure}, exitFailure.getSuppressed());
  }

  @Test
  void exitWhoseStageFailsWinsWithTheBlockFailureAttached() {
    RecordingResource<String> resource = RecordingResource.named("r").exitFails(exitFailure);
    assertSame(exitFailure, run(resource, blockFailure));
    assertArrayEquals(new Throwable[] {blockFailure}, exitFailure.getSuppressed());
  }

  @Test
  void exitFailingLaterWinsWithTheBlockFailureAttached() {
    RecordingResource<String> resource = RecordingResource.named("r").pendingExit();
    CompletableFuture<String> result = resource.use(v -> CompletableFuture.failedFuture(blockFailure));
    resource.exitStage.completeExceptionally(new CompletionException(exitFailure));
    assertSame(exitFailure, Await.failure(result));
    assertArrayEquals(new Throwable[] {blockFailure}, exitFailure.getSuppressed());
  }

  @Test
  void exitReturningNullFailsWithANullPointerExceptionNamingTheResource() {
    RecordingResource<String> resource = RecordingResource.named("r").onExit(f -> null);
    Throwable failure = run(resource, blockFailure);
    assertInstanceOf(NullPointerException.class, failure);
    assertTrue(failure.getMessage().contains(RecordingResource.class.getName()), failure::getMessage);
    assertArrayEquals(new Throwable[] {blockFailure}, failure.getSuppressed());
  }

  @Test
  void exitFailureAfterANormalBlockHasNothingAttached() {
    RecordingResource<String> resource = RecordingResource.named("r").exitFails(exitFailure);
    assertSame(exitFailure, run(resource, null));
    assertEquals(0, exitFailure.getSuppressed().length);
  }

  @Test
  void exitFailingWithTheBlockFailureItselfAttachesNothing() {
    RecordingResource<String> resource = RecordingResource.named("r").exitFails(blockFailure);
    assertSame(blockFailure, run(resource, blockFailure));
    assertEquals(0, blockFailure.getSuppressed().length);
  }

  @Test
  void blockFailureInTheExitFailuresCauseChainIsNotAttached() {
    IllegalStateException wrapper = new IllegalStateException("wraps", new RuntimeException(blockFailure));
    RecordingResource<String> resource = RecordingResource.named("r").exitFails(wrapper);
    assertSame(wrapper, run(resource, blockFailure));
    assertEquals(0, wrapper.getSuppressed().length);
  }

  @Test
  void blockFailureAlreadySuppressedByTheExitFailureIsNotAttachedTwice() {
    exitFailure.addSuppressed(blockFailure);
    RecordingResource<String> resource = RecordingResource.named("r").exitFails(exitFailure);
    assertSame(exitFailure, run(resource, blockFailure));
    assertArrayEquals(new Throwable[] {blockFailure}, exitFailure.getSuppressed());
  }

  @Test
  void blockFailureThatAlreadyReachesTheExitFailureIsNotAttachedSoNoCycleForms() {
    Exception block = new Exception("block failed", exitFailure); // exitFailure is its cause
    RecordingResource<String> resource = RecordingResource.named("r").exitFails(exitFailure);
    assertSame(exitFailure, run(resource, block));
    assertEquals(0, exitFailure.getSuppressed().length);
  }

  @Test
  void blockFailureThatSuppressesTheExitFailureIsNotAttachedSoNoCycleForms() {
    blockFailure.addSuppressed(exitFailure);
    RecordingResource<String> resource = RecordingResource.named("r").exitFails(exitFailure);
    assertSame(exitFailure, run(resource, blockFailure));
    assertEquals(0, exitFailure.getSuppressed().length);
  }
}
