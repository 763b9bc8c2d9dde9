package dev.asyncwith;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * How failures are unwrapped, compared and combined, in one place (DESIGN.md rules 3 and 5).
 */
final class Failures {
  private Failures() {}

  /**
   * Strips every layer of {@link CompletionException} that has a cause. A {@code
   * CompletionException} without a cause is itself the failure.
   */
  static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while (current instanceof CompletionException && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  /**
   * Makes {@code winner} the failure that stands, with {@code other} attached to it by {@link
   * Throwable#addSuppressed} unless that would repeat or loop: {@code other} is {@code null}, is
   * {@code winner}, is already reachable from {@code winner} (its cause chain or suppressed ones),
   * or already reaches {@code winner} (attaching would make a cycle).
   *
   * @return {@code winner}
   */
  static Throwable attach(Throwable winner, Throwable other) {
    if (other == null || other == winner) {
      return winner;
    }
    if (reaches(winner, other) || reaches(other, winner)) {
      return winner;
    }
    winner.addSuppressed(other);
    return winner;
  }

  /** Whether {@code target} is {@code from} or reachable from it through causes and suppressed. */
  static boolean reaches(Throwable from, Throwable target) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Throwable> pending = new ArrayDeque<>();
    pending.add(from);
    while (!pending.isEmpty()) {
      Throwable next = pending.poll();
      if (next == target) {
        return true;
      }
      if (!seen.add(next)) {
        continue;
      }
      Throwable cause = next.getCause();
      if (cause != null) {
        pending.add(cause);
      }
      Collections.addAll(pending, next.getSuppressed());
    }
    return false;
  }

  /**
   * Hands a failure that nobody can receive any more (the caller already completed the result)
   * to the uncaught-exception handler of the current thread, so that it is never silently lost.
   */
  static void reportUncaught(Throwable failure) {
    Thread thread = Thread.currentThread();
    Thread.UncaughtExceptionHandler handler = thread.getUncaughtExceptionHandler();
    if (handler != null) {
      handler.uncaughtException(thread, failure);
    }
  }

  /** A {@link NullPointerException} for a {@code null} that {@code what} returned. */
  static NullPointerException returnedNull(String what) {
    return new NullPointerException(what + " returned null instead of a CompletionStage");
  }
}
