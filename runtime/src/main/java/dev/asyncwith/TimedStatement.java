package dev.asyncwith;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

  /*
   * The deadline's machine, in deadline (volatile, compare-and-set: the timer's thread and the
   * block's end race for it):
   *
   *   RUNNING ──the deadline passes (the JDK's timer thread, or at once for a timeout <= 0)──▶
   *             TIMED_OUT: the block's stage is cancelled; once it completes, exit gets a new
   *             TimeoutException (unless the body never waited, or the caller cancelled first)
   *   RUNNING ──the block's stage completes first──▶ FINISHED: the timer is stopped, nothing
   *             is cancelled
   *   TIMED_OUT, FINISHED: final.
   */
  private static final int RUNNING = 0;
  private static final int TIMED_OUT = 1;
  private static final int FINISHED = 2;

  private static final VarHandle DEADLINE;

  static {
    try {
      DEADLINE =
          MethodHandles.lookup().findVarHandle(TimedStatement.class, "deadline", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Duration timeout;
  /** Whether the block is still running, timed out, or finished first (then nothing is cancelled). */
  private volatile int deadline;
  /** Completed normally to stop the timer; fails with the JDK's TimeoutException at the deadline. */
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
    long nanos = nanos(timeout);
    if (nanos <= 0) {
      return; // checked once the body has returned, in blockAwaited
    }
    CompletableFuture<Void> clock = new CompletableFuture<>();
    timer = clock;
    clock
        .orTimeout(nanos, TimeUnit.NANOSECONDS)
        .whenComplete(
            (ignored, failure) -> {
              if (failure instanceof TimeoutException) {
                deadlinePassed();
              }
            });
  }

  @Override
  boolean blockMustStop() {
    return isDone() || deadline == TIMED_OUT;
  }

  @Override
  void blockAwaited() {
    if (nanos(timeout) <= 0) {
      deadlinePassed();
    }
  }

  private void deadlinePassed() {
    if (DEADLINE.compareAndSet(this, RUNNING, TIMED_OUT)) {
      CompletionStage<?> running = block();
      if (running != null) {
        Stages.cancel(running);
      }
    }
  }

  @Override
  Throwable failureForExit(Throwable blockFailure, boolean atOnce) {
    CompletableFuture<Void> clock = timer;
    if (clock != null) {
      clock.complete(null); // removes the scheduled deadline
    }
    boolean timedOut = !DEADLINE.compareAndSet(this, RUNNING, FINISHED);
    if (!timedOut || atOnce || isDone()) {
      // In time; or a body that never waited (its stage was complete when it returned), which a
      // deadline passing while it ran cannot have cancelled; or the caller's cancel, which wins.
      deadline = FINISHED;
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
