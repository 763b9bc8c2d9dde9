package dev.asyncwith.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.asyncwith.AsyncResource;
import dev.asyncwith.reliability.CancellationPropertiesTest.CallerAction;
import dev.asyncwith.reliability.CancellationPropertiesTest.CancelScenario;
import dev.asyncwith.reliability.CancellationPropertiesTest.ExitEnd;
import dev.asyncwith.reliability.Outcome.Flavor;
import dev.asyncwith.reliability.Outcome.Kind;
import dev.asyncwith.reliability.Scenario.AsyncGen;
import dev.asyncwith.reliability.Scenario.Block;
import dev.asyncwith.reliability.Scenario.Hand;
import dev.asyncwith.reliability.Scenario.Leaf;
import dev.asyncwith.reliability.Scenario.Setup;
import dev.asyncwith.reliability.Scenario.Teardown;
import dev.asyncwith.reliability.Scenario.Use;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Example;

/**
 * Counterexamples jqwik shrank to while the properties were being run against the library, kept
 * as fixed examples so that they run on every build whatever the random seed.
 *
 * <p>Most exposed a wrong assumption in the test harness (named below) that was corrected, and
 * each sits on a subtle path of docs/RULES.md worth pinning. Those that exposed a bug in the library
 * say "Regression (fixed)" and keep the bug from coming back.
 */
class ShrunkCounterexamplesTest {

  /**
   * A non-blocking method that yields from another thread and completes without waiting for
   * the block: the engine must report the teardown as too early even when the method's stage
   * completes on another thread while the block waits. (Harness: completing the method's stage
   * through {@code thenCompose} relays it in an order where the block could finish first.)
   */
  @Example
  void methodYieldingLaterThatCompletesEarly() {
    assertSpecified(
        new Use(
            new AsyncGen(0, Setup.YIELD_LATER, Teardown.EARLY, true, Flavor.RUNTIME),
            new Leaf(0, new Outcome(Kind.VALUE, Flavor.RUNTIME))));
  }

  /** The same with a body that returns {@code null}: the NPE rides on the "too early" failure. */
  @Example
  void methodYieldingLaterThatCompletesEarlyAroundANullBody() {
    assertSpecified(
        new Use(
            new AsyncGen(0, Setup.YIELD_LATER, Teardown.EARLY, false, Flavor.ERROR),
            new Leaf(0, new Outcome(Kind.NULL, Flavor.RUNTIME))));
  }

  /**
   * Cancelled while enter is running: the body never runs, so no exit can overlap it.
   * (Harness: checked overlap with a block that never started.)
   */
  @Example
  void cancelDuringEnterNeverRunsTheBody() {
    assertCancellation(
        new CancelScenario(1, 0, CallerAction.CANCEL_INTERRUPTING, List.of(true), true, true,
            List.of(ExitEnd.FALSE), List.of(false), false));
    assertCancellation(
        new CancelScenario(2, 1, CallerAction.COMPLETE, List.of(true, true), false, false,
            List.of(ExitEnd.FALSE, ExitEnd.FALSE), List.of(false, false), false));
  }

  /**
   * Three deep, the innermost enter fails, and the caller cancels while the middle statement is
   * already unwinding: that exit keeps the enter failure, only the outer one sees a
   * cancellation. (Harness: assumed every exit after the cancel point sees a cancellation.)
   */
  @Example
  void cancelWhileAnInnerEnterFailureUnwinds() {
    assertCancellation(
        new CancelScenario(3, 3, CallerAction.CANCEL_INTERRUPTING, List.of(true, true, false),
            true, true, List.of(ExitEnd.FALSE, ExitEnd.FALSE, ExitEnd.FALSE),
            List.of(false, false, false), false));
    assertCancellation(
        new CancelScenario(3, 3, CallerAction.CANCEL, List.of(true, true, false), true, true,
            List.of(ExitEnd.FAIL, ExitEnd.FAIL, ExitEnd.FALSE), List.of(false, false, false),
            false));
  }

  /**
   * A block that ignores the cancel and then fails: exit sees a new cancellation carrying that
   * failure, and the failure itself, which the caller can no longer see, goes to the
   * uncaught-exception handler. (Harness: expected nothing there, reading "a cancellation" as
   * what the statement would otherwise have completed with.)
   */
  @Example
  void blockIgnoringTheCancelThenFailingIsReported() {
    assertCancellation(
        new CancelScenario(1, 1, CallerAction.CANCEL_INTERRUPTING, List.of(true), true, true,
            List.of(ExitEnd.FALSE), List.of(false), false));
    assertCancellation(
        new CancelScenario(1, 1, CallerAction.COMPLETE, List.of(true), true, true,
            List.of(ExitEnd.FALSE), List.of(false), false));
  }

  /**
   * A block that ignores the timeout's cancel and then fails, with an exit that completes later
   * on another thread: the result must complete only after that exit's stage. (Harness: read
   * the "was teardown done" flag before the callback that sets it had run; {@code get()} may
   * return first.)
   */
  @Example
  void timedOutBlockIgnoringTheCancelWithALateExit() throws Exception {
    for (int i = 0; i < 200; i++) {
      TimeoutPropertiesTest.TimeoutScenario scenario =
          new TimeoutPropertiesTest.TimeoutScenario(
              new Hand(1, new Outcome(Kind.VALUE, Flavor.RUNTIME),
                  new Outcome(Kind.LATER_VALUE, Flavor.RUNTIME), null),
              TimeoutPropertiesTest.BlockEnd.IGNORES_CANCEL_THEN_FAILS,
              1);
      List<String> problems = TimeoutPropertiesTest.run(scenario);
      assertEquals(List.of(), problems, () -> scenario + "\n  " + String.join("\n  ", problems));
    }
  }

  /**
   * Regression (fixed): found by {@link TimeoutPropertiesTest} as {@code
   * TimeoutScenario[Hand(enter VALUE, exit LATER_VALUE, null), block=FAILS, timeoutMillis=1]}, in
   * about 2 of 1,000 runs: whenever the 1 ms deadline passed while the body ran. Made
   * deterministic here by a body that outlives the deadline.
   *
   * <p>{@code use(Duration, body)}'s contract: "A body that throws or returns an
   * already-completed stage never waited for anything and is never timed out, however long it
   * ran." A body that returned an already-<em>failed</em> stage was timed out all the same, because
   * the statement treated only normally completed stages as complete and attached to the failed
   * one as to a pending stage. Now the block's own failure stands (rules 3 and 4).
   */
  @Example
  void bodyReturningAFailedStageIsNotTimedOutWhenItOutlivesTheDeadline()
      throws Exception {
    Throwable blockFailure = new ScriptedFailures.ScriptedException("block");
    RecordingExit resource = new RecordingExit();
    CompletableFuture<String> result =
        resource.use(
            Duration.ofMillis(1),
            value -> {
              outliveTheDeadline();
              return CompletableFuture.failedFuture(blockFailure);
            });
    Throwable seen = FailureGraph.unwrap(result.handle((v, t) -> t).get(10, TimeUnit.SECONDS));
    assertSame(blockFailure, resource.received.get(10, TimeUnit.SECONDS),
        "exit must receive the block's own failure");
    assertSame(blockFailure, seen, "the block's failure must stand");
  }

  /** Control for the regression above: the same body returning a completed value is not timed out. */
  @Example
  void bodyReturningACompletedValueIsNotTimedOutWhenItOutlivesTheDeadline() throws Exception {
    RecordingExit resource = new RecordingExit();
    CompletableFuture<String> result =
        resource.use(
            Duration.ofMillis(1),
            value -> {
              outliveTheDeadline();
              return CompletableFuture.completedFuture("block value");
            });
    assertEquals("block value", result.get(10, TimeUnit.SECONDS));
    assertSame(RecordingExit.NONE, resource.received.get(10, TimeUnit.SECONDS));
  }

  /** Control for the regression above: the same body throwing is not timed out. */
  @Example
  void bodyThrowingIsNotTimedOutWhenItOutlivesTheDeadline() throws Exception {
    Throwable blockFailure = new ScriptedFailures.ScriptedException("block");
    RecordingExit resource = new RecordingExit();
    CompletableFuture<String> result =
        resource.use(
            Duration.ofMillis(1),
            value -> {
              outliveTheDeadline();
              throw ScriptedFailures.sneakyThrow(blockFailure);
            });
    Throwable seen = FailureGraph.unwrap(result.handle((v, t) -> t).get(10, TimeUnit.SECONDS));
    assertSame(blockFailure, resource.received.get(10, TimeUnit.SECONDS));
    assertSame(blockFailure, seen);
  }

  /** Sleeps well past a 1 ms deadline, so that the JDK's scheduler has certainly fired it. */
  private static void outliveTheDeadline() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A resource that completes at once and records what its exit received. */
  private static final class RecordingExit implements AsyncResource<String> {
    static final Throwable NONE = new ScriptedFailures.ScriptedException("no failure");
    final CompletableFuture<Throwable> received = new CompletableFuture<>();

    @Override
    public CompletionStage<String> enter() {
      return CompletableFuture.completedFuture("value");
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      received.complete(failure == null ? NONE : failure);
      return CompletableFuture.completedFuture(false);
    }
  }

  private static void assertSpecified(Block scenario) {
    StatementPropertiesTest.assertBehavesAsSpecified(Scenarios.number(scenario));
  }

  private static void assertCancellation(CancelScenario scenario) {
    List<String> problems = CancellationPropertiesTest.run(scenario);
    assertEquals(List.of(), problems, () -> scenario + "\n  " + String.join("\n  ", problems));
  }
}
