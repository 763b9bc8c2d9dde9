package dev.asyncwith.reliability;

import dev.asyncwith.reliability.Scenario.AsyncGen;
import dev.asyncwith.reliability.Scenario.Block;
import dev.asyncwith.reliability.Scenario.BlockingGen;
import dev.asyncwith.reliability.Scenario.Callback;
import dev.asyncwith.reliability.Scenario.EnterContext;
import dev.asyncwith.reliability.Scenario.Hand;
import dev.asyncwith.reliability.Scenario.Leaf;
import dev.asyncwith.reliability.Scenario.Push;
import dev.asyncwith.reliability.Scenario.ResourceSpec;
import dev.asyncwith.reliability.Scenario.Stack;
import dev.asyncwith.reliability.Scenario.StackEntry;
import dev.asyncwith.reliability.Scenario.Teardown;
import dev.asyncwith.reliability.Scenario.Use;
import dev.asyncwith.reliability.Scenario.With;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * The rules of {@code docs/RULES.md}, written a second time as a plain sequential interpreter of a
 * {@link Scenario}, independent of the library: what the result must be, in which order enters,
 * bodies and exits happen, what each exit receives, and which failures a {@code true} exit was
 * entitled to drop.
 *
 * <p>Rules modelled: 1 (enter fails: no body, no exit), 2 (a body that throws or returns null is
 * a failed block), 3 (exit receives the unwrapped failure), 4 (a {@code true} exit suppresses a
 * failure; {@code false} or {@code null} lets the outcome stand), 5 (an exit's failure wins, the
 * block's attached once), 8 (several resources nest), the exit-stack unwinding rules, and the
 * generator semantics of both engines. One model instance interprets one scenario once.
 */
final class ReferenceModel {
  /** The name the scripted non-blocking generators pass to their engine. */
  static final String ASYNC_METHOD = "asyncManager";
  /** The name the scripted blocking generators pass to their engine. */
  static final String BLOCKING_METHOD = "blockingManager";
  /** The class name the library must mention when a hand-written resource returns null. */
  static final String HAND_CLASS = "ScriptedResource";

  /** The outcome of a statement or a block, as the model predicts it. */
  sealed interface Result permits Value, Failed {}

  /** Completes normally with {@code value}. */
  record Value(Object value) implements Result {}

  /** Fails with {@code failure}. */
  record Failed(ModelFailure failure) implements Result {}

  /** What an exit does: completes with a Boolean (maybe null), or fails. */
  private record Exit(Boolean value, ModelFailure failure) {}

  private final List<String> events = new ArrayList<>();
  private final Map<Integer, Integer> enters = new HashMap<>();
  private final Map<Integer, Integer> teardowns = new HashMap<>();
  private final Map<Integer, Object> exitArguments = new HashMap<>();
  private final Set<ModelFailure> droppedByTrueExit =
      Collections.newSetFromMap(new IdentityHashMap<>());
  /** Failures that a failure with suppression disabled refused: reported as uncaught. */
  private final List<ModelFailure> refused = new ArrayList<>();

  /** Interprets {@code block}, the outermost statement of a scenario. */
  Result run(Block block) {
    if (block instanceof Leaf leaf) {
      events.add("leaf:" + leaf.id());
      return leafResult(leaf);
    }
    if (block instanceof Use use) {
      return statement(use.resource(), () -> run(use.child()));
    }
    if (block instanceof With with) {
      return nested(with.resources(), 0, with.child());
    }
    return stack((Stack) block);
  }

  /** The expected order of {@code enter:id}, {@code leaf:id} and {@code exit:id} events. */
  List<String> events() {
    return events;
  }

  /** How often node {@code id} must have been entered (its enter or generator method called). */
  int enters(int id) {
    return enters.getOrDefault(id, 0);
  }

  /** How often node {@code id}'s teardown must have run. */
  int teardowns(int id) {
    return teardowns.getOrDefault(id, 0);
  }

  /**
   * What node {@code id}'s teardown must have received: a {@link ModelFailure}, {@link
   * RunRecord#NO_FAILURE}, or null when it must not have run.
   */
  Object exitArgument(int id) {
    return exitArguments.get(id);
  }

  /**
   * The failures that could not be attached where rule 5 says (the failure they belong to has
   * suppression disabled), in order: each must reach the uncaught-exception handler (rule 6).
   */
  List<ModelFailure> refused() {
    return refused;
  }

  /** Rule 5, recording what a failure with suppression disabled refuses. */
  private void attach(ModelFailure winner, ModelFailure other) {
    ModelFailure notAttached = winner.attach(other);
    if (notAttached != null) {
      refused.add(notAttached);
    }
  }

  /**
   * Whether the failure labelled {@code label} may be missing from the result: an exit that
   * completed {@code true} suppressed it, or a failure it hangs below (rule 4).
   */
  boolean dropped(String label) {
    if (droppedLabels == null) {
      // Made once, after the run: a nesting 10,000 deep asks for every label.
      droppedLabels = new HashSet<>();
      for (ModelFailure suppressed : droppedByTrueExit) {
        for (ModelFailure below : suppressed.reachable()) {
          droppedLabels.add(below.label);
        }
      }
    }
    return droppedLabels.contains(label);
  }

  /** The labels {@link #dropped} finds, once computed. */
  private Set<String> droppedLabels;

  private Result nested(List<ResourceSpec> resources, int index, Block child) {
    if (index == resources.size()) {
      return run(child);
    }
    return statement(resources.get(index), () -> nested(resources, index + 1, child));
  }

  /** Rules 1 to 5 for one resource around {@code body}. */
  private Result statement(ResourceSpec resource, Supplier<Result> body) {
    ModelFailure enterFailure = enter(resource);
    if (enterFailure != null) {
      return new Failed(enterFailure);
    }
    Result block = body.get();
    ModelFailure blockFailure = failureOf(block);
    return complete(block, blockFailure, exit(resource, blockFailure));
  }

  /** Rules 4 and 5: the statement's result from the block's and the exit's outcomes. */
  private Result complete(Result block, ModelFailure blockFailure, Exit exit) {
    if (exit.failure() != null) {
      attach(exit.failure(), blockFailure);
      return new Failed(exit.failure());
    }
    if (Boolean.TRUE.equals(exit.value()) && blockFailure != null) {
      droppedByTrueExit.add(blockFailure);
      return new Value(null);
    }
    return block;
  }

  private Result stack(Stack stack) {
    List<Object> pushed = new ArrayList<>();
    Result body = null;
    for (StackEntry entry : stack.entries()) {
      if (entry instanceof EnterContext context) {
        ModelFailure enterFailure = enter(context.resource());
        if (enterFailure != null) {
          body = new Failed(enterFailure); // enterContext propagates; nothing is pushed
          break;
        }
        pushed.add(context.resource());
      } else {
        pushed.add(entry);
      }
    }
    if (body == null) {
      body = run(stack.child());
    }
    ModelFailure incoming = failureOf(body);
    ModelFailure current = incoming;
    for (int i = pushed.size() - 1; i >= 0; i--) {
      Exit exit = exitEntry(pushed.get(i), current);
      if (exit.failure() != null) {
        attach(exit.failure(), current);
        current = exit.failure();
      } else if (Boolean.TRUE.equals(exit.value()) && current != null) {
        droppedByTrueExit.add(current);
        current = null;
      }
    }
    Exit stackExit;
    if (incoming != null && current == null) {
      stackExit = new Exit(true, null);
    } else if (current == incoming) {
      stackExit = new Exit(false, null);
    } else {
      stackExit = new Exit(null, current);
    }
    return complete(body, incoming, stackExit);
  }

  private Exit exitEntry(Object entry, ModelFailure failure) {
    if (entry instanceof ResourceSpec resource) {
      return exit(resource, failure);
    }
    if (entry instanceof Push push) {
      tornDown(push.id(), failure);
      return stepExit(push.outcome(), "push-" + push.id(), push.value(), null);
    }
    Callback callback = (Callback) entry;
    tornDown(callback.id(), null);
    Exit exit = stepExit(callback.outcome(), "callback-" + callback.id(), false, null);
    // A callback cannot suppress: whatever its stage completes with, only its failure counts.
    return exit.failure() != null ? exit : new Exit(false, null);
  }

  /** Enters {@code resource}; returns its failure, or null when it entered. */
  private ModelFailure enter(ResourceSpec resource) {
    events.add("enter:" + resource.id());
    enters.merge(resource.id(), 1, Integer::sum);
    if (resource instanceof Hand hand) {
      return stepFailure(hand.enter(), "enter-" + hand.id(), HAND_CLASS);
    }
    Scenario.Setup setup =
        resource instanceof AsyncGen gen ? gen.setup() : ((BlockingGen) resource).setup();
    switch (setup) {
      case YIELD:
      case YIELD_LATER:
        return null;
      case NO_YIELD:
        return ModelFailure.created(IllegalStateException.class, "did not yield");
      case FAIL:
      case THROW:
        return ModelFailure.raised("setup-" + resource.id(), flavor(resource));
      case RETURN_NULL:
        return ModelFailure.created(NullPointerException.class, ASYNC_METHOD);
      default:
        throw new AssertionError(setup);
    }
  }

  /** Exits {@code resource} with {@code failure} (null for a normal block). */
  private Exit exit(ResourceSpec resource, ModelFailure failure) {
    int id = resource.id();
    if (resource instanceof Hand hand) {
      tornDown(id, failure);
      return stepExit(hand.exit(), "exit-" + id, hand.exitValue(), HAND_CLASS);
    }
    Teardown teardown =
        resource instanceof AsyncGen gen ? gen.teardown() : ((BlockingGen) resource).teardown();
    if (teardown == Teardown.EARLY) {
      // The method's teardown ran before the block ended; it saw no failure.
      teardowns.merge(id, 1, Integer::sum);
      exitArguments.put(id, RunRecord.NO_FAILURE);
      return new Exit(null, ModelFailure.created(IllegalStateException.class, null));
    }
    tornDown(id, failure);
    switch (teardown) {
      case SUPPRESS:
        return new Exit(failure != null, null);
      case RERAISE:
        return new Exit(false, null);
      case REPLACE:
        return new Exit(null, ModelFailure.raised("teardown-" + id, flavor(resource)));
      case TWICE_CATCH:
      case TWICE_PROPAGATE:
        return new Exit(null, twice(id));
      case TWICE_REPLACE:
        {
          // "a different failure raised instead wins, with it attached": where the block's
          // failure ends up below it is left open, so only reachability is checked.
          ModelFailure replacement = ModelFailure.raisedLoose("teardown-" + id, flavor(resource));
          attach(replacement, twice(id));
          return new Exit(null, replacement);
        }
      default:
        throw new AssertionError(teardown);
    }
  }

  private static Outcome.Flavor flavor(ResourceSpec resource) {
    return resource instanceof AsyncGen gen ? gen.flavor() : ((BlockingGen) resource).flavor();
  }

  private static ModelFailure twice(int id) {
    return ModelFailure.observed("twice-" + id, IllegalStateException.class, "yielded twice");
  }

  private void tornDown(int id, ModelFailure failure) {
    events.add("exit:" + id);
    teardowns.merge(id, 1, Integer::sum);
    exitArguments.put(id, failure == null ? RunRecord.NO_FAILURE : failure);
  }

  /** The failure a step ending as {@code kind} raises, or null when it completes normally. */
  private static ModelFailure stepFailure(Outcome outcome, String label, String nullNames) {
    Outcome.Kind kind = outcome.kind();
    switch (kind) {
      case VALUE:
      case LATER_VALUE:
        return null;
      case THROW:
      case FAILED_STAGE:
      case LATER_FAILED:
        return ModelFailure.raised(label, outcome.flavor());
      case NULL:
        return ModelFailure.created(NullPointerException.class, nullNames);
      case CANCELLED:
        return ModelFailure.observed(label, CancellationException.class, null);
      default:
        throw new AssertionError(kind);
    }
  }

  private static Exit stepExit(Outcome outcome, String label, Boolean value, String nullNames) {
    ModelFailure failure = stepFailure(outcome, label, nullNames);
    return failure != null ? new Exit(null, failure) : new Exit(value, null);
  }

  private static Result leafResult(Leaf leaf) {
    ModelFailure failure = stepFailure(leaf.outcome(), "leaf-" + leaf.id(), null);
    return failure != null ? new Failed(failure) : new Value("leaf-" + leaf.id());
  }

  private static ModelFailure failureOf(Result result) {
    return result instanceof Failed failed ? failed.failure() : null;
  }
}
