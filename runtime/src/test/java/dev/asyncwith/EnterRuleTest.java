package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Rule 1: a failed enter fails the result with that failure; no body, no exit. */
class EnterRuleTest {

  private final AtomicInteger bodyRuns = new AtomicInteger();

  private CompletableFuture<String> use(RecordingResource<String> resource) {
    return resource.use(
        value -> {
          bodyRuns.incrementAndGet();
          return CompletableFuture.completedFuture("body ran");
        });
  }

  private void assertNoBodyNoExit(RecordingResource<String> resource) {
    assertEquals(1, resource.enters.get());
    assertEquals(0, bodyRuns.get());
    assertEquals(0, resource.exits.get());
  }

  @Test
  void enterThatThrowsFailsTheResultWithTheSameObject() {
    IllegalStateException thrown = new IllegalStateException("enter threw");
    RecordingResource<String> resource =
        RecordingResource.named("r").onEnter(() -> {
          throw thrown;
        });
    assertSame(thrown, Await.failure(use(resource)));
    assertNoBodyNoExit(resource);
  }

  @Test
  void enterThatThrowsAnErrorIsStillAFailedStage() {
    AssertionError thrown = new AssertionError("enter threw an Error");
    RecordingResource<String> resource =
        RecordingResource.named("r").onEnter(() -> {
          throw thrown;
        });
    assertSame(thrown, Await.failure(use(resource)));
    assertNoBodyNoExit(resource);
  }

  @Test
  void enterReturningNullFailsWithANullPointerExceptionNamingTheResourceClass() {
    RecordingResource<String> resource = RecordingResource.named("r").onEnter(() -> null);
    Throwable failure = Await.failure(use(resource));
    assertInstanceOf(NullPointerException.class, failure);
    assertTrue(failure.getMessage().contains(RecordingResource.class.getName()), failure::getMessage);
    assertNoBodyNoExit(resource);
  }

  @Test
  void enterWhoseStageFailsAtOnceFailsTheResultWithTheSameObject() {
    Exception failure = new Exception("enter failed");
    RecordingResource<String> resource = RecordingResource.named("r").enterFails(failure);
    assertSame(failure, Await.failure(use(resource)));
    assertNoBodyNoExit(resource);
  }

  @Test
  void enterWhoseStageFailsLaterFailsTheResultWithTheSameObject() {
    RecordingResource<String> resource = RecordingResource.named("r").pendingEnter();
    CompletableFuture<String> result = use(resource);
    Await.pending(result);
    Exception failure = new Exception("enter failed later");
    resource.enterStage.completeExceptionally(failure);
    assertSame(failure, Await.failure(result));
    assertNoBodyNoExit(resource);
  }

  @Test
  void enterFailureIsUnwrappedFromEveryCompletionExceptionLayer() {
    Exception failure = new Exception("root");
    RecordingResource<String> resource =
        RecordingResource.named("r")
            .enterFails(new CompletionException(new CompletionException(failure)));
    assertSame(failure, Await.failure(use(resource)));
    assertNoBodyNoExit(resource);
  }

  @Test
  void enterFailureFromADerivedStageIsUnwrapped() {
    RecordingResource<String> resource = RecordingResource.named("r").pendingEnter();
    Exception failure = new Exception("root");
    resource.onEnter(() -> {
      CompletableFuture<String> source = new CompletableFuture<>();
      source.completeExceptionally(failure);
      return source.thenApply(value -> value); // fails with CompletionException(failure)
    });
    assertSame(failure, Await.failure(use(resource)));
    assertNoBodyNoExit(resource);
  }

  @Test
  void enterThroughAMinimalStageIsReadThroughItsCallback() {
    RecordingResource<String> resource =
        RecordingResource.named("r").onEnter(() -> CompletableFuture.completedStage("v"));
    assertEquals("body ran", Await.value(use(resource)));
    assertEquals(1, bodyRuns.get());
    assertEquals(1, resource.exits.get());
  }
}
