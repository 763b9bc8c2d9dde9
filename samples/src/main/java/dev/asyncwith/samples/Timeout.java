package dev.asyncwith.samples;

import static dev.asyncwith.samples.Samples.await;
import static dev.asyncwith.samples.Samples.check;
import static dev.asyncwith.samples.Samples.pause;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A block bounded by a deadline: {@code resource.use(timeout, body)}, Python's
 *
 * <pre>{@code
 * async with named("connection") as connection:
 *     async with asyncio.timeout(0.2):
 *         await slow_reply()
 * }</pre>
 *
 * <p>At the deadline the stage the block returned is cancelled, the resource's exit receives a
 * {@link TimeoutException} and releases the resource, and only after that release does the
 * caller's future fail with the same {@code TimeoutException}.
 */
public final class Timeout implements Sample {

  /** How long the block may run. */
  static final Duration DEADLINE = Duration.ofMillis(200);

  /** How long the slow reply would take: far beyond the deadline. */
  static final Duration SLOW_REPLY = Duration.ofSeconds(10);

  /** Creates the sample. */
  public Timeout() {}

  @Override
  public String name() {
    return "timeout";
  }

  @Override
  public String summary() {
    return "a block that overruns its deadline is cancelled, teardown runs, the caller sees TimeoutException";
  }

  @Override
  public void run(PrintStream out, List<String> args) throws Exception {
    out.println("-- a block that finishes within its deadline of " + DEADLINE.toMillis() + " ms");
    String reply =
        await(
            ResourcesNamed.of("connection", out)
                .use(DEADLINE, connection -> pause(Duration.ofMillis(10)).thenApply(ignored -> "quick reply")));
    out.println("result: " + reply);

    out.println("-- a block that overruns its deadline of " + DEADLINE.toMillis() + " ms");
    // A reply that would come long after the deadline. completeOnTimeout holds no thread while it
    // waits, and cancelling the future drops the pending completion.
    CompletableFuture<String> slowReply =
        new CompletableFuture<String>().completeOnTimeout("late reply", SLOW_REPLY.toMillis(), TimeUnit.MILLISECONDS);
    try {
      String late =
          await(
              ResourcesNamed.of("connection", out)
                  .use(
                      DEADLINE,
                      connection -> {
                        out.println("waiting for a slow reply on " + connection);
                        // Return the slow future itself, not a stage derived from it: the
                        // deadline cancels exactly the stage the block returns.
                        return slowReply;
                      }));
      check(false, "the block should have timed out, but completed with " + late);
    } catch (TimeoutException timeout) {
      // The statement completes only after the release, so "release ..." is already printed.
      out.println("caller saw TimeoutException");
    }
    out.println("slow reply cancelled: " + slowReply.isCancelled());
    check(slowReply.isCancelled(), "the deadline cancels the block's stage");
  }
}
