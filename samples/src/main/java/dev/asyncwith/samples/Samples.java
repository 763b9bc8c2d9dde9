package dev.asyncwith.samples;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The few helpers every sample uses: waiting for a result with a bound, and pausing without
 * blocking a thread (Python's {@code await asyncio.sleep(...)}).
 */
final class Samples {

  /** No sample waits longer than this for anything; a bug fails the sample instead of hanging. */
  static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private Samples() {}

  /**
   * Waits for {@code stage}, at most {@link #MAX_WAIT}, and returns its value; a failed stage
   * throws its own failure (not wrapped in {@link ExecutionException}), as Python's
   * {@code await} raises the awaited coroutine's exception.
   *
   * @param stage what to wait for
   * @param <T> the type of its value
   * @return the stage's value
   * @throws Exception the stage's failure, or an {@link IllegalStateException} if it did not
   *     complete in time
   */
  static <T> T await(CompletionStage<T> stage) throws Exception {
    CompletableFuture<T> future = stage.toCompletableFuture();
    try {
      return future.get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable failure = e.getCause();
      if (failure instanceof Exception) {
        throw (Exception) failure;
      }
      if (failure instanceof Error) {
        throw (Error) failure;
      }
      throw e;
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IllegalStateException("no result within " + MAX_WAIT, e);
    }
  }

  /**
   * A stage that completes {@code duration} from now, holding no thread while it waits: the
   * Java spelling of {@code await asyncio.sleep(seconds)}.
   *
   * @param duration how long to pause
   * @return a stage that completes normally, with {@code null}, after the pause
   */
  static CompletableFuture<Void> pause(Duration duration) {
    return new CompletableFuture<Void>().completeOnTimeout(null, duration.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Fails the sample when something it demonstrates did not hold.
   *
   * @param condition what should hold
   * @param message what it means when it does not
   * @throws IllegalStateException if {@code condition} is false
   */
  static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException("sample check failed: " + message);
    }
  }
}
