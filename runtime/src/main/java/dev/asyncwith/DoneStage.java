package dev.asyncwith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link CompletableFuture} completed once, at construction, that nobody can change
 * afterwards, so that one instance can be shared by every caller (the {@code TRUE}/{@code FALSE}
 * results of {@code exit}, for example) and returned without allocating.
 *
 * <p>A completed {@code CompletableFuture} already ignores {@code complete}, {@code
 * completeExceptionally}, {@code cancel}, {@code orTimeout} and {@code completeOnTimeout}; only the
 * two {@code obtrude} methods could change it, and here they throw. Unlike {@link
 * CompletableFuture#completedStage}, whose {@code isDone()}, {@code getNow()} and {@code join()}
 * throw {@link UnsupportedOperationException}, this is a full {@code CompletableFuture}: callers
 * that look at a stage's state before attaching to it keep their fast path.
 *
 * @param <T> the type of the value
 */
final class DoneStage<T> extends CompletableFuture<T> {

  /** {@code exit}'s result when the failure is not suppressed. */
  static final CompletionStage<Boolean> FALSE = new DoneStage<>(Boolean.FALSE);

  /** {@code exit}'s result when the failure is suppressed. */
  static final CompletionStage<Boolean> TRUE = new DoneStage<>(Boolean.TRUE);

  private DoneStage(T value) {
    super.complete(value);
  }

  /** The shared stage completed with {@code suppress}. */
  static CompletionStage<Boolean> of(boolean suppress) {
    return suppress ? TRUE : FALSE;
  }

  /**
   * Always throws: a shared completed stage never changes.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public void obtrudeValue(T value) {
    throw new UnsupportedOperationException("a shared completed stage cannot be changed");
  }

  /**
   * Always throws: a shared completed stage never changes.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public void obtrudeException(Throwable failure) {
    throw new UnsupportedOperationException("a shared completed stage cannot be changed");
  }
}
