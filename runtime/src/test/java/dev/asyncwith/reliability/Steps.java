package dev.asyncwith.reliability;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Turns an {@link Outcome} into what a scripted step returns (or throws). */
final class Steps {
  private Steps() {}

  /**
   * Performs one step: returns a stage that ends as {@code outcome} says, with {@code value} when
   * it succeeds; throws, or returns null, when the outcome says so. Failures are created here,
   * labelled {@code label}, and recorded in {@code run}.
   */
  static <T> CompletionStage<T> perform(Outcome outcome, String label, T value, RunRecord run) {
    switch (outcome.kind()) {
      case VALUE:
        return CompletableFuture.completedFuture(value);
      case THROW:
        throw ScriptedFailures.sneakyThrow(ScriptedFailures.create(label, outcome.flavor(), run));
      case FAILED_STAGE:
        return CompletableFuture.failedFuture(
            ScriptedFailures.create(label, outcome.flavor(), run));
      case NULL:
        return null;
      case LATER_VALUE:
        {
          CompletableFuture<T> later = new CompletableFuture<>();
          Later.run(() -> later.complete(value));
          return later;
        }
      case LATER_FAILED:
        {
          Throwable failure = ScriptedFailures.create(label, outcome.flavor(), run);
          CompletableFuture<T> later = new CompletableFuture<>();
          Later.run(() -> later.completeExceptionally(failure));
          return later;
        }
      case CANCELLED:
        return cancelled(label, run);
      default:
        throw new AssertionError(outcome);
    }
  }

  /** A cancelled stage; its {@code CancellationException} is recorded under {@code label}. */
  static <T> CompletableFuture<T> cancelled(String label, RunRecord run) {
    CompletableFuture<T> cancelled = new CompletableFuture<>();
    cancelled.cancel(false);
    run.raised(label, cancelled.handle((v, failure) -> failure).join());
    return cancelled;
  }
}
