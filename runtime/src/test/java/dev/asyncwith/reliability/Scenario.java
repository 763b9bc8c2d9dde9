package dev.asyncwith.reliability;

import java.util.List;

/**
 * A random {@code async with} scenario as plain data, so that jqwik can generate, shrink and
 * print it, and so that the {@link ReferenceModel} and the {@link ScenarioRunner} read the same
 * description independently.
 *
 * <p>Every node carries an {@code id}, unique within a scenario ({@link Scenarios#number}
 * assigns them), that names its events and the failures it raises.
 */
final class Scenario {
  private Scenario() {}

  /** What runs inside a statement: a leaf body, or a further statement. */
  sealed interface Block permits Leaf, Use, With, Stack {}

  /** The innermost body: its stage ends as {@code outcome} says. */
  record Leaf(int id, Outcome outcome) implements Block {}

  /** {@code resource.use(value -> child)}. */
  record Use(ResourceSpec resource, Block child) implements Block {}

  /** {@code AsyncWith.with(r0, r1[, r2], (...) -> child)}: two or three resources. */
  record With(List<ResourceSpec> resources, Block child) implements Block {}

  /**
   * {@code new AsyncExitStack().use(stack -> enter every entry in order, then child)}.
   */
  record Stack(List<StackEntry> entries, Block child) implements Block {}

  /** A resource the scenario enters. */
  sealed interface ResourceSpec permits Hand, AsyncGen, BlockingGen {
    int id();
  }

  /**
   * A hand-written {@code AsyncResource}: {@code enter} and {@code exit} behave as scripted;
   * {@code exit}'s value, when it completes normally, is {@code exitValue} ({@code null}
   * allowed: DESIGN rule 4 treats it as {@code false}).
   */
  record Hand(int id, Outcome enter, Outcome exit, Boolean exitValue) implements ResourceSpec {}

  /**
   * A subclass of the non-blocking engine, {@code AsyncGenerator}, whose method is scripted;
   * failures it raises itself are of type {@code flavor}.
   */
  record AsyncGen(
      int id, Setup setup, Teardown teardown, boolean teardownLater, Outcome.Flavor flavor)
      implements ResourceSpec {}

  /**
   * A subclass of the blocking engine, {@code BlockingGenerator}, whose method is scripted;
   * failures it raises itself are of type {@code flavor}.
   */
  record BlockingGen(int id, Setup setup, Teardown teardown, Outcome.Flavor flavor)
      implements ResourceSpec {}

  /** What a generator method does before its yield. */
  enum Setup {
    /** Yields at once. */
    YIELD,
    /** Yields later, from another thread (non-blocking engine only). */
    YIELD_LATER,
    /** Completes normally without yielding: {@code enter} fails "did not yield". */
    NO_YIELD,
    /** Fails (its stage, or a blocking method's throw) without yielding. */
    FAIL,
    /** Throws synchronously from the non-blocking method. */
    THROW,
    /** The non-blocking method returns {@code null}. */
    RETURN_NULL
  }

  /** What a generator method does once its yield has returned (or failed). */
  enum Teardown {
    /** Completes normally, swallowing the block's failure if any: suppression. */
    SUPPRESS,
    /** Re-raises the block's failure, if any, else completes normally. */
    RERAISE,
    /** Raises a failure of its own. */
    REPLACE,
    /** Yields a second time, catches the resulting failure and completes normally. */
    TWICE_CATCH,
    /** Yields a second time and propagates the resulting failure. */
    TWICE_PROPAGATE,
    /** Yields a second time, then raises a failure of its own instead. */
    TWICE_REPLACE,
    /**
     * Non-blocking only: the method's stage completes while the block is still running (it did
     * not wait for the stage {@code yield} returned).
     */
    EARLY
  }

  /** One thing an exit-stack body does before the child runs. */
  sealed interface StackEntry permits EnterContext, Push, Callback {}

  /** {@code stack.enterContext(resource)}. */
  record EnterContext(ResourceSpec resource) implements StackEntry {}

  /** {@code stack.push(exit)}, where the exit behaves as {@code outcome} and {@code value}. */
  record Push(int id, Outcome outcome, Boolean value) implements StackEntry {}

  /** {@code stack.callback(callback)}, where the callback's stage behaves as {@code outcome}. */
  record Callback(int id, Outcome outcome) implements StackEntry {}
}
