package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Bounded waiting for tests: every future is awaited with a limit, so a bug fails, never hangs. */
final class Await {
  private Await() {}

  static final long SECONDS = 10;

  /** The value {@code stage} completes with, waiting at most {@link #SECONDS}. */
  static <T> T value(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected a value, got a failure", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("did not complete within " + SECONDS + "s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * The failure {@code stage} completes with, exactly as it is stored (not unwrapped), waiting at
   * most {@link #SECONDS}.
   */
  static Throwable failure(CompletionStage<?> stage) {
    CompletableFuture<Throwable> seen = new CompletableFuture<>();
    stage.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            seen.completeExceptionally(new AssertionError("expected a failure, got " + value));
          } else {
            seen.complete(failure);
          }
        });
    return value(seen);
  }

  /** Asserts that {@code stage} has not completed. */
  static void pending(CompletionStage<?> stage) {
    assertTrue(!stage.toCompletableFuture().isDone(), "expected a pending stage: " + stage);
  }

  /** Waits until {@code condition} holds, at most {@link #SECONDS}. */
  static void until(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Sleeps a little, to give a wrong implementation time to misbehave. */
  static void settle(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Records what reaches the uncaught-exception handler of the current thread while open, and
   * restores the previous handler on close.
   */
  static final class Uncaught implements AutoCloseable {
    final List<Throwable> reported = new CopyOnWriteArrayList<>();
    private final Thread thread = Thread.currentThread();
    private final Thread.UncaughtExceptionHandler previous = thread.getUncaughtExceptionHandler();

    Uncaught() {
      thread.setUncaughtExceptionHandler((t, failure) -> reported.add(failure));
    }

    void assertOnly(Throwable expected) {
      assertEquals(1, reported.size(), () -> "reported: " + reported);
      assertTrue(reported.get(0) == expected, () -> "reported: " + reported);
    }

    void assertNone() {
      assertTrue(reported.isEmpty(), () -> "reported: " + reported);
    }

    @Override
    public void close() {
      thread.setUncaughtExceptionHandler(previous);
    }
  }
}
