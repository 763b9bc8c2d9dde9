package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A second reader's reproductions where issue 10 (reliability), issue 11 ({@code call}) and issue
 * 12 (the task group) meet. Each test states the rule it checks (docs/RULES.md).
 */
class ReviewFindingsTest {

  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private Thread.UncaughtExceptionHandler previousDefault;

  @BeforeEach
  void recordUncaught() {
    previousDefault = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> uncaught.add(failure));
  }

  @AfterEach
  void restore() {
    Thread.setDefaultUncaughtExceptionHandler(previousDefault);
  }

  /** A resource whose exit is given by a function; counts enters and exits. */
  static final class Scripted<T> implements AsyncResource<T> {
    final AtomicInteger enters = new AtomicInteger();
    final AtomicInteger exits = new AtomicInteger();
    final List<Throwable> exitSaw = new CopyOnWriteArrayList<>();
    private final CompletionStage<T> entering;
    private final Function<Throwable, CompletionStage<Boolean>> exit;

    Scripted(CompletionStage<T> entering, Function<Throwable, CompletionStage<Boolean>> exit) {
      this.entering = entering;
      this.exit = exit;
    }

    @Override
    public CompletionStage<T> enter() {
      enters.incrementAndGet();
      return entering;
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      exits.incrementAndGet();
      exitSaw.add(failure);
      return exit.apply(failure);
    }
  }

  // -----------------------------------------------------------------------------------------------

  /** The late enterContext (issue 10) against the stack's other operations. */
  @Nested
  class LateEnterContext {

    /**
     * Exit stack: popAll moves every callback to a new stack. A pending enterContext that completes
     * after popAll pushes onto the old stack, which the moved-from block then releases: ownership
     * was meant to go with popAll (Python cannot get here, as enter_async_context is awaited).
     * Reported as a question, not a rule break.
     */
    @Test
    void aLateEnterAfterPopAllGoesWithTheMovedCallbacks() {
      CompletableFuture<String> entering = new CompletableFuture<>();
      Scripted<String> late = new Scripted<>(entering, failure -> Stages.FALSE);
      AsyncExitStack stack = new AsyncExitStack();
      CompletionStage<String> entered = stack.enterContext(late);
      AsyncExitStack moved = stack.popAll();
      entering.complete("late");
      assertEquals("late", Await.value(entered));
      Await.value(stack.close());
      assertEquals(0, late.exits.get(), "released by the stack it was moved away from");
      Await.value(moved.close());
      assertEquals(1, late.exits.get());
    }

    /**
     * Rule 6 (issue 10): "Only what no statement can still receive goes to the uncaught-exception
     * handler". A late enterContext completing while the stack's unwinding is still running (an
     * earlier-pushed exit pending) is exited at once, and its exit's failure goes to the uncaught
     * handler, although the unwinding that is still running could carry it: close() completes
     * normally.
     */
    @Test
    void aLateEntersExitFailureDuringAPendingUnwindingReachesTheUnwinding() {
      IllegalStateException teardown = new IllegalStateException("late teardown");
      CompletableFuture<String> entering = new CompletableFuture<>();
      Scripted<String> late =
          new Scripted<>(entering, failure -> CompletableFuture.failedFuture(teardown));
      CompletableFuture<Void> gate = new CompletableFuture<>();
      AsyncExitStack stack = new AsyncExitStack();
      stack.callback(() -> gate);
      stack.enterContext(late);
      CompletionStage<Void> closed = stack.close();
      Await.pending(closed);
      entering.complete("late");
      assertEquals(1, late.exits.get(), "exited at once");
      gate.complete(null);
      Throwable outcome;
      try {
        outcome = Await.failure(closed);
      } catch (AssertionError completedNormally) {
        throw new AssertionError(
            "close completed normally; the late teardown failure went to the uncaught handler: "
                + uncaught,
            completedNormally);
      }
      assertSame(teardown, outcome);
    }

    /**
     * Exit stack: "one logical flow pushes at a time". A late enterContext pushes from the thread
     * that completes enter, while the owning flow, which did not wait, keeps pushing: the
     * ArrayDeque is mutated from two threads and a callback can be lost (never released).
     */
    @Test
    void aLatePushRacingTheOwnersPushesLosesNothing() throws Exception {
      for (int round = 0; round < 300; round++) {
        AsyncExitStack stack = new AsyncExitStack();
        int late = 64;
        List<CompletableFuture<String>> enterings = new ArrayList<>();
        List<Scripted<String>> resources = new ArrayList<>();
        for (int i = 0; i < late; i++) {
          CompletableFuture<String> entering = new CompletableFuture<>();
          enterings.add(entering);
          Scripted<String> resource = new Scripted<>(entering, failure -> Stages.FALSE);
          resources.add(resource);
          stack.enterContext(resource);
        }
        AtomicInteger callbacks = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Thread completer =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  enterings.forEach(e -> e.complete("v"));
                });
        completer.start();
        go.countDown();
        int own = 2_000;
        for (int i = 0; i < own; i++) {
          stack.callback(
              () -> {
                callbacks.incrementAndGet();
                return Stages.completedNull();
              });
        }
        completer.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
        try {
          Await.value(stack.close());
        } catch (AssertionError | RuntimeException broken) {
          throw new AssertionError("round " + round + ": the stack broke", broken);
        }
        int released = 0;
        for (Scripted<String> resource : resources) {
          released += resource.exits.get();
        }
        int ran = callbacks.get();
        assertEquals(
            late + own,
            released + ran,
            "round " + round + ": late resources released " + released + " of " + late
                + ", own callbacks run " + ran + " of " + own);
      }
    }
  }
}
