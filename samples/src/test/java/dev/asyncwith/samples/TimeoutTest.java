package dev.asyncwith.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class TimeoutTest {

  @Test
  void theOverrunningBlockIsCancelledReleasedAndReportedAsATimeout() throws Exception {
    Output output = new Output();

    new Timeout().run(output.stream(), List.of());

    assertEquals(
        List.of(
            "-- a block that finishes within its deadline of 200 ms",
            "acquire connection",
            "release connection",
            "result: quick reply",
            "-- a block that overruns its deadline of 200 ms",
            "acquire connection",
            "waiting for a slow reply on connection",
            "release connection after TimeoutException",
            "caller saw TimeoutException",
            "slow reply cancelled: true"),
        output.lines());
  }

  @Test
  void theCallerSeesTheTimeoutOnlyAfterTheReleaseAndLongBeforeTheSlowReply() throws Exception {
    Output output = new Output();
    CompletableFuture<String> never = new CompletableFuture<>();
    long start = System.nanoTime();

    CompletableFuture<String> statement =
        ResourcesNamed.of("connection", output.stream()).use(Timeout.DEADLINE, connection -> never);
    ExecutionException thrown =
        assertThrows(ExecutionException.class, () -> statement.get(10, TimeUnit.SECONDS));

    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertInstanceOf(TimeoutException.class, thrown.getCause());
    // The release was printed before the statement completed, not after.
    assertEquals(
        List.of("acquire connection", "release connection after TimeoutException"), output.lines());
    assertTrue(never.isCancelled(), "the deadline cancels the block's stage");
    assertTrue(
        elapsed.compareTo(Timeout.DEADLINE) >= 0 && elapsed.compareTo(Duration.ofSeconds(5)) < 0,
        "the block ends at its deadline; took " + elapsed);
  }
}
