package dev.asyncwith;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The statement with its block bounded by a timeout, behind {@link AsyncResource#use(Duration,
 * Function)}: Python's {@code async with asyncio.timeout(t)} placed inside {@code async with
 * resource}.
 *
 * <p>The clock starts when the body is about to run (the time enter takes does not count). If the
 * block's stage has not completed at the deadline, it is cancelled ({@code
 * toCompletableFuture().cancel(true)}); once it has completed (at once if it obeys the cancel,
 * later if it ignores it), the block counts as having failed with a new {@link TimeoutException}
 * whose message names the timeout, with the block's own outcome, if a failure (typically the
 * {@code CancellationException} of the cancel), attached by {@code addSuppressed}. {@code exit}
 * receives that {@code TimeoutException} and the ordinary rules follow: the result fails with that
 * same object after teardown, unless {@code exit} suppresses it (the result is then {@code null})
 * or fails with another failure (which wins, with the timeout attached). A block that completes
 * before the deadline stops the timer. A body that throws or returns an already-completed stage
 * never waited for anything and is never timed out, however long it ran. A zero or negative
 * timeout is a deadline already passed: a block whose stage is not complete when the body returns
 * is cancelled at once.
 *
 * <p>The deadline is kept by the JDK's own scheduler behind {@link CompletableFuture#orTimeout}
 * (a shared daemon thread), so the cancel, and a teardown that follows it at once, run on that
 * thread, as {@code orTimeout}'s dependents do. The library starts no thread.
 *
 * <p>The caller may still cancel the result itself; that is rule 6 of the plain statement (the
 * result completes at once, exit receives a {@code CancellationException}), and takes precedence
 * over a deadline that passes afterwards.
 */
final class TimedStatement<T, R> extends Statement<T, R> {

  private final Duration timeout;
  /**
   * The deadline, and the one arbiter of its race with the block's end: the JDK's timer fails it
   * with a {@link TimeoutException} at the deadline, and the block's end completes it normally
   * (which also removes the scheduled deadline). Whichever completes it first wins:
   * <pre>
   *   pending ──the deadline passes──▶ failed: the block's stage is cancelled, and once it has
   *             completed, exit gets a new TimeoutException (unless the body never waited, or the
   *             caller completed the result first)
   *   pending ──the block's end──▶ completed normally: in time, nothing is cancelled
   * </pre>
   * Made just before the body runs; for a timeout of zero or less it never schedules anything,
   * and is failed once the body has returned a pending stage.
   */
  private CompletableFuture<Void> timer;

  private TimedStatement(
      AsyncResource<T> resource,
      Duration timeout,
      Function<? super T, ? extends CompletionStage<R>> body) {
    super(resource, body);
    this.timeout = timeout;
  }

  /**
   * Runs {@code async with resource as value: body(value)} with the block bounded by {@code
   * timeout}.
   *
   * @throws NullPointerException if an argument is {@code null} (the only synchronous failure)
   */
  static <T, R> CompletableFuture<R> run(
      AsyncResource<T> resource,
      Duration timeout,
      Function<? super T, ? extends CompletionStage<R>> body) {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(body, "body");
    return new TimedStatement<>(resource, timeout, body).startFromRun();
  }

  @Override
  void blockStarting() {
    CompletableFuture<Void> clock = new CompletableFuture<>();
    timer = clock;
    clock.whenComplete(
        (ignored, failure) -> {
          if (failure instanceof TimeoutException) {
            CompletionStage<?> running = block();
            if (running != null) {
              Stages.cancel(running); // else blockMustStop cancels it once the body returns it
            }
          }
        });
    long nanos = nanos(timeout);
    if (nanos > 0) {
      clock.orTimeout(nanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  boolean blockMustStop() {
    return isDone() || timer.isCompletedExceptionally();
  }

  @Override
  void blockAwaited() {
    if (nanos(timeout) <= 0) {
      timer.completeExceptionally(new TimeoutException()); // a deadline already passed
    }
  }

  @Override
  Throwable failureForExit(Throwable blockFailure, boolean atOnce) {
    boolean timedOut = !timer.complete(null);
    if (!timedOut || atOnce || isDone()) {
      // In time; or a body that never waited (its stage was complete when it returned), which a
      // deadline passing while it ran cannot have cancelled; or the caller's cancel, which wins.
      return super.failureForExit(blockFailure, atOnce);
    }
    TimeoutException expired =
        new TimeoutException("the block did not complete within " + timeout);
    if (blockFailure != null) {
      expired.addSuppressed(blockFailure);
    }
    return expired;
  }

  private static long nanos(Duration timeout) {
    try {
      return timeout.toNanos();
    } catch (ArithmeticException tooLong) {
      return timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
