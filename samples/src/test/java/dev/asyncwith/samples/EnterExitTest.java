package dev.asyncwith.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EnterExitTest {

  @Test
  void printsEachStepInOrderAndTheSuppressingExitLetsTheCodeAfterTheBlockRun() throws Exception {
    Output output = new Output();
    long start = System.nanoTime();

    new EnterExit().run(output.stream(), List.of());

    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(
        List.of(
            "-- a block that completes normally",
            "before",
            "entering",
            "within (bound value: greeting)",
            "exiting (the block completed normally)",
            "after (the block returned 42)",
            "-- a block that fails, inside a resource whose exit suppresses the failure",
            "before",
            "entering",
            "within, failing",
            "exiting (the block failed with java.lang.IllegalStateException: the block failed),"
                + " suppressing it",
            "after (the failure was suppressed; the statement's value is null)"),
        output.lines());
    // Five pauses were awaited in turn (enter, block, exit; then enter, exit), not skipped.
    assertTrue(
        elapsed.compareTo(EnterExit.PAUSE.multipliedBy(5)) >= 0,
        "the pauses are awaited one after another; took " + elapsed);
  }

  @Test
  void anAnnouncerThatDoesNotSuppressLetsTheFailureReachTheCaller() {
    Output output = new Output();
    IllegalStateException failure = new IllegalStateException("not suppressed");

    CompletableFuture<Void> result =
        new EnterExit.Announcer(output.stream(), false)
            .use(value -> CompletableFuture.<Void>failedFuture(failure));

    ExecutionException thrown =
        assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
    assertSame(failure, thrown.getCause(), "the caller sees the very failure the block raised");
    assertEquals(
        List.of("entering", "exiting (the block failed with " + failure + ")"), output.lines());
  }
}
