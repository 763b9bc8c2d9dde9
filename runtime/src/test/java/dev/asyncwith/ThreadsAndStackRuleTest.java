package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Rule 7: continuations run on the thread that completed the stage before them, and unwinding
 * nested statements never grows the stack.
 */
class ThreadsAndStackRuleTest {

  private static final int DEPTH = 10_000;
  /** A stack far too small for 10,000 nested calls of anything. */
  private static final long SMALL_STACK = 256 * 1024;
  /** A stack big enough for a body that nests 10,000 statements synchronously (its own recursion). */
  private static final long BIG_STACK = 512L * 1024 * 1024;

  /** Runs {@code task} on a new thread with the given stack size and rethrows what it threw. */
  static void onThread(long stackSize, Runnable task) {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread thread = new Thread(null, () -> {
      try {
        task.run();
      } catch (Throwable t) {
        thrown.set(t);
      }
    }, "stack-" + stackSize, stackSize);
    thread.start();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(Await.SECONDS * 3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (thread.isAlive()) {
      throw new AssertionError("thread did not finish");
    }
    if (thrown.get() != null) {
      throw new AssertionError("failed on the thread", thrown.get());
    }
  }

  @Test
  void eachStepRunsOnTheThreadThatCompletedTheStageBeforeIt() {
    RecordingResource<String> resource = RecordingResource.named("r").pendingEnter().pendingExit();
    AtomicReference<Thread> bodyThread = new AtomicReference<>();
    AtomicReference<Thread> resultThread = new AtomicReference<>();
    CompletableFuture<String> block = new CompletableFuture<>();
    CompletableFuture<String> result = resource.use(v -> {
      bodyThread.set(Thread.currentThread());
      return block;
    });
    result.whenComplete((v, x) -> resultThread.set(Thread.currentThread()));

    Thread enterer = new Thread(() -> resource.enterStage.complete("v"), "enterer");
    Thread blocker = new Thread(() -> block.complete("done"), "blocker");
    Thread exiter = new Thread(() -> resource.exitStage.complete(false), "exiter");
    runAndJoin(enterer);
    assertSame(enterer, bodyThread.get());
    runAndJoin(blocker);
    assertSame(blocker, resource.exitThread);
    runAndJoin(exiter);
    assertSame(exiter, resultThread.get());
    assertEquals("done", Await.value(result));
  }

  private static void runAndJoin(Thread thread) {
    thread.start();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * 10,000 statements, each body returning the next one's future, entered one at a time by a
   * driver loop (so that building them recurses nowhere), unwound when the innermost block
   * completes on a thread with a small stack.
   */
  @Test
  void tenThousandNestedStatementsUnwindWithoutGrowingTheStack() {
    ArrayDeque<CompletableFuture<Integer>> toEnter = new ArrayDeque<>();
    List<Integer> exitOrder = new ArrayList<>();
    CompletableFuture<String> innermost = new CompletableFuture<>();
    Function<Integer, CompletableFuture<String>> level = new Function<>() {
      @Override
      public CompletableFuture<String> apply(Integer depth) {
        AsyncResource<Integer> resource = new AsyncResource<>() {
          @Override
          public CompletionStage<Integer> enter() {
            CompletableFuture<Integer> entering = new CompletableFuture<>();
            toEnter.add(entering);
            return entering;
          }

          @Override
          public CompletionStage<Boolean> exit(Throwable failure) {
            exitOrder.add(depth);
            return CompletableFuture.completedFuture(false);
          }
        };
        return resource.use(d -> d == DEPTH ? innermost : this.apply(d + 1));
      }
    };
    CompletableFuture<String> outermost = level.apply(1);
    int entered = 0;
    for (int depth = 1; !toEnter.isEmpty(); depth++) {
      toEnter.poll().complete(depth);
      entered++;
    }
    assertEquals(DEPTH, entered);
    onThread(SMALL_STACK, () -> innermost.complete("deep"));
    assertEquals("deep", Await.value(outermost));
    assertEquals(DEPTH, exitOrder.size());
    assertEquals(DEPTH, exitOrder.get(0));
    assertEquals(1, exitOrder.get(DEPTH - 1));
  }

  /** The same, with every resource completing at once: building recurses as the bodies do. */
  @Test
  void tenThousandSynchronouslyNestedStatementsUnwindOnASmallStack() {
    AtomicInteger exits = new AtomicInteger();
    RecordingResource<String> resource = RecordingResource.named("r")
        .onExit(failure -> {
          exits.incrementAndGet();
          return CompletableFuture.completedFuture(false);
        });
    CompletableFuture<String> innermost = new CompletableFuture<>();
    AtomicReference<CompletableFuture<String>> outermost = new AtomicReference<>();
    Function<Integer, CompletableFuture<String>> nest = new Function<>() {
      @Override
      public CompletableFuture<String> apply(Integer depth) {
        return resource.use(v -> depth == DEPTH ? innermost : this.apply(depth + 1));
      }
    };
    onThread(BIG_STACK, () -> outermost.set(nest.apply(1)));
    onThread(SMALL_STACK, () -> innermost.complete("deep"));
    assertEquals("deep", Await.value(outermost.get()));
    assertEquals(DEPTH, exits.get());
  }

  /** Bodies returning a stage derived from the inner statement: chains through dependents. */
  @Test
  void tenThousandStatementsChainedThroughDerivedStagesUnwindOnASmallStack() {
    AtomicInteger exits = new AtomicInteger();
    RecordingResource<String> resource = RecordingResource.named("r")
        .onExit(failure -> {
          exits.incrementAndGet();
          return CompletableFuture.completedFuture(false);
        });
    CompletableFuture<Integer> innermost = new CompletableFuture<>();
    AtomicReference<CompletableFuture<Integer>> outermost = new AtomicReference<>();
    Function<Integer, CompletableFuture<Integer>> nest = new Function<>() {
      @Override
      public CompletableFuture<Integer> apply(Integer depth) {
        return resource.use(v -> depth == DEPTH ? innermost : this.apply(depth + 1).thenApply(n -> n + 1));
      }
    };
    onThread(BIG_STACK, () -> outermost.set(nest.apply(1)));
    onThread(SMALL_STACK, () -> innermost.complete(1));
    assertEquals(DEPTH, Await.value(outermost.get()));
    assertEquals(DEPTH, exits.get());
  }

  /** A body that calls use synchronously recurses as its own code does, and no further. */
  @Test
  void aBodyThatCallsUseSynchronouslyRunsTheInnerStatementInside() {
    List<String> log = RecordingResource.newLog();
    RecordingResource<String> outer = new RecordingResource<>("outer", "o", log);
    RecordingResource<String> inner = new RecordingResource<>("inner", "i", log);
    CompletableFuture<String> result = outer.use(o -> {
      CompletableFuture<String> nested = inner.use(i -> CompletableFuture.completedFuture(o + i));
      log.add("inner returned, done=" + nested.isDone());
      return nested;
    });
    assertEquals("oi", Await.value(result));
    assertEquals(List.of("outer.enter", "inner.enter", "inner.exit(null)", "inner returned, done=true",
        "outer.exit(null)"), log);
    assertNull(outer.exitFailure());
  }

  /**
   * A body that nests statements synchronously without end overflows the stack, as its own
   * recursion would. The error reaches each enclosing body as a throw (a failed block), so every
   * enclosing statement still ends and exits: none is left waiting for an inner statement that
   * swallowed the error.
   */
  @Test
  void aStackOverflowInSynchronouslyNestedStatementsEndsEveryEnclosingStatement() {
    for (long stack = 256 * 1024; stack <= 1024 * 1024; stack += 192 * 1024) {
      AtomicInteger entered = new AtomicInteger();
      AtomicInteger exited = new AtomicInteger();
      // Not RecordingResource: its log's string concatenation would be linked for the first time
      // at the bottom of the overflowing stack, and a failed bootstrap breaks that call site for
      // every later test in the JVM.
      AsyncResource<String> resource = new AsyncResource<>() {
        @Override
        public CompletionStage<String> enter() {
          entered.incrementAndGet();
          return CompletableFuture.completedFuture("v");
        }

        @Override
        public CompletionStage<Boolean> exit(Throwable failure) {
          exited.incrementAndGet();
          return CompletableFuture.completedFuture(false);
        }
      };
      AtomicReference<CompletableFuture<Integer>> outermost = new AtomicReference<>();
      onThread(stack, () -> outermost.set(resource.use(v -> recurse(resource))));
      assertTrue(outermost.get().isDone(), "the outermost statement ended, stack " + stack);
      assertTrue(outermost.get().isCompletedExceptionally(), "with the overflow, stack " + stack);
      assertTrue(exited.get() > entered.get() / 2,
          "the enclosing statements exited: " + exited + " of " + entered + ", stack " + stack);
    }
  }

  private static CompletableFuture<Integer> recurse(AsyncResource<String> resource) {
    return resource.use(v -> recurse(resource));
  }
}
