package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Rule 3: exit runs exactly once, after the block, with the block's failure unwrapped. */
class ExitRuleTest {

  @Test
  void exitRunsOnceWithNullAfterANormalBlock() {
    RecordingResource<String> resource = RecordingResource.named("r");
    assertEquals("ok", Await.value(resource.use(v -> CompletableFuture.completedFuture("ok"))));
    assertEquals(1, resource.exits.get());
    assertNull(resource.exitFailure());
  }

  @Test
  void exitWaitsForThePendingBlock() {
    RecordingResource<String> resource = RecordingResource.named("r");
    CompletableFuture<String> block = new CompletableFuture<>();
    CompletableFuture<String> result = resource.use(v -> block);
    Await.pending(result);
    assertEquals(0, resource.exits.get());
    block.complete("late");
    assertEquals("late", Await.value(result));
    assertEquals(1, resource.exits.get());
  }

  @Test
  void blockFailureIsUnwrappedFromEveryCompletionExceptionWithACause() {
    RecordingResource<String> resource = RecordingResource.named("r");
    Exception root = new Exception("root");
    CompletableFuture<String> result = resource.use(v -> CompletableFuture.failedFuture(
        new CompletionException(new CompletionException(new CompletionException(root)))));
    assertSame(root, resource.exitFailure());
    assertSame(root, Await.failure(result));
  }

  @Test
  void aCompletionExceptionWithoutACauseIsItselfTheFailure() {
    RecordingResource<String> resource = RecordingResource.named("r");
    CompletionException bare = new CompletionException("no cause", null);
    CompletableFuture<String> result = resource.use(v -> CompletableFuture.failedFuture(
        new CompletionException(bare)));
    assertSame(bare, resource.exitFailure());
    assertSame(bare, Await.failure(result));
  }

  @Test
  void blockFailureThroughDerivedStagesKeepsItsIdentity() {
    RecordingResource<String> resource = RecordingResource.named("r");
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletableFuture<String> result =
        resource.use(v -> source.thenApply(s -> s + "!").thenCompose(CompletableFuture::completedFuture));
    Exception root = new Exception("root");
    source.completeExceptionally(root);
    assertSame(root, resource.exitFailure());
    assertSame(root, Await.failure(result));
  }

  @Test
  void exitWithAPendingStageHoldsTheResultUntilItCompletes() {
    RecordingResource<String> resource = RecordingResource.named("r").pendingExit();
    CompletableFuture<String> result = resource.use(v -> CompletableFuture.completedFuture("ok"));
    Await.pending(result);
    resource.exitStage.complete(false);
    assertEquals("ok", Await.value(result));
    assertEquals(1, resource.exits.get());
  }
}
