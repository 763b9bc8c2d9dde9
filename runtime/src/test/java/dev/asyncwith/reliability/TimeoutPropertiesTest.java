package dev.asyncwith.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.asyncwith.AsyncContexts;
import dev.asyncwith.AsyncResource;
import dev.asyncwith.reliability.Outcome.Flavor;
import dev.asyncwith.reliability.Outcome.Kind;
import dev.asyncwith.reliability.Scenario.AsyncGen;
import dev.asyncwith.reliability.Scenario.BlockingGen;
import dev.asyncwith.reliability.Scenario.Hand;
import dev.asyncwith.reliability.Scenario.ResourceSpec;
import dev.asyncwith.reliability.Scenario.Setup;
import dev.asyncwith.reliability.Scenario.Teardown;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The timeout variant of the statement, {@code use(Duration, body)}, as its javadoc specifies
 * it, over hand-written resources and both engines. Blocks are chosen so that whether the
 * deadline passes never depends on timing: a block that has completed when the body returns is
 * never timed out; a block that never completes by itself always is, whether it obeys the cancel
 * or ignores it and completes only once the cancel was attempted. Checked: the statement's rules
 * for the block's outcome; on a timeout, {@code exit} receives a {@code TimeoutException} carrying
 * the block's own failure (the cancellation, or what a block ignoring the cancel failed with),
 * and the result is that very exception unless {@code exit} suppressed or replaced it; and the
 * result completes only after teardown.
 */
class TimeoutPropertiesTest {

  /** How the block ends. */
  enum BlockEnd {
    VALUE,
    FAILS,
    THROWS,
    /**
     * Returns a nested statement that has already completed, after running past the deadline:
     * the block never waited, so it is not timed out.
     */
    NESTED_DONE_PAST_DEADLINE,
    /** Returns {@code CompletableFuture.completedStage}'s stage, after running past the deadline. */
    MINIMAL_DONE_PAST_DEADLINE,
    OBEYS_CANCEL,
    IGNORES_CANCEL_THEN_VALUE,
    IGNORES_CANCEL_THEN_FAILS;

    boolean timesOut() {
      return ordinal() >= OBEYS_CANCEL.ordinal();
    }

    /** Whether the block ends with the value "block value" and is not timed out. */
    boolean succeedsInTime() {
      return this == VALUE || this == NESTED_DONE_PAST_DEADLINE || this == MINIMAL_DONE_PAST_DEADLINE;
    }
  }

  /** One run: a resource, a block, a timeout in milliseconds (zero or negative allowed). */
  record TimeoutScenario(ResourceSpec resource, BlockEnd block, long timeoutMillis) {}

  @Property
  void timeoutFollowsItsContract(@ForAll("scenarios") TimeoutScenario scenario) throws Exception {
    List<String> problems = run(scenario);
    assertEquals(List.of(), problems, () -> scenario + "\n  " + String.join("\n  ", problems));
  }

  @Provide
  Arbitrary<TimeoutScenario> scenarios() {
    Arbitrary<Outcome> exits =
        Combinators.combine(
                Arbitraries.of(Kind.VALUE, Kind.LATER_VALUE, Kind.FAILED_STAGE, Kind.LATER_FAILED,
                    Kind.THROW, Kind.NULL),
                Arbitraries.of(Flavor.RUNTIME, Flavor.CHECKED, Flavor.ERROR))
            .as(Outcome::new);
    Arbitrary<ResourceSpec> hand =
        Combinators.combine(
                Arbitraries.of(Kind.VALUE, Kind.LATER_VALUE)
                    .map(kind -> new Outcome(kind, Flavor.RUNTIME)),
                exits,
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.2))
            .as((enter, exit, value) -> new Hand(1, enter, exit, value));
    Arbitrary<Teardown> teardowns =
        Arbitraries.of(Teardown.SUPPRESS, Teardown.RERAISE, Teardown.REPLACE);
    Arbitrary<ResourceSpec> async =
        Combinators.combine(
                Arbitraries.of(Setup.YIELD, Setup.YIELD_LATER),
                teardowns,
                Arbitraries.of(true, false))
            .as((setup, teardown, later) ->
                new AsyncGen(1, setup, teardown, later, Flavor.RUNTIME));
    Arbitrary<ResourceSpec> blocking =
        teardowns.map(teardown -> new BlockingGen(1, Setup.YIELD, teardown, Flavor.RUNTIME));
    return Combinators.combine(
            Arbitraries.oneOf(hand, async, blocking),
            Arbitraries.of(BlockEnd.class),
            Arbitraries.of(-1L, 0L, 1L, 5L))
        .as(TimeoutScenario::new);
  }

  static List<String> run(TimeoutScenario scenario) throws Exception {
    List<String> problems = new ArrayList<>();
    RunRecord run = new RunRecord();
    AsyncResource<String> scripted = resource(scenario.resource(), run);
    ExitWatch resource = new ExitWatch(scripted);

    Throwable blockFailure = new ScriptedFailures.ScriptedException("block");
    CompletableFuture<String> obeying = new CompletableFuture<>();
    CompletableFuture<Boolean> exitDoneWhenResultCompleted = new CompletableFuture<>();
    CompletableFuture<String> result =
        resource.use(
            Duration.ofMillis(scenario.timeoutMillis()),
            value -> block(scenario, blockFailure, obeying));
    result.whenComplete((v, failure) -> exitDoneWhenResultCompleted.complete(resource.exitDone()));

    Object value = null;
    Throwable failure = null;
    try {
      value = result.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      failure = FailureGraph.unwrap(e.getCause());
    }
    // get() may return before the callback above has run: wait for it too.
    if (!exitDoneWhenResultCompleted.get(10, TimeUnit.SECONDS)) {
      problems.add("the result completed before teardown had finished");
    }

    // What exit must have received.
    Object received = run.exitArgument(1);
    Throwable expectedForExit;
    if (scenario.block().timesOut()) {
      if (!(received instanceof TimeoutException)) {
        problems.add("exit received " + received + ", not a TimeoutException");
        return problems;
      }
      TimeoutException timeout = (TimeoutException) received;
      Throwable own =
          scenario.block() == BlockEnd.OBEYS_CANCEL
              ? obeying.handle((v, t) -> t).join()
              : scenario.block() == BlockEnd.IGNORES_CANCEL_THEN_FAILS ? blockFailure : null;
      List<Throwable> attached = Arrays.asList(timeout.getSuppressed());
      List<Throwable> expectedAttached = own == null ? List.of() : List.of(own);
      if (!sameIdentities(expectedAttached, attached)) {
        problems.add("the TimeoutException carries " + attached + ", expected " + expectedAttached);
      }
      if (scenario.block() == BlockEnd.OBEYS_CANCEL && !(own instanceof CancellationException)) {
        problems.add("the block that obeys cancellation was not cancelled: " + own);
      }
      expectedForExit = timeout;
    } else {
      expectedForExit = scenario.block().succeedsInTime() ? null : blockFailure;
      Object expected = expectedForExit == null ? RunRecord.NO_FAILURE : expectedForExit;
      if (received != expected) {
        problems.add("exit received " + received + ", expected " + expected);
      }
    }

    // What the result must be: rules 4 and 5 with the failure exit received.
    ExitEnd exit = exitEnd(scenario.resource(), expectedForExit != null);
    if (exit == ExitEnd.FAILS) {
      if (failure == null) {
        problems.add("expected the exit's failure, got value " + value);
      } else if (!Arrays.asList(failure.getSuppressed()).contains(expectedForExit)
          && expectedForExit != null) {
        problems.add("the exit's failure " + FailureGraph.describe(failure) + " does not carry "
            + FailureGraph.describe(expectedForExit));
      }
    } else if (exit == ExitEnd.SUPPRESSES && expectedForExit != null) {
      if (failure != null || value != null) {
        problems.add("expected null (suppressed), got " + (failure != null
            ? FailureGraph.describe(failure) : value));
      }
    } else if (expectedForExit != null) {
      if (failure != expectedForExit) {
        problems.add("expected the very failure exit received, " + FailureGraph.describe(
            expectedForExit) + ", got " + (failure != null ? FailureGraph.describe(failure)
            : "value " + value));
      }
    } else if (failure != null || !"block value".equals(value)) {
      problems.add("expected the block's value, got " + (failure != null
          ? FailureGraph.describe(failure) : value));
    }
    problems.addAll(run.problems());
    problems.addAll(LibraryThreads.endedWithin(run.generatorThreads(), 5_000));
    return problems;
  }

  /** How the scripted exit ends, given whether it received a failure. */
  private enum ExitEnd {
    SUPPRESSES,
    STANDS,
    FAILS
  }

  private static ExitEnd exitEnd(ResourceSpec spec, boolean receivedFailure) {
    if (spec instanceof Hand hand) {
      if (!hand.exit().kind().succeeds()) {
        return ExitEnd.FAILS;
      }
      return Boolean.TRUE.equals(hand.exitValue()) ? ExitEnd.SUPPRESSES : ExitEnd.STANDS;
    }
    Teardown teardown =
        spec instanceof AsyncGen gen ? gen.teardown() : ((BlockingGen) spec).teardown();
    switch (teardown) {
      case SUPPRESS:
        return receivedFailure ? ExitEnd.SUPPRESSES : ExitEnd.STANDS;
      case REPLACE:
        return ExitEnd.FAILS;
      default:
        return ExitEnd.STANDS;
    }
  }

  private static CompletionStage<String> block(
      TimeoutScenario scenario, Throwable failure, CompletableFuture<String> obeying) {
    switch (scenario.block()) {
      case VALUE:
        return CompletableFuture.completedFuture("block value");
      case NESTED_DONE_PAST_DEADLINE:
        pastTheDeadline(scenario);
        return AsyncContexts.nullContext("inner")
            .use(inner -> CompletableFuture.completedFuture("block value"));
      case MINIMAL_DONE_PAST_DEADLINE:
        pastTheDeadline(scenario);
        return CompletableFuture.completedStage("block value");
      case FAILS:
        return CompletableFuture.failedFuture(failure);
      case THROWS:
        throw ScriptedFailures.sneakyThrow(failure);
      case OBEYS_CANCEL:
        return obeying;
      case IGNORES_CANCEL_THEN_VALUE:
        return new IgnoresCancel(null);
      default:
        return new IgnoresCancel(failure);
    }
  }

  /** Sleeps until the scenario's deadline has passed (a zero or negative one has already). */
  private static void pastTheDeadline(TimeoutScenario scenario) {
    if (scenario.timeoutMillis() > 0) {
      try {
        Thread.sleep(scenario.timeoutMillis() + 5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static AsyncResource<String> resource(ResourceSpec spec, RunRecord run) {
    if (spec instanceof Hand hand) {
      return new ScriptedResource(hand, run);
    }
    if (spec instanceof AsyncGen gen) {
      return new ScriptedAsyncGenerator(gen, run);
    }
    return new ScriptedBlockingGenerator((BlockingGen) spec, run);
  }

  private static boolean sameIdentities(List<Throwable> expected, List<Throwable> actual) {
    if (expected.size() != actual.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      if (expected.get(i) != actual.get(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A block's stage that refuses to be cancelled: a cancel attempt makes it complete soon after,
   * on another thread, with a value or with {@code failure}, as a block that finishes its work
   * regardless would.
   */
  private static final class IgnoresCancel extends CompletableFuture<String> {
    private final Throwable failure;

    IgnoresCancel(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      Later.run(
          () -> {
            if (failure == null) {
              complete("block value");
            } else {
              completeExceptionally(failure);
            }
          });
      return false;
    }
  }

  /** Wraps a resource to know, when the result completes, whether exit's stage had completed. */
  private static final class ExitWatch implements AsyncResource<String> {
    private final AsyncResource<String> delegate;
    private volatile CompletionStage<Boolean> exitStage;

    ExitWatch(AsyncResource<String> delegate) {
      this.delegate = delegate;
    }

    boolean exitDone() {
      CompletionStage<Boolean> stage = exitStage;
      return stage == null || stage.toCompletableFuture().isDone();
    }

    @Override
    public CompletionStage<String> enter() {
      return delegate.enter();
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      CompletionStage<Boolean> stage = delegate.exit(failure);
      exitStage = stage;
      return stage;
    }
  }
}
