package dev.asyncwith.reliability;

import dev.asyncwith.AsyncExitStack;
import dev.asyncwith.AsyncResource;
import dev.asyncwith.AsyncWith;
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
import dev.asyncwith.reliability.Scenario.Use;
import dev.asyncwith.reliability.Scenario.With;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs a {@link Scenario} against the real library: {@code use}, {@code AsyncWith.with} and
 * {@code AsyncExitStack}, over scripted hand-written resources and scripted subclasses of both
 * generator engines, recording what happens in a {@link RunRecord}.
 */
final class ScenarioRunner {
  private final RunRecord run;

  ScenarioRunner(RunRecord run) {
    this.run = run;
  }

  /** Starts the outermost statement of a scenario; it must not be a bare leaf. */
  CompletableFuture<Object> start(Block statement) {
    if (statement instanceof Leaf) {
      throw new IllegalArgumentException("a scenario starts with a statement");
    }
    return (CompletableFuture<Object>) block(statement);
  }

  private CompletionStage<Object> block(Block block) {
    if (block instanceof Leaf leaf) {
      run.event("leaf:" + leaf.id());
      return Steps.perform(leaf.outcome(), "leaf-" + leaf.id(), "leaf-" + leaf.id(), run);
    }
    if (block instanceof Use use) {
      AsyncResource<String> resource = resource(use.resource());
      ScriptedAsyncGenerator generator =
          resource instanceof ScriptedAsyncGenerator gen ? gen : null;
      CompletionStage<Void> gate = generator == null ? null : generator.earlyGate();
      Thread caller = Thread.currentThread();
      CompletableFuture<Object> result =
          resource.use(
              value -> {
                expectValue(use.resource(), value);
                expectBodyThread(use.resource(), resource, caller);
                // A generator that completes early must find its block still running: the
                // block starts its work only once the engine has seen the method complete.
                return gate == null
                    ? block(use.child())
                    : gate.thenCompose(x -> block(use.child()));
              });
      if (generator != null) {
        generator.useReturned();
      }
      return result;
    }
    if (block instanceof With with) {
      return with(with.resources(), with.child());
    }
    return stack((Stack) block);
  }

  private CompletableFuture<Object> with(List<ResourceSpec> specs, Block child) {
    if (specs.size() == 2) {
      return AsyncWith.with(
          resource(specs.get(0)),
          resource(specs.get(1)),
          (a, b) -> {
            expectValue(specs.get(0), a);
            expectValue(specs.get(1), b);
            return block(child);
          });
    }
    return AsyncWith.with(
        resource(specs.get(0)),
        resource(specs.get(1)),
        resource(specs.get(2)),
        (a, b, c) -> {
          expectValue(specs.get(0), a);
          expectValue(specs.get(1), b);
          expectValue(specs.get(2), c);
          return block(child);
        });
  }

  private CompletableFuture<Object> stack(Stack spec) {
    AsyncExitStack stack = new AsyncExitStack();
    return stack.use(
        entered -> {
          if (entered != stack) {
            run.problem("AsyncExitStack.enter() did not complete with the stack itself");
          }
          CompletionStage<Object> chain = CompletableFuture.completedFuture(null);
          for (StackEntry entry : spec.entries()) {
            chain = chain.thenCompose(ignored -> enterEntry(stack, entry));
          }
          return chain.thenCompose(ignored -> block(spec.child()));
        });
  }

  private CompletionStage<Object> enterEntry(AsyncExitStack stack, StackEntry entry) {
    if (entry instanceof EnterContext context) {
      return stack
          .enterContext(resource(context.resource()))
          .thenApply(
              value -> {
                expectValue(context.resource(), value);
                return value;
              });
    }
    pushExit(stack, entry, run);
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Pushes a scripted {@code push} exit or {@code callback} onto {@code stack}, recording its
   * teardown in {@code run}; shared by the {@code use} and {@code call} runners.
   */
  static void pushExit(AsyncExitStack stack, StackEntry entry, RunRecord run) {
    if (entry instanceof Push push) {
      stack.push(
          failure -> {
            run.event("exit:" + push.id());
            run.tornDown(push.id(), failure);
            return Steps.perform(push.outcome(), "push-" + push.id(), push.value(), run);
          });
    } else {
      Callback callback = (Callback) entry;
      stack.callback(
          () -> {
            run.event("exit:" + callback.id());
            run.tornDown(callback.id(), null);
            return Steps.perform(
                callback.outcome(), "callback-" + callback.id(), "callback", run);
          });
    }
  }

  private AsyncResource<String> resource(ResourceSpec spec) {
    if (spec instanceof Hand hand) {
      return new ScriptedResource(hand, run);
    }
    if (spec instanceof AsyncGen gen) {
      return new ScriptedAsyncGenerator(gen, run);
    }
    return new ScriptedBlockingGenerator((BlockingGen) spec, run);
  }

  /**
   * Rule 7: continuations run on the thread that completes the stage before them, so a body
   * attached directly to {@code enter} runs on the thread that completed it: the yielding thread
   * of a generator (DESIGN: "a body attached directly runs on that thread too"), the caller's
   * thread for an enter that completed synchronously, and for a hand-written enter that
   * completes later either the test thread that completed it or, when it won the race and
   * completed before {@code use} looked, the caller's.
   */
  private void expectBodyThread(ResourceSpec spec, AsyncResource<String> resource, Thread caller) {
    Thread body = Thread.currentThread();
    Thread expected = null;
    if (resource instanceof ScriptedAsyncGenerator gen) {
      expected = gen.yieldThread();
    } else if (resource instanceof ScriptedBlockingGenerator gen) {
      expected = gen.yieldThread();
    } else if (((Hand) spec).enter().kind() == Outcome.Kind.VALUE) {
      expected = caller;
    } else if (body != caller && !body.getName().startsWith("reliability-later-")) {
      run.problem("rule 7: the body of node " + spec.id() + " ran on " + body.getName()
          + ", not on the thread that completed enter's stage");
    }
    if (expected != null && expected != body) {
      run.problem("rule 7: the body of node " + spec.id() + " ran on " + body.getName()
          + ", not on " + expected.getName());
    }
  }

  private void expectValue(ResourceSpec spec, Object value) {
    String expected =
        spec instanceof Hand
            ? ScriptedResource.valueOf(spec.id())
            : ScriptedAsyncGenerator.valueOf(spec.id());
    if (!Objects.equals(expected, value)) {
      run.problem("the block of node " + spec.id() + " received " + value + ", not " + expected);
    }
  }
}
