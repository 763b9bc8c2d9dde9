package dev.asyncwith;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The runtime's cheap stage handling, in one place: shared completed stages it returns without
 * allocating ({@link #TRUE}, {@link #FALSE}, {@link #completedNull()}), reading the value of
 * someone else's stage that has already completed ({@link #now}), and cancelling a stage where
 * that is supported ({@link #cancel}).
 */
final class Stages {
  private Stages() {}

  /**
   * Each thread's {@link CancelQueue}. Held here rather than in the nested class, so that it is
   * made when this class is initialized, not on a thread's first cancel: a class whose static
   * initializer fails (a cancel made at the bottom of an overflowing stack) stays unusable for
   * the JVM's lifetime.
   */
  private static final ThreadLocal<CancelQueue> CANCEL_QUEUES =
      ThreadLocal.withInitial(CancelQueue::new);

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
    CompletableFuture<?> future = readable(stage);
    if (future == null) {
      return PENDING;
    }
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
   * The failure of {@code stage} if it is a {@link CompletableFuture} that has already failed, the
   * very object its dependents see (unwrap it with {@link Failures#unwrap}); {@code null} when it
   * is pending, completed normally, or not a future whose state can be read. Read through {@code
   * whenComplete}, which runs at once on a completed future, not through {@code join}: since JDK 23
   * {@code join} reports a cancelled future with a new {@code CancellationException}, which would
   * break the failure's identity.
   */
  static Throwable failureNow(CompletionStage<?> stage) {
    CompletableFuture<?> future = readable(stage);
    if (future == null) {
      return null;
    }
    try {
      if (!future.isCompletedExceptionally()) {
        return null;
      }
      Throwable[] failure = new Throwable[1];
      future.whenComplete((ignored, thrown) -> failure[0] = thrown);
      return failure[0];
    } catch (RuntimeException unsupported) {
      return null; // a subclass that refuses state queries: take the general path
    }
  }

  /**
   * {@code stage} as a {@link CompletableFuture} whose state can be read, or {@code null} for
   * another kind of stage or one of {@link CompletableFuture#completedStage}'s (queries throw).
   */
  private static CompletableFuture<?> readable(CompletionStage<?> stage) {
    if (!(stage instanceof CompletableFuture) || stage.getClass() == MINIMAL_STAGE) {
      return null;
    }
    return (CompletableFuture<?>) stage;
  }

  /**
   * Cancels {@code stage} through {@code toCompletableFuture().cancel(true)} where that is
   * supported. A stage that does not support it is left running; whatever else the attempt
   * throws can reach nobody and goes to the uncaught-exception handler.
   *
   * <p>A cancel travels down nested statements (each cancels the stage its body returned), and
   * {@code CompletableFuture.cancel} runs the dependents of what it cancels: done by plain calls,
   * that recursion grows the stack by several frames per level, and 10,000 nested statements
   * ({@code docs/RULES.md} rule 7) overflow it. So cancels go through a per-thread queue, like the
   * unwinding: the first cancel on a thread cancels one stage after another, and the cancels
   * they cause, on the same thread, join the queue instead of recursing. A cancel that joins the
   * queue has been made by the time the outermost one returns, or before this thread blocks
   * ({@link ThreadQueues}), whichever comes first.
   */
  static void cancel(CompletionStage<?> stage) {
    CancelQueue queue = CANCEL_QUEUES.get();
    if (queue.draining) {
      queue.pending.add(stage);
      return;
    }
    queue.draining = true;
    try {
      for (CompletionStage<?> next = stage; next != null; next = queue.pending.poll()) {
        cancelNow(next);
      }
    } finally {
      queue.draining = false;
    }
  }

  /**
   * Makes, now, the cancels queued on this thread behind the one it is making (see {@link
   * ThreadQueues}); returns whether there were any. The outer loop in {@link #cancel} then finds
   * the queue emptied.
   */
  static boolean cancelQueuedHere() {
    ArrayDeque<CompletionStage<?>> pending = CANCEL_QUEUES.get().pending;
    boolean ran = false;
    for (CompletionStage<?> next; (next = pending.poll()) != null; ) {
      ran = true;
      cancelNow(next);
    }
    return ran;
  }

  private static void cancelNow(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().cancel(true);
    } catch (UnsupportedOperationException unsupported) {
      // Not cancellable: the statement waits for it to complete on its own.
    } catch (Throwable failure) {
      Failures.reportUncaught(failure);
    }
  }

  /** The stages a thread has still to cancel, while it cancels one (see {@link #cancel}). */
  private static final class CancelQueue {

    final ArrayDeque<CompletionStage<?>> pending = new ArrayDeque<>();
    boolean draining;
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
   *
   * <p>{@link #whenComplete(BiConsumer)}, the teardown of a generator method (the stage its yield
   * returned, after a block that completed normally), runs the action at once, as for any
   * completed future, and returns this same unchangeable stage when the action completes
   * normally, since the stage it would return holds the same value; no future is made and none is
   * completed. An action that throws gives what {@code CompletableFuture} gives: a new stage failed
   * with the action's failure wrapped in a {@link CompletionException}.
   */
  private static final class Done<T> extends CompletableFuture<T> {
    private final T value;

    Done(T value) {
      this.value = value;
      super.complete(value);
    }

    /** Runs {@code action} now; returns this stage, or a failed one if the action throws. */
    @Override
    public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
      if (action == null) {
        throw new NullPointerException("action");
      }
      try {
        action.accept(value, null);
      } catch (Throwable thrown) {
        CompletableFuture<T> failed = new CompletableFuture<>();
        failed.completeExceptionally(
            thrown instanceof CompletionException ? thrown : new CompletionException(thrown));
        return failed;
      }
      return this;
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
