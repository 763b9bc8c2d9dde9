package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The package-private {@link DirectResource} hook the generator engines use: the statement calls
 * it instead of enter/exit, continues inside the outcome call, and keeps every rule.
 */
class DirectResourceTest {

  /** A direct resource whose outcomes the test delivers, now or later. */
  static final class Direct extends DirectResource<String> {
    final List<String> log = RecordingResource.newLog();
    DirectResource.Outcome enterOutcome;
    DirectResource.Outcome exitOutcome;
    Throwable exitFailure;
    boolean enterAtOnce = true;
    boolean exitAtOnce = true;
    RuntimeException throwAfterEnter;

    @Override
    public void enterTo(DirectResource.Outcome outcome) {
      log.add("enterTo");
      enterOutcome = outcome;
      if (enterAtOnce) {
        outcome.accept("direct", null);
        log.add("enter outcome delivered");
      }
      if (throwAfterEnter != null) {
        throw throwAfterEnter;
      }
    }

    @Override
    public void exitTo(Throwable failure, DirectResource.Outcome outcome) {
      log.add("exitTo(" + (failure == null ? "null" : failure.getClass().getSimpleName()) + ")");
      exitFailure = failure;
      exitOutcome = outcome;
      if (exitAtOnce) {
        outcome.accept(Boolean.FALSE, null);
      }
    }

    @Override
    public CompletionStage<String> enter() {
      throw new AssertionError("the statement must use enterTo");
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      throw new AssertionError("the statement must use exitTo");
    }
  }

  private final Direct resource = new Direct();

  @Test
  void aSynchronousBlockHasEndedInsideTheEnterOutcomeCall() {
    CompletableFuture<String> result = resource.use(v -> {
      resource.log.add("body(" + v + ")");
      return CompletableFuture.completedFuture(v + "!");
    });
    assertEquals("direct!", Await.value(result));
    assertEquals(List.of("enterTo", "body(direct)", "exitTo(null)", "enter outcome delivered"), resource.log);
  }

  @Test
  void outcomesDeliveredLaterWork() {
    resource.enterAtOnce = false;
    resource.exitAtOnce = false;
    CompletableFuture<String> block = new CompletableFuture<>();
    CompletableFuture<String> result = resource.use(v -> block);
    resource.enterOutcome.accept("later", null);
    block.complete("value");
    Await.pending(result);
    resource.exitOutcome.accept(Boolean.FALSE, null);
    assertEquals("value", Await.value(result));
  }

  @Test
  void failuresAreUnwrappedAndRuleFiveApplies() {
    resource.exitAtOnce = false;
    Exception blockFailure = new Exception("block");
    IllegalStateException exitFailure = new IllegalStateException("exit");
    CompletableFuture<String> result = resource.use(v -> CompletableFuture.failedFuture(blockFailure));
    assertSame(blockFailure, resource.exitFailure);
    resource.exitOutcome.accept(null, new CompletionException(exitFailure));
    assertSame(exitFailure, Await.failure(result));
    assertSame(blockFailure, exitFailure.getSuppressed()[0]);
  }

  @Test
  void suppressionApplies() {
    resource.exitAtOnce = false;
    CompletableFuture<String> result =
        resource.use(v -> CompletableFuture.failedFuture(new Exception("block")));
    resource.exitOutcome.accept(Boolean.TRUE, null);
    assertNull(Await.value(result));
  }

  @Test
  void aFailedEnterSkipsBodyAndExit() {
    resource.enterAtOnce = false;
    CompletableFuture<String> result = resource.use(v -> CompletableFuture.completedFuture("x"));
    Exception failure = new Exception("enter");
    resource.enterOutcome.accept(null, failure);
    assertSame(failure, Await.failure(result));
    assertNull(resource.exitOutcome);
  }

  @Test
  void cancelDuringEnterExitsWithACancellationOnceEnterCompletes() {
    resource.enterAtOnce = false;
    CompletableFuture<String> result = resource.use(v -> {
      resource.log.add("body");
      return CompletableFuture.completedFuture("x");
    });
    assertTrue(result.cancel(true));
    resource.enterOutcome.accept("acquired", null);
    assertInstanceOf(CancellationException.class, resource.exitFailure);
    assertFalse(resource.log.contains("body"));
    assertTrue(result.isCancelled());
  }

  @Test
  void aThrowBeforeTheOutcomeIsAnEnterFailure() {
    resource.enterAtOnce = false;
    resource.throwAfterEnter = new IllegalStateException("engine bug");
    CompletableFuture<String> result = resource.use(v -> CompletableFuture.completedFuture("x"));
    assertSame(resource.throwAfterEnter, Await.failure(result));
  }

  @Test
  void aThrowAfterTheOutcomeGoesToTheUncaughtHandler() {
    resource.throwAfterEnter = new IllegalStateException("engine bug");
    try (Await.Uncaught uncaught = new Await.Uncaught()) {
      CompletableFuture<String> result = resource.use(v -> CompletableFuture.completedFuture("x"));
      assertEquals("x", Await.value(result));
      uncaught.assertOnly(resource.throwAfterEnter);
    }
  }
}
