package dev.asyncwith.reliability;

import dev.asyncwith.BlockingGenerator;
import dev.asyncwith.Yield;
import dev.asyncwith.reliability.Scenario.BlockingGen;
import java.util.Locale;

/**
 * A subclass of the blocking engine, as the processor would generate for a {@code void} method
 * whose body does what a {@link BlockingGen} spec says. It records the thread it runs on, so the
 * properties can check that no generator thread outlives its statement.
 */
final class ScriptedBlockingGenerator extends BlockingGenerator<String> {
  private final BlockingGen spec;
  private final RunRecord run;
  private volatile Thread thread;

  ScriptedBlockingGenerator(BlockingGen spec, RunRecord run) {
    super("ReliabilityScripts." + ReferenceModel.BLOCKING_METHOD);
    this.spec = spec;
    this.run = run;
  }

  @Override
  protected void generate(Yield<String> yield) throws Throwable {
    int id = spec.id();
    Thread thread = Thread.currentThread();
    this.thread = thread;
    // Through call the method runs in place, on the calling thread (S4); else on a thread of its own.
    if (!thread.getName().startsWith(CallScenarioRunner.CALLER_PREFIX)) {
      run.generatorThread(thread);
      if (!thread.getName().toLowerCase(Locale.ROOT)
          .contains(ReferenceModel.BLOCKING_METHOD.toLowerCase(Locale.ROOT))) {
        run.problem("blocking gen " + id + " runs on a thread not named after its method: "
            + thread.getName());
      }
    }
    run.event("enter:" + id);
    run.entered(id);
    switch (spec.setup()) {
      case NO_YIELD:
        return;
      case FAIL:
      case THROW:
        throw ScriptedFailures.create("setup-" + id, spec.flavor(), run);
      case YIELD:
        break;
      default:
        throw new AssertionError(spec);
    }
    Throwable blockFailure = yieldOnce(yield);
    run.event("exit:" + id);
    run.tornDown(id, blockFailure);
    switch (spec.teardown()) {
      case SUPPRESS:
        return;
      case RERAISE:
        if (blockFailure != null) {
          throw blockFailure;
        }
        return;
      case REPLACE:
        throw ScriptedFailures.create("teardown-" + id, spec.flavor(), run);
      case TWICE_CATCH:
      case TWICE_PROPAGATE:
      case TWICE_REPLACE:
        Throwable twice = yieldOnce(yield);
        if (twice == null) {
          run.problem("blocking gen " + id + ": the second yield did not throw");
          return;
        }
        run.raised("twice-" + id, twice);
        if (spec.teardown() == Scenario.Teardown.TWICE_CATCH) {
          return;
        }
        if (spec.teardown() == Scenario.Teardown.TWICE_PROPAGATE) {
          throw twice;
        }
        throw ScriptedFailures.create("teardown-" + id, spec.flavor(), run);
      default:
        throw new AssertionError(spec);
    }
  }

  /** The generator's thread, which yields: rule 7 says a body attached directly runs there. */
  Thread yieldThread() {
    return thread;
  }

  /** Yields, returning what the yield threw (the block's failure), or null. */
  private Throwable yieldOnce(Yield<String> yield) {
    try {
      yield.yield(ScriptedAsyncGenerator.valueOf(spec.id()));
      return null;
    } catch (Throwable t) {
      return t;
    }
  }
}
