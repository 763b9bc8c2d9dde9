package dev.asyncwith;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * How failures are unwrapped, compared and combined, in one place ({@code docs/RULES.md} rules 3
 * and 5), and where a failure nobody can receive goes (rule 6).
 */
final class Failures {
  private Failures() {}

  /**
   * Strips every layer of {@link CompletionException} that has a cause. A {@code
   * CompletionException} without a cause is itself the failure. On a cycle of causes made only of
   * {@code CompletionException}s there is no innermost layer: the failure given is returned as it
   * is, so that unwrapping ends on any cause graph.
   */
  static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    // Floyd's check: the slow pointer moves every other step; meeting it means a cycle.
    Throwable slow = failure;
    boolean moveSlow = false;
    while (current instanceof CompletionException && current.getCause() != null) {
      current = current.getCause();
      if (moveSlow) {
        slow = slow.getCause();
      }
      moveSlow = !moveSlow;
      if (current == slow) {
        return failure;
      }
    }
    return current;
  }

  /**
   * Rules 4 and 5: the failure that stands once {@code exit} has reported, or {@code null} when the
   * statement completes normally (with the block's value if the block completed normally, else
   * with {@code null}: exit suppressed the block's failure). Exit's failure wins, with the block's
   * attached ({@link #attach}); exit's {@code Boolean.TRUE} suppresses a block failure; anything
   * else lets the block's outcome stand.
   *
   * @param blockFailure the failure exit was given, unwrapped, or {@code null}
   * @param suppress exit's value (a {@code Boolean} or {@code null})
   * @param exitFailure exit's failure, unwrapped, or {@code null}
   */
  static Throwable afterExit(Throwable blockFailure, Object suppress, Throwable exitFailure) {
    if (exitFailure != null) {
      return attach(exitFailure, blockFailure);
    }
    return Boolean.TRUE.equals(suppress) ? null : blockFailure;
  }

  /**
   * Makes {@code winner} the failure that stands, with {@code other} attached to it by {@link
   * Throwable#addSuppressed} unless that would repeat or loop: {@code other} is {@code null}, is
   * {@code winner}, is already reachable from {@code winner} (its cause chain or suppressed ones),
   * or already reaches {@code winner} (attaching would make a cycle). When {@code winner} does not
   * take it (suppression disabled), {@code other} goes to the uncaught-exception handler.
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
    addSuppressedOrReport(winner, other);
    return winner;
  }

  /**
   * {@code winner.addSuppressed(other)}, checked: an exception built with suppression disabled
   * (the JVM's own {@code OutOfMemoryError}s are) silently ignores it, and then {@code other}, which
   * nobody could find any more, goes to the uncaught-exception handler.
   *
   * @return whether {@code other} was attached
   */
  static boolean addSuppressedOrReport(Throwable winner, Throwable other) {
    winner.addSuppressed(other);
    Throwable[] attached = winner.getSuppressed();
    if (attached.length > 0 && attached[attached.length - 1] == other) {
      return true;
    }
    reportUncaught(other);
    return false;
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
   * Hands a failure that nobody can receive any more (the caller already completed the result,
   * or it could not be attached) to the uncaught-exception handler of the current thread, so that
   * it is never silently lost. What the handler throws is ignored, as the JVM ignores it when a
   * thread dies: teardown goes on.
   */
  static void reportUncaught(Throwable failure) {
    try {
      Thread thread = Thread.currentThread();
      Thread.UncaughtExceptionHandler handler = thread.getUncaughtExceptionHandler();
      if (handler != null) {
        handler.uncaughtException(thread, failure);
      }
    } catch (Throwable ignored) {
      // The JVM's own rule for a handler that throws (Thread.dispatchUncaughtException).
    }
  }

  /** A {@link NullPointerException} for a {@code null} that {@code what} returned. */
  static NullPointerException returnedNull(String what) {
    return new NullPointerException(what + " returned null instead of a CompletionStage");
  }
}
