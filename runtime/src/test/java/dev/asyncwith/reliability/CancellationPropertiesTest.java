package dev.asyncwith.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncResource;
import dev.asyncwith.AsyncYield;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Rule 6 of {@code docs/RULES.md} under random timing: statements nested 1 to 3 deep (and, in a
 * second property, up to 10,000 deep, the depth rule 7 promises) over hand-written resources
 * and non-blocking generators whose enter, block and exit stages the test completes one at a
 * time, with the caller completing the outermost future ({@code cancel}, {@code complete},
 * {@code completeExceptionally}) at a random point. Checked: the future is done at once; the block's stage is cancelled; enter's stage is
 * never cancelled; every entered resource is exited exactly once, never before the block and
 * the inner teardown have finished; exits outside the cancel point receive a {@code
 * CancellationException}; and, for a single statement, the failure the caller can no longer see
 * goes to the uncaught-exception handler, exactly once, unless it is a cancellation. The
 * uncaught-exception handler sometimes throws, which must change nothing (the JVM ignores such a
 * throw, and so does the library).
 */
class CancellationPropertiesTest {

  /** How the caller completes the outermost future early. */
  enum CallerAction {
    CANCEL_INTERRUPTING,
    CANCEL,
    COMPLETE,
    COMPLETE_EXCEPTIONALLY
  }

  /** How an exit stage ends. */
  enum ExitEnd {
    FALSE,
    TRUE,
    FAIL
  }

  /**
   * One run: {@code depth} nested statements; the caller acts just before gate {@code cancelAt}
   * opens (gates: enter 1..n, then the block, then exit n..1; {@code 2n+1} means after the end).
   */
  record CancelScenario(
      int depth,
      int cancelAt,
      CallerAction action,
      List<Boolean> entersSucceed,
      boolean blockFails,
      boolean blockIgnoresCancel,
      List<ExitEnd> exits,
      List<Boolean> generators,
      boolean handlerThrows) {}

  /** The most statements {@link #cancellingAnyLevelOfADeepNestingReleasesEverythingOnce} nests. */
  static final int DEEPEST = 10_000;

  @Property
  void cancellingAtAnyPointReleasesEverythingOnce(@ForAll("scenarios") CancelScenario scenario) {
    List<String> problems = run(scenario);
    assertEquals(List.of(), problems, () -> scenario + "\n  " + String.join("\n  ", problems));
  }

  /**
   * The same at depths sampled up to {@link #DEEPEST} (small ones most often, the edges always),
   * with the caller acting at any level: cancels and unwinding must not grow the stack.
   */
  @Property(tries = 40)
  void cancellingAnyLevelOfADeepNestingReleasesEverythingOnce(
      @ForAll("deepScenarios") CancelScenario scenario) {
    Statistics.label("depth").collect(depthBucket(scenario.depth()));
    List<String> problems = onSmallStack(() -> run(scenario));
    assertEquals(List.of(), problems, () -> describe(scenario) + "\n  "
        + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))));
  }

  @Provide
  Arbitrary<CancelScenario> scenarios() {
    return scenarios(Arbitraries.integers().between(1, 3));
  }

  @Provide
  Arbitrary<CancelScenario> deepScenarios() {
    return scenarios(
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(DEEPEST)),
            Tuple.of(
                9,
                Arbitraries.integers()
                    .between(1, DEEPEST)
                    .withDistribution(RandomDistribution.biased()))));
  }

  /**
   * Below the JDK's default thread stack (1 MB on 64-bit Linux): at 10,000 levels, a cancel or an
   * unwinding that grew the stack by a single frame per level would overflow it.
   */
  static final long SMALL_STACK = 512 * 1024;

  /** Runs {@code scenario} on a new thread with a {@link #SMALL_STACK}; rethrows what it threw. */
  static List<String> onSmallStack(Supplier<List<String>> scenario) {
    AtomicReference<List<String>> problems = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread thread =
        new Thread(
            null,
            () -> {
              try {
                problems.set(scenario.get());
              } catch (Throwable t) {
                thrown.set(t);
              }
            },
            "deep-cancellation",
            SMALL_STACK);
    thread.start();
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (thread.isAlive()) {
      return List.of("the scenario did not finish within 60 s");
    }
    if (thrown.get() != null) {
      throw new AssertionError("the scenario threw", thrown.get());
    }
    return problems.get();
  }

  /** The depths in a few buckets, for jqwik's statistics report. */
  static String depthBucket(int depth) {
    if (depth <= 3) {
      return "1-3";
    }
    if (depth <= 100) {
      return "4-100";
    }
    if (depth <= 1_000) {
      return "101-1,000";
    }
    return depth < DEEPEST ? "1,001-9,999" : "10,000";
  }

  /** A deep scenario in a few lines (its lists are as long as it is deep). */
  static String describe(CancelScenario scenario) {
    String text = scenario.toString();
    return scenario.depth() <= 3
        ? text
        : "depth " + scenario.depth() + ", caller acts at gate " + scenario.cancelAt() + " with "
            + scenario.action() + ": " + text.substring(0, Math.min(600, text.length())) + "...";
  }

  private static Arbitrary<CancelScenario> scenarios(Arbitrary<Integer> depths) {
    return depths
        .flatMap(
            depth ->
                Combinators.combine(
                        // Often exactly when every level has entered and the block runs: the
                        // cancel then travels through the whole nesting.
                        Arbitraries.frequencyOf(
                            Tuple.of(1, Arbitraries.just(depth)),
                            Tuple.of(2, Arbitraries.integers().between(0, 2 * depth + 1))),
                        Arbitraries.of(CallerAction.class),
                        Arbitraries.of(true, true, true, false).list().ofSize(depth),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        Arbitraries.of(ExitEnd.class).list().ofSize(depth),
                        Arbitraries.of(true, false).list().ofSize(depth),
                        Arbitraries.of(true, false))
                    .as(
                        (at, action, enters, blockFails, ignores, exits, generators, throwing) ->
                            new CancelScenario(
                                depth, at, action, enters, blockFails, ignores, exits,
                                generators, throwing)));
  }

  /** Runs one scenario on this thread; returns the problems found. */
  static List<String> run(CancelScenario scenario) {
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> uncaught = Collections.synchronizedList(new ArrayList<>());
    Thread self = Thread.currentThread();
    Thread.UncaughtExceptionHandler previous = self.getUncaughtExceptionHandler();
    boolean throwing = scenario.handlerThrows();
    self.setUncaughtExceptionHandler(
        (thread, failure) -> {
          uncaught.add(failure);
          if (throwing) {
            throw new IllegalStateException("the uncaught-exception handler fails too");
          }
        });
    try {
      return drive(scenario, problems, uncaught);
    } finally {
      self.setUncaughtExceptionHandler(previous);
    }
  }

  private static List<String> drive(
      CancelScenario scenario, List<String> problems, List<Throwable> uncaught) {
    int depth = scenario.depth();
    List<Gated> resources = new ArrayList<>();
    for (int level = 0; level < depth; level++) {
      resources.add(
          scenario.generators().get(level)
              ? new GatedGenerator(level, problems)
              : new GatedResource(level, problems));
    }
    CompletableFuture<Object> blockGate = new CompletableFuture<>();
    CompletionStage<Object> blockStage =
        scenario.blockIgnoresCancel() ? blockGate.minimalCompletionStage() : blockGate;
    boolean[] bodyRan = new boolean[1];
    for (int level = 0; level < depth; level++) {
      Gated resource = resources.get(level);
      resource.inner = level + 1 < depth ? resources.get(level + 1) : null;
      resource.block = level + 1 == depth ? blockGate : null;
      resource.bodyRan = bodyRan;
    }
    CompletableFuture<Object> result =
        statement(resources, 0, value -> {
          bodyRan[0] = true;
          return blockStage;
        });

    // The gates, in the order a normal run reaches them.
    ScriptedFailures.ScriptedException blockFailure =
        new ScriptedFailures.ScriptedException("block");
    List<Runnable> gates = new ArrayList<>();
    for (int level = 0; level < depth; level++) {
      Gated resource = resources.get(level);
      boolean succeeds = scenario.entersSucceed().get(level);
      gates.add(() -> resource.openEnter(succeeds));
    }
    gates.add(
        () -> {
          if (scenario.blockFails()) {
            blockGate.completeExceptionally(blockFailure);
          } else {
            blockGate.complete("block value");
          }
        });
    for (int level = depth - 1; level >= 0; level--) {
      Gated resource = resources.get(level);
      ExitEnd end = scenario.exits().get(level);
      gates.add(() -> resource.openExit(end));
    }
    gates.add(() -> {});

    // Open the gates, the caller acting at its point. Exits may have been called (and so have
    // gates to open) only after earlier gates opened, so each gate is re-examined in order.
    boolean acted = false;
    boolean[] doneBeforeCallerActed = new boolean[1];
    for (int gate = 0; gate < gates.size(); gate++) {
      if (gate == scenario.cancelAt()) {
        acted = true;
        boolean wasDone = result.isDone();
        doneBeforeCallerActed[0] = wasDone;
        for (Gated resource : resources) {
          resource.exitStartedBeforeAct = resource.exitCalls > 0;
        }
        callerActs(scenario.action(), result);
        if (!result.isDone()) {
          problems.add("rule 6: the result is not done as the caller's "
              + scenario.action() + " returns");
        }
        if (!wasDone
            && (scenario.action() == CallerAction.CANCEL
                || scenario.action() == CallerAction.CANCEL_INTERRUPTING)
            && !result.isCancelled()) {
          problems.add("rule 6: cancel returned but isCancelled() is false");
        }
        if (!wasDone && bodyRan[0] && !blockGate.isDone() && !scenario.blockIgnoresCancel()) {
          problems.add("rule 6: the stage the body returned was not cancelled");
        }
      }
      gates.get(gate).run();
    }
    if (!acted) {
      problems.add("the caller never acted (scenario generator bug)");
    }
    // Gates opened late (an exit called only after its inner teardown) are opened now.
    for (Runnable gate : gates) {
      gate.run();
    }
    if (!result.isDone()) {
      problems.add("the result never completed");
    }

    int cancelAt = scenario.cancelAt();
    for (Gated resource : resources) {
      boolean entered = resource.enteredSuccessfully(scenario);
      if (resource.enterCalls > 1) {
        problems.add("level " + resource.level + ": entered " + resource.enterCalls + " times");
      }
      if (resource.exitCalls != (entered ? 1 : 0)) {
        problems.add("level " + resource.level + ": exited " + resource.exitCalls
            + " times, entered: " + entered);
      }
      // A level whose exit had not started when the caller acted was still running its block
      // (exits start as soon as blocks end here): it must see a cancellation.
      boolean outsideCancelPoint = !doneBeforeCallerActed[0] && !resource.exitStartedBeforeAct;
      if (entered && outsideCancelPoint
          && !(resource.exitArgument instanceof CancellationException)) {
        problems.add("rule 6: level " + resource.level + "'s exit received "
            + FailureGraph.describe(resource.exitArgument) + ", not a CancellationException");
      }
    }
    if (!doneBeforeCallerActed[0] && cancelAt < depth) {
      if (bodyRan[0]) {
        problems.add("rule 6: the body ran although the caller acted while enter was running");
      }
      for (Gated resource : resources) {
        if (resource.level > cancelAt && resource.enterCalls > 0) {
          problems.add("rule 6: level " + resource.level + " was entered after the caller acted");
        }
      }
    }
    for (Throwable failure : uncaught) {
      if (failure instanceof CancellationException) {
        problems.add("a CancellationException went to the uncaught-exception handler");
      }
    }
    if (depth == 1) {
      List<Throwable> expected = expectedUncaught(scenario, resources.get(0), blockFailure);
      if (!sameIdentities(expected, uncaught)) {
        problems.add("rule 6: the uncaught-exception handler received "
            + describeAll(uncaught) + ", expected " + describeAll(expected));
      }
    }
    return problems;
  }

  /**
   * For a single statement: what the caller would otherwise have seen, which must reach the
   * uncaught-exception handler once the caller has completed the future (rule 6).
   */
  private static List<Throwable> expectedUncaught(
      CancelScenario scenario, Gated resource, Throwable blockFailure) {
    int cancelAt = scenario.cancelAt();
    boolean enters = scenario.entersSucceed().get(0);
    ExitEnd exit = scenario.exits().get(0);
    if (cancelAt == 0) {
      if (!enters) {
        return List.of(resource.enterFailure);
      }
      return exit == ExitEnd.FAIL ? List.of(resource.exitFailure) : List.of();
    }
    if (!enters || cancelAt == 3) {
      return List.of(); // the statement ended before the caller acted
    }
    if (cancelAt == 1) {
      // The block's stage was cancelled, unless it ignores the cancel: then its own failure is
      // one the caller would otherwise have seen, even though exit saw a cancellation.
      switch (exit) {
        case FAIL:
          return List.of(resource.exitFailure);
        case TRUE:
          return List.of();
        default:
          return scenario.blockIgnoresCancel() && scenario.blockFails()
              ? List.of(blockFailure)
              : List.of();
      }
    }
    switch (exit) {
      case FAIL:
        return List.of(resource.exitFailure);
      case TRUE:
        return List.of();
      default:
        return scenario.blockFails() ? List.of(blockFailure) : List.of();
    }
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

  private static String describeAll(List<Throwable> failures) {
    List<String> names = new ArrayList<>();
    for (Throwable failure : failures) {
      names.add(FailureGraph.describe(failure));
    }
    return names.toString();
  }

  private static void callerActs(CallerAction action, CompletableFuture<Object> result) {
    switch (action) {
      case CANCEL_INTERRUPTING:
        result.cancel(true);
        break;
      case CANCEL:
        result.cancel(false);
        break;
      case COMPLETE:
        result.complete("completed by the caller");
        break;
      default:
        result.completeExceptionally(new ScriptedFailures.ScriptedException("caller"));
    }
  }

  private static CompletableFuture<Object> statement(
      List<Gated> resources,
      int level,
      Function<String, CompletionStage<Object>> innermost) {
    if (level == resources.size() - 1) {
      return resources.get(level).resource().use(innermost);
    }
    // The body returns the inner statement's future itself, as rule 6 asks.
    return resources.get(level).resource()
        .use(value -> statement(resources, level + 1, innermost));
  }

  /**
   * One level of the nested statements, whose enter and teardown the test completes step by
   * step. Its teardown checks that the block (for the innermost) or the inner statement's
   * teardown has finished before it starts.
   */
  private abstract static class Gated {
    final int level;
    final List<String> problems;
    final Throwable enterFailure;
    final Throwable exitFailure;
    Gated inner;
    CompletableFuture<Object> block;
    boolean[] bodyRan;
    boolean exitStartedBeforeAct;
    volatile int enterCalls;
    volatile int exitCalls;
    volatile Throwable exitArgument;

    Gated(int level, List<String> problems) {
      this.level = level;
      this.problems = problems;
      this.enterFailure = new ScriptedFailures.ScriptedException("enter-" + level);
      this.exitFailure = new ScriptedFailures.ScriptedException("exit-" + level);
    }

    /** The resource the statement uses. */
    abstract AsyncResource<String> resource();

    /** Completes the enter step, if it has started and is not complete yet. */
    abstract void openEnter(boolean succeeds);

    /** Completes the teardown, if it has started and is not complete yet. */
    abstract void openExit(ExitEnd end);

    /** Whether the teardown has finished. */
    abstract boolean teardownFinished();

    boolean enteredSuccessfully(CancelScenario scenario) {
      return enterCalls == 1 && scenario.entersSucceed().get(level);
    }

    /** Records that the teardown starts with {@code failure}; checks it overlaps nothing. */
    void teardownStarts(Throwable failure) {
      exitCalls++;
      exitArgument = failure;
      if (block != null && bodyRan[0] && !block.isDone()) {
        problems.add("rule 6: level " + level + "'s exit started while the block still ran");
      }
      if (inner != null && inner.exitCalls > 0 && !inner.teardownFinished()) {
        problems.add("rule 6: level " + level + "'s exit started before the inner teardown "
            + "finished");
      }
    }
  }

  /** A hand-written resource whose enter and exit stages the test completes. */
  private static final class GatedResource extends Gated implements AsyncResource<String> {
    final CompletableFuture<String> enterStage = new CompletableFuture<>();
    final CompletableFuture<Boolean> exitStage = new CompletableFuture<>();
    private boolean enterOpened;

    GatedResource(int level, List<String> problems) {
      super(level, problems);
    }

    @Override
    AsyncResource<String> resource() {
      return this;
    }

    @Override
    public CompletionStage<String> enter() {
      enterCalls++;
      return enterStage;
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      teardownStarts(failure);
      return exitStage;
    }

    @Override
    void openEnter(boolean succeeds) {
      if (enterCalls == 0 || enterOpened) {
        return;
      }
      enterOpened = true;
      if (enterStage.isDone()) {
        problems.add("level " + level + ": enter's stage was completed by the library "
            + "(cancelled?) before the resource completed it");
      }
      if (succeeds) {
        enterStage.complete("value-" + level);
      } else {
        enterStage.completeExceptionally(enterFailure);
      }
    }

    @Override
    void openExit(ExitEnd end) {
      if (exitCalls == 0 || exitStage.isDone()) {
        return;
      }
      switch (end) {
        case FALSE:
          exitStage.complete(false);
          break;
        case TRUE:
          exitStage.complete(true);
          break;
        default:
          exitStage.completeExceptionally(exitFailure);
      }
    }

    @Override
    boolean teardownFinished() {
      return exitStage.isDone();
    }
  }

  /**
   * A non-blocking generator whose setup and teardown wait for gates the test opens: {@code TRUE}
   * completes the method normally (suppressing a failure), {@code FALSE} re-raises what the
   * yield delivered, {@code FAIL} raises the exit failure.
   */
  private static final class GatedGenerator extends Gated {
    final CompletableFuture<Void> enterGate = new CompletableFuture<>();
    final CompletableFuture<Object> exitGate = new CompletableFuture<>();
    private final AsyncGenerator<String> engine;

    GatedGenerator(int level, List<String> problems) {
      super(level, problems);
      engine =
          new AsyncGenerator<>("CancellationScripts.gated") {
            @Override
            protected CompletionStage<?> generate(AsyncYield<String> yield) {
              enterCalls++;
              return enterGate
                  .thenCompose(
                      ignored ->
                          yield
                              .yield("value-" + level)
                              .handle(
                                  (v, failure) -> {
                                    teardownStarts(failure);
                                    return exitGate;
                                  }))
                  .thenCompose(teardown -> teardown);
            }
          };
    }

    @Override
    AsyncResource<String> resource() {
      return engine;
    }

    @Override
    void openEnter(boolean succeeds) {
      if (enterCalls == 0 || enterGate.isDone()) {
        return;
      }
      if (succeeds) {
        enterGate.complete(null);
      } else {
        enterGate.completeExceptionally(enterFailure);
      }
    }

    @Override
    void openExit(ExitEnd end) {
      if (exitCalls == 0 || exitGate.isDone()) {
        return;
      }
      switch (end) {
        case TRUE:
          exitGate.complete(null);
          break;
        case FALSE:
          if (exitArgument == null) {
            exitGate.complete(null);
          } else {
            exitGate.completeExceptionally(exitArgument);
          }
          break;
        default:
          exitGate.completeExceptionally(exitFailure);
      }
    }

    @Override
    boolean teardownFinished() {
      return exitGate.isDone();
    }
  }
}
