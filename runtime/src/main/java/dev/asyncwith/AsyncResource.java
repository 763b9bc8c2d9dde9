package dev.asyncwith;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * An asynchronous resource: Python's asynchronous context manager, with {@link #enter()} as
 * {@code __aenter__} and {@link #exit(Throwable)} as {@code __aexit__}.
 *
 * <p>{@link #use(Function)} is the {@code async with} statement: Python's
 * <pre>{@code
 * async with resource as value:
 *     result = await body(value)
 * }</pre>
 * is, in Java,
 * <pre>{@code
 * CompletableFuture<R> result = resource.use(value -> body(value));
 * }</pre>
 *
 * <p>Implementations usually come from the asyncwith processor (a method annotated
 * {@code @AsyncContextManager}), but a hand-written class works the same way: acquire in
 * {@code enter}, release in {@code exit}. The protocol methods report every failure as a failed
 * stage; callers such as {@code use} nevertheless also survive implementations that throw or
 * return {@code null}.
 *
 * @param <T> the type of the value bound by {@code as}
 */
public interface AsyncResource<T> {

  /**
   * Acquires the resource: Python's {@code __aenter__}.
   *
   * @return a stage that completes with the value the block works with, or fails if the
   *     resource could not be acquired (then {@link #exit(Throwable)} is never called)
   */
  CompletionStage<T> enter();

  /**
   * Releases the resource: Python's {@code __aexit__}. Called exactly once after a successful
   * {@link #enter()}, when the block has finished.
   *
   * @param failure the block's failure, unwrapped from {@code CompletionException}, or
   *     {@code null} when the block completed normally
   * @return a stage that completes {@code true} to suppress {@code failure} (as a truthy
   *     {@code __aexit__} result does), {@code false} to let the block's outcome stand, or fails
   *     with a failure that replaces the block's (the block's is attached to it as suppressed)
   */
  CompletionStage<Boolean> exit(Throwable failure);

  /**
   * Runs {@code body} inside this resource: {@code async with this as value: body(value)}.
   *
   * <p>{@code enter} is called first; if it fails, the result fails with that failure and the
   * body never runs. Otherwise {@code body(value)} runs, and once the stage it returned has
   * completed, {@code exit} is called exactly once with the block's failure (or {@code null}).
   * The result then completes with the body's value, or {@code null} when {@code exit}
   * suppressed a failure, or fails with the block's failure, or with the exit's failure (which
   * wins, with the block's attached by {@link Throwable#addSuppressed}). Cancelling the result
   * completes it at once and cancels the body's stage; teardown still runs, after the block.
   * The exact rules are those of {@code docs/RULES.md}, rules 1 to 9 ("The statement").
   *
   * @param body the block; it returns the stage whose completion ends the block
   * @param <R> the type of the block's value
   * @return a future of the block's value; it never throws, it fails
   * @throws NullPointerException if {@code body} is {@code null}
   */
  default <R> CompletableFuture<R> use(
      Function<? super T, ? extends CompletionStage<R>> body) {
    return Statement.run(this, body);
  }

  /**
   * Runs {@code block} inside this resource on the calling thread, synchronously: Python's
   * <pre>{@code
   * with resource as value:
   *     result = block(value)
   * }</pre>
   * for code that may block (a virtual thread, a request thread, a JDBC worker).
   *
   * <p>{@code enter} is called first; if it fails, {@code call} throws that failure and the block
   * never runs. Otherwise {@code block(value)} runs on the calling thread, always, and {@code exit}
   * is called exactly once with its failure (or {@code null}); {@code call} returns or throws only
   * once teardown has completed: the block's value, or {@code null} when {@code exit} suppressed a
   * failure, or the block's failure, or the exit's failure (which wins, with the block's attached
   * by {@link Throwable#addSuppressed}). Failures are thrown as the very objects, never wrapped in
   * a {@link java.util.concurrent.CompletionException} (which is unwrapped as {@link #use(Function)}
   * unwraps it): a checked exception is catchable as itself.
   *
   * <p>The calling thread waits only where a stage is not complete yet. Waiting for {@code enter}
   * is interruptible: an interrupt makes {@code call} throw {@link InterruptedException} at once,
   * the block never runs, and once enter's stage completes, {@code exit} runs with a {@link
   * java.util.concurrent.CancellationException} (a failure of that late teardown goes to the
   * uncaught-exception handler). Waiting for {@code exit} is not interruptible: teardown is always
   * awaited, and an interrupt received meanwhile is restored before {@code call} returns or throws.
   *
   * <p>A generated blocking manager overrides this to run its method on the calling thread, with
   * the block running inside {@link Yield#yield}: no thread is started and nothing is handed off. A
   * generated non-blocking manager runs its method on the calling thread up to its yield, and never
   * parks when its stages complete at once. The exact rules are S1 to S6 of {@code docs/RULES.md}.
   *
   * @param block the block; it may throw any exception
   * @param <R> the type of the block's value
   * @return the block's value, or {@code null} when {@code exit} suppressed the block's failure
   * @throws Exception the block's failure, enter's or exit's, as it is; {@link
   *     InterruptedException} when interrupted while waiting for {@code enter}; {@link
   *     IllegalStateException} when a single-use resource was already entered
   * @throws NullPointerException if {@code block} is {@code null}, before anything is entered
   */
  default <R> R call(Block<? super T, ? extends R> block) throws Exception {
    return CallStatement.call(this, block);
  }

  /**
   * Runs {@code body} inside this resource as {@link #use(Function)} does, with the block bounded
   * by {@code timeout}, like Python's {@code async with asyncio.timeout(...)} inside the
   * statement.
   *
   * <p>The clock starts when the body is about to run. If the block's stage has not completed at
   * the deadline, it is cancelled ({@code toCompletableFuture().cancel(true)}); once it has
   * completed (at once if it obeys the cancel, later if it ignores it), the block counts as having
   * failed with a new {@link java.util.concurrent.TimeoutException} whose message names the
   * timeout, with the block's own failure, if any (typically the cancel's {@code
   * CancellationException}), attached by {@code addSuppressed}. {@code exit} receives that
   * {@code TimeoutException}; teardown is awaited; and only then does the result fail with that
   * same {@code TimeoutException}, unless {@code exit} suppressed it (the result is then {@code
   * null}) or failed with another failure, which wins with the timeout attached, as for any block
   * failure. Unlike a plain cancel of {@link #use(Function)}'s result, this result completes only
   * after teardown, so a caller that must wait for the release bounds the block this way.
   *
   * <p>A block that completes before the deadline stops the timer. A body that throws or returns an
   * already-completed stage never waited for anything and is never timed out. A zero or negative
   * timeout is a deadline already passed: a block whose stage is not complete when the body
   * returns is cancelled at once. The deadline is kept by the JDK's scheduler behind {@link
   * CompletableFuture#orTimeout} (a shared daemon thread), where the cancel runs; the library
   * starts no thread of its own. Cancelling the result itself still works as for {@link
   * #use(Function)}, and takes precedence over a deadline that passes afterwards.
   *
   * @param timeout how long the block may run, measured from when it starts
   * @param body the block
   * @param <R> the type of the block's value
   * @return a future of the block's value that completes only after teardown; it never throws
   * @throws NullPointerException if {@code timeout} or {@code body} is {@code null}
   */
  default <R> CompletableFuture<R> use(
      Duration timeout, Function<? super T, ? extends CompletionStage<R>> body) {
    return TimedStatement.run(this, timeout, body);
  }
}
