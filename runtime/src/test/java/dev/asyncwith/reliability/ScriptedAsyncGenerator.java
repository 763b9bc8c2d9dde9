package dev.asyncwith.reliability;

import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncYield;
import dev.asyncwith.reliability.Scenario.AsyncGen;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subclass of the non-blocking engine, as the processor would generate for a method whose body
 * does what an {@link AsyncGen} spec says: setup, yield (now or from another thread), then
 * suppress, re-raise or replace the block's failure, yield twice, or complete too early.
 */
final class ScriptedAsyncGenerator extends AsyncGenerator<String> {
  private final AsyncGen spec;
  private final RunRecord run;
  /**
   * For {@link Scenario.Teardown#EARLY}: the block waits for this gate, which opens only once the
   * engine has the method's stage in hand and that stage has completed, so that the block is
   * certainly still running when the engine sees the method end.
   */
  private final CompletableFuture<Void> earlyGate = new CompletableFuture<>();
  /** Counts down the two conditions for opening {@link #earlyGate}. */
  private final AtomicInteger earlyConditions = new AtomicInteger(2);
  /** The thread that first yielded. */
  private volatile Thread yieldThread;

  ScriptedAsyncGenerator(AsyncGen spec, RunRecord run) {
    super("ReliabilityScripts." + ReferenceModel.ASYNC_METHOD);
    this.spec = spec;
    this.run = run;
  }

  /** The value the method yields. */
  static String valueOf(int id) {
    return "gen-" + id;
  }

  /** The thread that yielded first: rule 7 says a body attached directly runs there. */
  Thread yieldThread() {
    return yieldThread;
  }

  /** The gate a block must wait for when the method completes early, or null. */
  CompletionStage<Void> earlyGate() {
    return spec.teardown() == Scenario.Teardown.EARLY ? earlyGate : null;
  }

  /**
   * Called by the runner once {@code use} has returned, hence once {@code enter} has returned the
   * method's stage to the engine.
   */
  void useReturned() {
    earlyConditionMet();
  }

  private void earlyConditionMet() {
    if (earlyConditions.decrementAndGet() == 0) {
      earlyGate.complete(null);
    }
  }

  /**
   * Opens the gate once {@code stage} has completed. Registered before the engine sees the
   * stage, so that the engine's own callback, registered later, runs first (a CompletableFuture
   * completed directly runs its dependents last-registered first) and sees the method end while
   * the block still runs.
   */
  private CompletionStage<?> openGateAfter(CompletionStage<?> stage) {
    if (spec.teardown() == Scenario.Teardown.EARLY) {
      stage.whenComplete((v, failure) -> earlyConditionMet());
    }
    return stage;
  }

  @Override
  protected CompletionStage<?> generate(AsyncYield<String> yield) throws Throwable {
    int id = spec.id();
    run.event("enter:" + id);
    run.entered(id);
    switch (spec.setup()) {
      case THROW:
        throw ScriptedFailures.create("setup-" + id, spec.flavor(), run);
      case RETURN_NULL:
        return null;
      case NO_YIELD:
        return CompletableFuture.completedFuture(null);
      case FAIL:
        return CompletableFuture.failedFuture(
            ScriptedFailures.create("setup-" + id, spec.flavor(), run));
      case YIELD:
        return openGateAfter(afterSetup(yield));
      case YIELD_LATER:
        if (spec.teardown() == Scenario.Teardown.EARLY) {
          // Completed directly, not through thenCompose: a relayed completion can run the
          // dependents in registration order, and the gate's callback must run last.
          CompletableFuture<Object> method = new CompletableFuture<>();
          openGateAfter(method);
          Later.run(() -> afterSetup(yield).whenComplete((v, failure) -> method.complete(v)));
          return method;
        } else {
          CompletableFuture<Void> setup = new CompletableFuture<>();
          CompletionStage<Object> method = setup.thenCompose(ignored -> afterSetup(yield));
          Later.run(() -> setup.complete(null));
          return method;
        }
      default:
        throw new AssertionError(spec);
    }
  }

  private CompletionStage<Object> afterSetup(AsyncYield<String> yield) {
    int id = spec.id();
    CompletionStage<Void> blockDone = safeYield(yield, "first");
    if (spec.teardown() == Scenario.Teardown.EARLY) {
      // Does not wait for blockDone: the teardown runs now, while the block waits at its gate.
      run.tornDown(id, null);
      return CompletableFuture.completedFuture(null);
    }
    return blockDone
        .handle(
            (ignored, failure) -> {
              run.event("exit:" + id);
              run.tornDown(id, failure);
              return teardown(yield, failure);
            })
        .thenCompose(end -> end);
  }

  private CompletionStage<Object> teardown(AsyncYield<String> yield, Throwable blockFailure) {
    int id = spec.id();
    CompletionStage<Object> end;
    switch (spec.teardown()) {
      case SUPPRESS:
        end = CompletableFuture.completedFuture(null);
        break;
      case RERAISE:
        end =
            blockFailure == null
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(blockFailure);
        break;
      case REPLACE:
        end = CompletableFuture.failedFuture(
            ScriptedFailures.create("teardown-" + id, spec.flavor(), run));
        break;
      case TWICE_CATCH:
      case TWICE_PROPAGATE:
      case TWICE_REPLACE:
        end = safeYield(yield, "second").handle((ignored, twice) -> afterTwice(twice))
            .thenCompose(next -> next);
        break;
      default:
        throw new AssertionError(spec);
    }
    if (!spec.teardownLater()) {
      return end;
    }
    CompletableFuture<Object> later = new CompletableFuture<>();
    end.whenComplete(
        (value, failure) ->
            Later.run(
                () -> {
                  if (failure != null) {
                    later.completeExceptionally(failure);
                  } else {
                    later.complete(value);
                  }
                }));
    return later;
  }

  private CompletionStage<Object> afterTwice(Throwable twice) {
    int id = spec.id();
    if (twice == null) {
      run.problem("gen " + id + ": the second yield did not fail");
      return CompletableFuture.completedFuture(null);
    }
    run.raised("twice-" + id, twice);
    switch (spec.teardown()) {
      case TWICE_CATCH:
        return CompletableFuture.completedFuture(null);
      case TWICE_PROPAGATE:
        return CompletableFuture.failedFuture(twice);
      default:
        return CompletableFuture.failedFuture(
            ScriptedFailures.create("teardown-" + id, spec.flavor(), run));
    }
  }

  /** Calls {@code yield}, which docs/RULES.md says never throws; records it if it does. */
  private CompletionStage<Void> safeYield(AsyncYield<String> yield, String which) {
    if (yieldThread == null) {
      yieldThread = Thread.currentThread();
    }
    try {
      CompletionStage<Void> stage = yield.yield(valueOf(spec.id()));
      if (stage == null) {
        run.problem("gen " + spec.id() + ": the " + which + " yield returned null");
        return new CompletableFuture<>();
      }
      return stage;
    } catch (Throwable t) {
      run.problem("gen " + spec.id() + ": the " + which + " yield threw " + t);
      return CompletableFuture.failedFuture(t);
    }
  }
}
