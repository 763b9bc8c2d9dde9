package dev.asyncwith.samples;

import static dev.asyncwith.samples.Samples.await;
import static dev.asyncwith.samples.Samples.check;
import static dev.asyncwith.samples.Samples.pause;

import dev.asyncwith.AsyncResource;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The enter/exit walk-through: a hand-written {@link AsyncResource} that says what happens and
 * when, the Java twin of this Python program:
 *
 * <pre>{@code
 * class Announcer:
 *     async def __aenter__(self):
 *         print("entering")
 *         await asyncio.sleep(0.05)
 *         return "greeting"
 *     async def __aexit__(self, exc_type, exc, tb):
 *         print("exiting")
 *         await asyncio.sleep(0.05)
 *
 * print("before")
 * async with Announcer() as value:
 *     print("within")
 * print("after")
 * }</pre>
 *
 * <p>The second part uses an announcer whose exit suppresses the block's failure (returns
 * {@code true}, as a truthy {@code __aexit__} does), so the code after the statement still runs.
 */
public final class EnterExit implements Sample {

  /** How long enter, the block and exit each pause; short, but a real wait on no thread. */
  static final Duration PAUSE = Duration.ofMillis(50);

  /** Creates the sample. */
  public EnterExit() {}

  @Override
  public String name() {
    return "enter-exit";
  }

  @Override
  public String summary() {
    return "walks through enter, the block and exit; then an exit that suppresses a failure";
  }

  @Override
  public void run(PrintStream out, List<String> args) throws Exception {
    out.println("-- a block that completes normally");
    out.println("before");
    // resource.use(body) is `async with resource as value: body`. It returns at once with a
    // future; await(...) then waits for the whole statement, exit included.
    Integer result =
        await(
            new Announcer(out, false)
                .use(
                    value -> {
                      out.println("within (bound value: " + value + ")");
                      return pause(PAUSE).thenApply(ignored -> 42);
                    }));
    out.println("after (the block returned " + result + ")");
    check(result == 42, "the statement completes with the block's value");

    out.println("-- a block that fails, inside a resource whose exit suppresses the failure");
    out.println("before");
    Integer suppressed =
        await(
            new Announcer(out, true)
                .use(
                    value -> {
                      out.println("within, failing");
                      return CompletableFuture.<Integer>failedFuture(
                          new IllegalStateException("the block failed"));
                    }));
    // No exception reached this line: the exit suppressed it, and the statement's value is null.
    out.println("after (the failure was suppressed; the statement's value is " + suppressed + ")");
    check(suppressed == null, "a suppressed failure leaves the statement with a null value");
  }

  /**
   * A resource that prints when it is entered and exited, pausing in each as real I/O would.
   * Exit suppresses the block's failure only when it was created to.
   */
  static final class Announcer implements AsyncResource<String> {
    private final PrintStream out;
    private final boolean suppressFailures;

    Announcer(PrintStream out, boolean suppressFailures) {
      this.out = out;
      this.suppressFailures = suppressFailures;
    }

    /** Python's {@code __aenter__}: the stage's value is what the block receives. */
    @Override
    public CompletionStage<String> enter() {
      out.println("entering");
      return pause(PAUSE).thenApply(ignored -> "greeting");
    }

    /**
     * Python's {@code __aexit__}: {@code failure} is the block's failure, or {@code null} when it
     * completed normally; completing {@code true} suppresses the failure.
     */
    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      if (failure == null) {
        out.println("exiting (the block completed normally)");
      } else {
        out.println(
            "exiting (the block failed with " + failure + ")"
                + (suppressFailures ? ", suppressing it" : ""));
      }
      return pause(PAUSE).thenApply(ignored -> suppressFailures);
    }
  }
}
