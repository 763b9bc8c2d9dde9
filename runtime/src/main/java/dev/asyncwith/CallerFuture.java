package dev.asyncwith;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A future that the runtime hands to a caller and completes itself when the work behind it ends: a
 * statement's result, a task group's child. The caller completing it first, in any way (cancel,
 * complete, completeExceptionally, the two obtrude methods, orTimeout, completeOnTimeout,
 * completeAsync), counts as a cancel of that work ({@code docs/RULES.md} rule 6 and G1): this class
 * notices every such completion, in one place, and tells {@link #completedByCaller}. The runtime
 * completes it through {@link #settle}, which is not a completion by the caller.
 *
 * <p>{@code orTimeout} and {@code completeOnTimeout} complete the future through {@code
 * completeExceptionally} and {@code complete}, so they are covered by those overrides.
 *
 * @param <R> the type of the value
 */
abstract class CallerFuture<R> extends CompletableFuture<R> {

  /**
   * The caller completed this future before the runtime did: stop the work behind it. Called by
   * the call that completed it; for {@code cancel}, only by the one that cancelled it first, so
   * that a cancel travelling round futures that wait for each other ends.
   */
  abstract void completedByCaller();

  /**
   * Completes the future with the runtime's outcome.
   *
   * @return whether it took effect (the caller had not completed the future first)
   */
  final boolean settle(R value, Throwable failure) {
    return failure == null ? super.complete(value) : super.completeExceptionally(failure);
  }

  /** {@link #completedByCaller} if the caller's completion took effect; returns whether it did. */
  private boolean byCaller(boolean tookEffect) {
    if (tookEffect) {
      completedByCaller();
    }
    return tookEffect;
  }

  /** Cancels this future at once, which cancels the work behind it. */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    // CompletableFuture.cancel also reports true on a future cancelled before: only the call that
    // cancelled it passes the cancel on, and every call reports whether it is cancelled now.
    boolean wasDone = isDone();
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled && !wasDone) {
      completedByCaller();
    }
    return cancelled;
  }

  /** Completes this future early, which counts as a cancel of the work behind it. */
  @Override
  public boolean complete(R value) {
    return byCaller(super.complete(value));
  }

  /** Completes this future early, which counts as a cancel of the work behind it. */
  @Override
  public boolean completeExceptionally(Throwable failure) {
    return byCaller(super.completeExceptionally(failure));
  }

  /** Forces the value, which counts as a cancel of the work behind it if it is still running. */
  @Override
  public void obtrudeValue(R value) {
    super.obtrudeValue(value);
    completedByCaller();
  }

  /** Forces the failure, which counts as a cancel of the work behind it if it is still running. */
  @Override
  public void obtrudeException(Throwable failure) {
    super.obtrudeException(failure);
    completedByCaller();
  }

  /**
   * As {@link CompletableFuture#completeAsync(Supplier, Executor)}, through {@link #complete} so
   * that it counts as a cancel of the work behind it.
   */
  @Override
  public CompletableFuture<R> completeAsync(Supplier<? extends R> supplier, Executor executor) {
    Objects.requireNonNull(supplier, "supplier");
    Objects.requireNonNull(executor, "executor");
    executor.execute(
        () -> {
          if (isDone()) {
            return;
          }
          R value;
          try {
            value = supplier.get();
          } catch (Throwable thrown) {
            completeExceptionally(thrown);
            return;
          }
          complete(value);
        });
    return this;
  }
}
