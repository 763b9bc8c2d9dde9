package dev.asyncwith.reliability;

import dev.asyncwith.AsyncExitStack;
import dev.asyncwith.AsyncResource;
import dev.asyncwith.AsyncWith;
import dev.asyncwith.reliability.Scenario.AsyncGen;
import dev.asyncwith.reliability.Scenario.Block;
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
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link Scenario} through the synchronous statement instead of {@code use}: {@code
 * resource.call}, {@code AsyncWith.call}, and {@code AsyncExitStack.call} with {@code
 * enterContextAndWait}, on a thread of the test's own, recording what happens in a {@link
 * RunRecord} exactly as {@link ScenarioRunner} does, so that the same {@link ReferenceModel}
 * checks both. A leaf's block waits for its scripted stage and throws its failure as it is.
 *
 * <p>Two scenario features mean something else for a block that returns a value rather than a
 * stage, and are left out ({@link #runsThroughCall}): a leaf returning {@code null} (a value for
 * {@code call}, a failed block for {@code use}), and a non-blocking generator completing early
 * (through {@code call} its synchronous setup runs the block inside the yield, so it cannot).
 */
final class CallScenarioRunner {
  /** The prefix of the calling threads' names, by which scripted generators know they run in place. */
  static final String CALLER_PREFIX = "reliability-call-";

  private static final AtomicInteger COUNT = new AtomicInteger();

  private final RunRecord run;
  private volatile Thread caller;

  CallScenarioRunner(RunRecord run) {
    this.run = run;
  }

  /** Whether {@code scenario} means the same through {@code call} as through {@code use}. */
  static boolean runsThroughCall(Block scenario) {
    if (scenario instanceof Leaf leaf) {
      return leaf.outcome().kind() != Outcome.Kind.NULL;
    }
    if (scenario instanceof Use use) {
      return callable(use.resource()) && runsThroughCall(use.child());
    }
    if (scenario instanceof With with) {
      return with.resources().stream().allMatch(CallScenarioRunner::callable)
          && runsThroughCall(with.child());
    }
    Stack stack = (Stack) scenario;
    return stack.entries().stream()
            .allMatch(e -> !(e instanceof EnterContext c) || callable(c.resource()))
        && runsThroughCall(stack.child());
  }

  private static boolean callable(ResourceSpec spec) {
    return !(spec instanceof AsyncGen gen) || gen.teardown() != Teardown.EARLY;
  }

  /**
   * Runs the outermost statement on a new calling thread; the future completes with what {@code
   * call} returned, or fails with the very object it threw.
   */
  CompletableFuture<Object> start(Block statement) {
    if (statement instanceof Leaf) {
      throw new IllegalArgumentException("a scenario starts with a statement");
    }
    CompletableFuture<Object> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(block(statement));
              } catch (Throwable thrown) {
                if ((thrown instanceof CompletionException && thrown.getCause() != null)
                    || thrown instanceof ExecutionException) {
                  run.problem("S2: call threw a wrapper instead of the failure itself: " + thrown);
                }
                result.completeExceptionally(thrown);
              }
            },
            CALLER_PREFIX + COUNT.incrementAndGet());
    thread.setDaemon(true);
    caller = thread;
    thread.start();
    return result;
  }

  private Object block(Block block) throws Exception {
    if (block instanceof Leaf leaf) {
      run.event("leaf:" + leaf.id());
      CompletionStage<Object> stage =
          Steps.perform(leaf.outcome(), "leaf-" + leaf.id(), "leaf-" + leaf.id(), run);
      return awaitAsItIs(stage);
    }
    if (block instanceof Use use) {
      return resource(use.resource())
          .call(
              value -> {
                expectValue(use.resource(), value);
                expectCallingThread(use.resource().id());
                return block(use.child());
              });
    }
    if (block instanceof With with) {
      return with(with.resources(), with.child());
    }
    return stack((Stack) block);
  }

  private Object with(List<ResourceSpec> specs, Block child) throws Exception {
    if (specs.size() == 2) {
      return AsyncWith.call(
          resource(specs.get(0)),
          resource(specs.get(1)),
          (a, b) -> {
            expectValue(specs.get(0), a);
            expectValue(specs.get(1), b);
            expectCallingThread(specs.get(1).id());
            return block(child);
          });
    }
    return AsyncWith.call(
        resource(specs.get(0)),
        resource(specs.get(1)),
        resource(specs.get(2)),
        (a, b, c) -> {
          expectValue(specs.get(0), a);
          expectValue(specs.get(1), b);
          expectValue(specs.get(2), c);
          expectCallingThread(specs.get(2).id());
          return block(child);
        });
  }

  private Object stack(Stack spec) throws Exception {
    AsyncExitStack stack = new AsyncExitStack();
    return stack.call(
        entered -> {
          if (entered != stack) {
            run.problem("AsyncExitStack.enter() did not complete with the stack itself");
          }
          for (StackEntry entry : spec.entries()) {
            enterEntry(stack, entry);
          }
          return block(spec.child());
        });
  }

  private void enterEntry(AsyncExitStack stack, StackEntry entry) throws Exception {
    if (entry instanceof EnterContext context) {
      expectValue(context.resource(), stack.enterContextAndWait(resource(context.resource())));
    } else {
      ScenarioRunner.pushExit(stack, entry, run);
    }
  }

  /** Waits for a leaf's stage; returns its value or throws its failure, the very object. */
  private static Object awaitAsItIs(CompletionStage<Object> stage) throws Exception {
    Object[] outcome = new Object[2];
    CountDownLatch done = new CountDownLatch(1);
    stage.whenComplete(
        (value, failure) -> {
          outcome[0] = value;
          outcome[1] = failure;
          done.countDown();
        });
    if (!done.await(ScenarioCheck.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("a leaf's stage never completed");
    }
    if (outcome[1] != null) {
      throw ScriptedFailures.sneakyThrow((Throwable) outcome[1]);
    }
    return outcome[0];
  }

  private AsyncResource<String> resource(ResourceSpec spec) {
    if (spec instanceof Hand hand) {
      return new ScriptedResource(hand, run);
    }
    if (spec instanceof AsyncGen gen) {
      return new ScriptedAsyncGenerator(gen, run);
    }
    return new ScriptedBlockingGenerator((Scenario.BlockingGen) spec, run);
  }

  /** S1: the block runs on the calling thread, always. */
  private void expectCallingThread(int id) {
    if (Thread.currentThread() != caller) {
      run.problem("S1: the block inside node " + id + " ran on " + Thread.currentThread().getName()
          + ", not on the calling thread " + caller.getName());
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
