package dev.asyncwith;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The runtime's cheap stage handling, in one place: shared completed stages it returns without
 * allocating ({@link #TRUE}, {@link #FALSE}, {@link #completedNull()}), reading the value of
 * someone else's stage that has already completed ({@link #now}), and cancelling a stage where
 * that is supported ({@link #cancel}).
 */
final class Stages {
  private Stages() {}

  /** {@code exit}'s result when the failure is not suppressed. */
  static final CompletionStage<Boolean> FALSE = new Done<>(Boolean.FALSE);

  /** {@code exit}'s result when the failure is suppressed. */
  static final CompletionStage<Boolean> TRUE = new Done<>(Boolean.TRUE);

  /** A stage completed with {@code null}, for {@code close()} and the like. */
  private static final CompletionStage<Object> NULL = new Done<>(null);

  /** The shared stage completed with {@code suppress}. */
  static CompletionStage<Boolean> of(boolean suppress) {
    return suppress ? TRUE : FALSE;
  }

  /** The shared stage completed with {@code null}, of any type. */
  @SuppressWarnings("unchecked") // it holds null, which is a T for every T, and never changes
  static <T> CompletionStage<T> completedNull() {
    return (CompletionStage<T>) NULL;
  }

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
   * The failure of {@code stage} if it is a {@link CompletableFuture} that has already failed, as
   * its {@code join} reports it (to be unwrapped by {@link Failures#unwrap}); {@code null} when it
   * is pending, completed normally, or not a future whose state can be read.
   */
  static Throwable failureNow(CompletionStage<?> stage) {
    if (!(stage instanceof CompletableFuture) || stage.getClass() == MINIMAL_STAGE) {
      return null;
    }
    CompletableFuture<?> future = (CompletableFuture<?>) stage;
    try {
      if (future.isCompletedExceptionally()) {
        future.join();
      }
    } catch (CompletionException | CancellationException failed) {
      return failed;
    } catch (RuntimeException unsupported) {
      // A subclass that refuses state queries: take the general path.
    }
    return null;
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

  /**
   * A {@link CompletableFuture} completed once, at construction, that nobody can change
   * afterwards, so that one instance can be shared by every caller and returned without
   * allocating.
   *
   * <p>A completed {@code CompletableFuture} already ignores {@code complete}, {@code
   * completeExceptionally}, {@code cancel}, {@code orTimeout}, {@code completeOnTimeout} and
   * {@code completeAsync}; only the two {@code obtrude} methods could change it, and here they
   * throw. Stages derived from it ({@code thenApply}, ...) are plain new futures ({@code
   * newIncompleteFuture} is not overridden). Unlike {@link CompletableFuture#completedStage},
   * whose {@code isDone()}, {@code getNow()} and {@code join()} throw {@link
   * UnsupportedOperationException}, this is a full {@code CompletableFuture}: callers that look at
   * a stage's state before attaching to it ({@link #now}) keep their fast path.
   */
  private static final class Done<T> extends CompletableFuture<T> {
    Done(T value) {
      super.complete(value);
    }

    /** Always throws: a shared completed stage never changes. */
    @Override
    public void obtrudeValue(T value) {
      throw new UnsupportedOperationException("a shared completed stage cannot be changed");
    }

    /** Always throws: a shared completed stage never changes. */
    @Override
    public void obtrudeException(Throwable failure) {
      throw new UnsupportedOperationException("a shared completed stage cannot be changed");
    }
  }
}
