package dev.asyncwith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How the runtime looks at other people's stages without paying for it: reading the value of a
 * stage that has already completed, and cancelling a stage where that is supported.
 */
final class Stages {
  private Stages() {}

  /** What {@link #now} returns for a stage whose value is not known yet, or not cheaply. */
  static final Object PENDING = new Object() {
    @Override
    public String toString() {
      return "PENDING";
    }
  };

  /**
   * The class of {@link CompletableFuture#completedStage}'s stages, whose state queries throw
   * {@link UnsupportedOperationException}; they take the general path.
   */
  private static final Class<?> MINIMAL_STAGE = CompletableFuture.completedStage(null).getClass();

  /**
   * The value of {@code stage} if it is a {@link CompletableFuture} that has already completed
   * normally, else {@link #PENDING} (still running, failed, or not a future whose state can be
   * read). Callers attach to a {@code PENDING} stage with {@code whenComplete}, which also runs at
   * once for a completed one; this only spares them the allocation and the callback in the common
   * case.
   */
  static Object now(CompletionStage<?> stage) {
    if (!(stage instanceof CompletableFuture) || stage.getClass() == MINIMAL_STAGE) {
      return PENDING;
    }
    CompletableFuture<?> future = (CompletableFuture<?>) stage;
    try {
      if (future.isDone() && !future.isCompletedExceptionally()) {
        return future.join();
      }
    } catch (RuntimeException unsupported) {
      // A subclass that refuses state queries, as completedStage's does: take the general path.
    }
    return PENDING;
  }

  /**
   * Cancels {@code stage} through {@code toCompletableFuture().cancel(true)} where that is
   * supported. A stage that does not support it is left running; whatever else the attempt
   * throws can reach nobody and goes to the uncaught-exception handler.
   */
  static void cancel(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().cancel(true);
    } catch (UnsupportedOperationException unsupported) {
      // Not cancellable: the statement waits for it to complete on its own.
    } catch (Throwable failure) {
      Failures.reportUncaught(failure);
    }
  }
}
