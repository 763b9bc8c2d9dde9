package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Rule 2: the body runs with the entered value; a throw or a null counts as a failed block. */
class BodyRuleTest {

  @Test
  void bodyGetsTheEnteredValueAndTheResultGetsTheBlocksValue() {
    RecordingResource<String> resource = RecordingResource.named("r");
    CompletableFuture<Integer> result =
        resource.use(value -> CompletableFuture.completedFuture(value.length()));
    assertEquals("r-value".length(), Await.value(result));
    assertNull(resource.exitFailure());
  }

  @Test
  void bodyThatThrowsIsAFailedBlockAndTeardownRuns() {
    RecordingResource<String> resource = RecordingResource.named("r");
    IllegalArgumentException thrown = new IllegalArgumentException("body threw");
    CompletableFuture<String> result = resource.use(value -> {
      throw thrown;
    });
    assertSame(thrown, Await.failure(result));
    assertSame(thrown, resource.exitFailure());
  }

  @Test
  void bodyReturningNullIsAFailedBlockWithANullPointerExceptionNamingTheBody() {
    RecordingResource<String> resource = RecordingResource.named("r");
    Function<String, CompletionStage<String>> body = new Function<>() {
      @Override
      public CompletionStage<String> apply(String value) {
        return null;
      }

      @Override
      public String toString() {
        return "theNamedBody";
      }
    };
    Throwable failure = Await.failure(resource.use(body));
    assertInstanceOf(NullPointerException.class, failure);
    assertTrue(failure.getMessage().contains("theNamedBody"), failure::getMessage);
    assertSame(failure, resource.exitFailure());
  }

  @Test
  void bodyWhoseStageFailsAtOnceIsAFailedBlock() {
    RecordingResource<String> resource = RecordingResource.named("r");
    Exception failure = new Exception("block failed");
    CompletableFuture<String> result = resource.use(value -> CompletableFuture.failedFuture(failure));
    assertSame(failure, Await.failure(result));
    assertSame(failure, resource.exitFailure());
  }

  @Test
  void bodyReturningAnAlreadyCancelledFutureHandsExitThatVeryCancellation() {
    // Identity on every JDK: since JDK 23, join() reports a cancelled future with a new
    // CancellationException, so the statement must not read the failure through join().
    RecordingResource<String> resource = RecordingResource.named("r");
    CompletableFuture<String> block = new CompletableFuture<>();
    block.cancel(false);
    Throwable cancellation = block.handle((value, failure) -> failure).join();
    CompletableFuture<String> result = resource.use(value -> block);
    assertSame(cancellation, Await.failure(result));
    assertSame(cancellation, resource.exitFailure());
  }

  @Test
  void bodyWhoseStageFailsAtOnceWithACompletionExceptionIsUnwrapped() {
    RecordingResource<String> resource = RecordingResource.named("r");
    Exception failure = new Exception("block failed");
    CompletableFuture<String> block = new CompletableFuture<>();
    block.completeExceptionally(new CompletionException(failure));
    CompletableFuture<String> result = resource.use(value -> block);
    assertSame(failure, Await.failure(result));
    assertSame(failure, resource.exitFailure());
  }

  @Test
  void bodyWhoseStageFailsLaterIsAFailedBlock() {
    RecordingResource<String> resource = RecordingResource.named("r");
    CompletableFuture<String> block = new CompletableFuture<>();
    CompletableFuture<String> result = resource.use(value -> block);
    Await.pending(result);
    assertEquals(0, resource.exits.get());
    Exception failure = new Exception("block failed later");
    block.completeExceptionally(failure);
    assertSame(failure, Await.failure(result));
    assertSame(failure, resource.exitFailure());
  }

  @Test
  void bodyReturningAMinimalStageWorks() {
    RecordingResource<String> resource = RecordingResource.named("r");
    CompletableFuture<String> result =
        resource.use(value -> CompletableFuture.completedStage(value + "!"));
    assertEquals("r-value!", Await.value(result));
    assertNull(resource.exitFailure());
  }
}
