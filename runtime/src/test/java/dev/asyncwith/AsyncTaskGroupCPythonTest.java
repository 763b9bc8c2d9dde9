package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Ports of CPython's {@code Lib/test/test_asyncio/test_taskgroups.py}, each named after the case it
 * ports, where the case makes sense without {@code ExceptionGroup}: Java reports the first failure
 * with the others attached by {@code addSuppressed}. Python's sleeps become futures the test
 * completes by hand, so the order of events is fixed rather than timed.
 */
class AsyncTaskGroupCPythonTest {

  /** Python's {@code MyExc}. */
  static final class MyExc extends Exception {
    private static final long serialVersionUID = 1L;

    MyExc(String message) {
      super(message);
    }
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /** A stage that counts its cancel, like a coroutine that catches CancelledError and re-raises. */
  private static <T> CompletableFuture<T> countsItsCancel(AtomicInteger cancels) {
    CompletableFuture<T> stage = new CompletableFuture<>();
    stage.whenComplete((v, failure) -> {
      if (failure instanceof CancellationException) {
        cancels.incrementAndGet();
      }
    });
    return stage;
  }

  @Test
  void test_taskgroup_01() {
    AtomicReference<CompletableFuture<Integer>> t1 = new AtomicReference<>();
    AtomicReference<CompletableFuture<Integer>> t2 = new AtomicReference<>();
    CompletableFuture<Integer> foo1 = new CompletableFuture<>();
    CompletableFuture<Integer> foo2 = new CompletableFuture<>();
    CompletableFuture<Object> result = new AsyncTaskGroup().use(g -> {
      t1.set(g.spawn(() -> foo1));
      t2.set(g.spawn(() -> foo2));
      return done(null);
    });
    foo1.complete(42);
    Await.pending(result);
    foo2.complete(11);
    Await.value(result);
    assertEquals(42, t1.get().getNow(null));
    assertEquals(11, t2.get().getNow(null));
  }

  @Test
  void test_taskgroup_03() {
    // Cancelling a child by hand is not a failure: everything else goes on.
    CompletableFuture<Integer> foo1 = new CompletableFuture<>();
    CompletableFuture<Integer> foo2 = new CompletableFuture<>();
    CompletableFuture<Void> sleep = new CompletableFuture<>();
    AtomicReference<CompletableFuture<Integer>> t1 = new AtomicReference<>();
    AtomicReference<CompletableFuture<Integer>> t2 = new AtomicReference<>();
    CompletableFuture<Object> result = new AsyncTaskGroup().use(g -> {
      t1.set(g.spawn(() -> foo1));
      return sleep.thenApply(v -> {
        t1.get().cancel(true);
        t2.set(g.spawn(() -> foo2));
        return null;
      });
    });
    sleep.complete(null);
    foo2.complete(11);
    Await.value(result);
    assertTrue(t1.get().isCancelled());
    assertTrue(foo1.isCancelled());
    assertEquals(11, t2.get().getNow(null));
  }

  @Test
  void test_taskgroup_04() {
    ArithmeticException zeroDivision = new ArithmeticException("/ by zero");
    AtomicInteger t2Cancels = new AtomicInteger();
    AtomicInteger num = new AtomicInteger();
    CompletableFuture<Void> foo1 = new CompletableFuture<>();
    CompletableFuture<Void> foo2 = countsItsCancel(t2Cancels);
    AtomicReference<CompletableFuture<Void>> t2 = new AtomicReference<>();
    CompletableFuture<Object> runner = new AsyncTaskGroup()
        .use(g -> {
          g.spawn(() -> foo1);
          t2.set(g.spawn(() -> foo2));
          return done(null);
        })
        .thenApply(v -> num.addAndGet(10));
    foo1.completeExceptionally(zeroDivision);
    assertSame(zeroDivision, Failures.unwrap(Await.failure(runner)));
    assertEquals(0, num.get());
    assertEquals(1, t2Cancels.get());
    assertTrue(t2.get().isCancelled());
  }

  @Test
  void test_cancel_children_on_child_error() {
    ArithmeticException zeroDivision = new ArithmeticException("/ by zero");
    AtomicInteger t2Cancels = new AtomicInteger();
    AtomicInteger runnerCancels = new AtomicInteger();
    CompletableFuture<Void> foo1 = new CompletableFuture<>();
    CompletableFuture<Void> foo2 = countsItsCancel(t2Cancels);
    CompletableFuture<Object> sleep = countsItsCancel(runnerCancels);
    AtomicInteger num = new AtomicInteger();
    CompletableFuture<Object> runner = new AsyncTaskGroup()
        .use(g -> {
          g.spawn(() -> foo1);
          g.spawn(() -> foo1);
          g.spawn(() -> foo1);
          g.spawn(() -> foo2);
          return sleep;
        })
        .thenApply(v -> num.addAndGet(10));
    foo1.completeExceptionally(zeroDivision);
    Throwable failure = Failures.unwrap(Await.failure(runner));
    assertSame(zeroDivision, failure);
    assertArrayEquals(new Throwable[0], failure.getSuppressed(), "one object, reported once");
    assertEquals(0, num.get());
    assertEquals(1, t2Cancels.get());
    assertEquals(1, runnerCancels.get(), "the block is cancelled by the child's failure");
  }

  @Test
  void test_cancellation() {
    AtomicInteger cancels = new AtomicInteger();
    CompletableFuture<Object> r = new AsyncTaskGroup().use(g -> {
      for (int i = 0; i < 5; i++) {
        g.spawn(() -> countsItsCancel(cancels));
      }
      return done(null);
    });
    assertFalse(r.isDone());
    r.cancel(true);
    assertInstanceOf(CancellationException.class, Await.failure(r));
    assertEquals(5, cancels.get());
  }

  @Test
  void test_taskgroup_07() {
    AtomicInteger cancels = new AtomicInteger();
    CompletableFuture<Object> r = new AsyncTaskGroup().use(g -> {
      for (int i = 0; i < 5; i++) {
        g.spawn(() -> countsItsCancel(cancels));
      }
      CompletableFuture<Object> sleep = new CompletableFuture<>();
      sleep.whenComplete((v, failure) -> cancels.addAndGet(10));
      return sleep;
    });
    r.cancel(true);
    assertInstanceOf(CancellationException.class, Await.failure(r));
    assertEquals(15, cancels.get());
  }

  @Test
  void test_taskgroup_09() {
    ArithmeticException zeroDivision = new ArithmeticException("/ by zero");
    CompletableFuture<Integer> foo1 = new CompletableFuture<>();
    CompletableFuture<Integer> foo2 = new CompletableFuture<>();
    CompletableFuture<Void> sleep = new CompletableFuture<>();
    AtomicReference<CompletableFuture<Integer>> t1 = new AtomicReference<>();
    AtomicReference<CompletableFuture<Integer>> t2 = new AtomicReference<>();
    CompletableFuture<Object> runner = new AsyncTaskGroup().use(g -> {
      t1.set(g.spawn(() -> foo1));
      t2.set(g.spawn(() -> foo2));
      return sleep.thenApply(v -> {
        throw zeroDivision;
      });
    });
    sleep.complete(null);
    assertSame(zeroDivision, Await.failure(runner));
    assertTrue(t1.get().isCancelled());
    assertTrue(t2.get().isCancelled());
  }

  @Test
  void test_taskgroup_10() {
    ArithmeticException zeroDivision = new ArithmeticException("/ by zero");
    AtomicReference<CompletableFuture<Integer>> t1 = new AtomicReference<>();
    AtomicReference<CompletableFuture<Integer>> t2 = new AtomicReference<>();
    CompletableFuture<Object> runner = new AsyncTaskGroup().use(g -> {
      t1.set(g.spawn(CompletableFuture::new));
      t2.set(g.spawn(CompletableFuture::new));
      throw zeroDivision;
    });
    assertSame(zeroDivision, Await.failure(runner));
    assertTrue(t1.get().isCancelled());
    assertTrue(t2.get().isCancelled());
  }

  @Test
  void test_taskgroup_13() {
    // The outer group's child fails first: the inner statement (the outer block) is cancelled,
    // the inner group cancels its own child, and the outcome is the outer child's failure.
    IllegalArgumentException crashSoon = new IllegalArgumentException("0.1");
    CompletableFuture<Void> soon = new CompletableFuture<>();
    CompletableFuture<Void> late = new CompletableFuture<>();
    CompletableFuture<Object> r = new AsyncTaskGroup().use(g1 -> {
      g1.spawn(() -> soon);
      return new AsyncTaskGroup().use(g2 -> {
        g2.spawn(() -> late);
        return done(null);
      });
    });
    soon.completeExceptionally(crashSoon);
    assertSame(crashSoon, Await.failure(r));
    assertTrue(late.isCancelled());
  }

  @Test
  void test_taskgroup_14() {
    // The inner group's child fails first: the inner group fails with it, which fails the outer
    // block, which cancels the outer group's child.
    IllegalArgumentException crashSoon = new IllegalArgumentException("0.1");
    CompletableFuture<Void> soon = new CompletableFuture<>();
    CompletableFuture<Void> late = new CompletableFuture<>();
    CompletableFuture<Object> r = new AsyncTaskGroup().use(g1 -> {
      g1.spawn(() -> late);
      return new AsyncTaskGroup().use(g2 -> {
        g2.spawn(() -> soon);
        return done(null);
      });
    });
    soon.completeExceptionally(crashSoon);
    assertSame(crashSoon, Await.failure(r));
    assertTrue(late.isCancelled());
  }

  @Test
  void test_taskgroup_18() {
    // The block, cancelled from outside, raises MyExc instead. Python re-raises it from the
    // awaited task; in Java the cancelled result has already completed (rule 6), so MyExc goes to
    // the uncaught-exception handler, never silently away.
    MyExc myExc = new MyExc("raised on cancel");
    CompletableFuture<Object> source = new CompletableFuture<>();
    try (Await.Uncaught uncaught = new Await.Uncaught()) {
      CompletableFuture<Object> r = new AsyncTaskGroup().use(g -> source.minimalCompletionStage());
      r.cancel(true);
      assertTrue(r.isCancelled());
      source.completeExceptionally(myExc);
      uncaught.assertOnly(myExc);
    }
  }

  @Test
  void test_taskgroup_19() {
    // A failure raised during the cancellation the group caused: the child's failure comes first,
    // the block's MyExc is attached to it.
    ArithmeticException zeroDivision = new ArithmeticException("/ by zero");
    MyExc myExc = new MyExc("finally");
    CompletableFuture<Void> crashSoon = new CompletableFuture<>();
    CompletableFuture<Object> nested = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        return completeExceptionally(myExc); // try: sleep(10) finally: raise MyExc
      }
    };
    CompletableFuture<Object> r = new AsyncTaskGroup().use(g -> {
      g.spawn(() -> crashSoon);
      return nested;
    });
    crashSoon.completeExceptionally(zeroDivision);
    assertSame(zeroDivision, Await.failure(r));
    assertArrayEquals(new Throwable[] {myExc}, zeroDivision.getSuppressed());
  }

  @Test
  void test_taskgroup_22() {
    CompletableFuture<Object> r = new AsyncTaskGroup().use(g -> {
      g.spawn(CompletableFuture::new);
      g.spawn(CompletableFuture::new);
      return done(null);
    });
    r.cancel(true);
    assertInstanceOf(CancellationException.class, Await.failure(r));
  }

  @Test
  void test_taskgroup_24() {
    // A child spawns more children after the block has ended, while the group waits in exit.
    CompletableFuture<Void> rootSleep = new CompletableFuture<>();
    CompletableFuture<Void> coro1 = new CompletableFuture<>();
    CompletableFuture<Void> coro2 = new CompletableFuture<>();
    CompletableFuture<Object> runner = new AsyncTaskGroup().use(g -> {
      g.spawn(() -> rootSleep.thenRun(() -> {
        g.spawn(() -> coro1);
        g.spawn(() -> coro2);
      }));
      return done(null);
    });
    rootSleep.complete(null);
    coro1.complete(null);
    Await.pending(runner);
    coro2.complete(null);
    Await.value(runner);
  }

  @Test
  void test_taskgroup_25() {
    // Hydras keep spawning two more while the group exits; Hercules fails once there are ten.
    ArithmeticException zeroDivision = new ArithmeticException("/ by zero");
    AtomicInteger hydras = new AtomicInteger();
    Executor soon = CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS);
    AsyncTaskGroup group = new AsyncTaskGroup();
    CompletableFuture<Object> runner = group.use(g -> {
      g.spawn(() -> hydra(g, hydras, soon));
      g.spawn(() -> hercules(hydras, zeroDivision));
      return done(null);
    });
    assertSame(zeroDivision, Await.failure(runner));
    assertTrue(hydras.get() >= 10, "hydras: " + hydras.get());
  }

  private static CompletableFuture<Void> hydra(AsyncTaskGroup g, AtomicInteger hydras, Executor soon) {
    hydras.incrementAndGet();
    return CompletableFuture.runAsync(() -> {}, soon).thenRun(() -> {
      g.spawn(() -> hydra(g, hydras, soon));
      g.spawn(() -> hydra(g, hydras, soon));
    });
  }

  private static CompletableFuture<Void> hercules(AtomicInteger hydras, ArithmeticException failure) {
    Executor soon = CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS);
    return CompletableFuture.runAsync(() -> {}, soon).thenCompose(v -> hydras.get() < 10
        ? hercules(hydras, failure)
        : CompletableFuture.failedFuture(failure));
  }

  @Test
  void test_taskgroup_no_create_task_after_failure() {
    // Python refuses create_task once the group is shutting down. Here spawn calls the task (G1)
    // and the group cancels the new child at once (G3); it is not a failure.
    ArithmeticException zeroDivision = new ArithmeticException("/ by zero");
    CompletableFuture<Void> coro1 = new CompletableFuture<>();
    AtomicReference<CompletableFuture<Void>> late = new AtomicReference<>();
    AtomicReference<CompletableFuture<Void>> lateStage = new AtomicReference<>();
    CompletableFuture<Object> result = new AsyncTaskGroup().use(g -> {
      g.spawn(() -> coro1);
      CompletableFuture<Void> coro2 = new CompletableFuture<>();
      coro2.whenComplete((v, cancelled) -> late.set(g.spawn(() -> {
        lateStage.set(new CompletableFuture<>());
        return lateStage.get();
      })));
      g.spawn(() -> coro2);
      return done(null);
    });
    coro1.completeExceptionally(zeroDivision);
    assertSame(zeroDivision, Await.failure(result));
    assertArrayEquals(new Throwable[0], zeroDivision.getSuppressed());
    assertTrue(lateStage.get().isCancelled());
    assertTrue(late.get().isCancelled());
  }

  @Test
  void test_cancels_task_if_created_during_creation() {
    // gh-128550: a child whose own child fails while it is being created is cancelled.
    IllegalStateException myError = new IllegalStateException("third task failed");
    AtomicBoolean secondCancelled = new AtomicBoolean();
    CompletableFuture<Object> result = new AsyncTaskGroup().use(tg -> {
      tg.spawn(() -> {
        tg.spawn(() -> CompletableFuture.failedFuture(myError));
        CompletableFuture<Void> sleep = new CompletableFuture<>();
        sleep.whenComplete((v, f) -> secondCancelled.set(f instanceof CancellationException));
        return sleep;
      });
      return done(null);
    });
    assertSame(myError, Await.failure(result));
    assertTrue(secondCancelled.get());
  }

  @Test
  void test_taskgroup_not_entered() {
    AsyncTaskGroup tg = new AsyncTaskGroup();
    Throwable failure = Failures.unwrap(Await.failure(tg.spawn(() -> done(null))));
    assertInstanceOf(IllegalStateException.class, failure);
    assertTrue(failure.getMessage().contains("before the task group was entered"), failure.getMessage());
  }

  @Test
  void test_taskgroup_finished() {
    AsyncTaskGroup tg = new AsyncTaskGroup();
    Await.value(tg.use(g -> done(null)));
    AtomicBoolean called = new AtomicBoolean();
    Throwable failure = Failures.unwrap(Await.failure(tg.spawn(() -> {
      called.set(true);
      return done(null);
    })));
    assertInstanceOf(IllegalStateException.class, failure);
    assertTrue(failure.getMessage().contains("finished"), failure.getMessage());
    assertFalse(called.get(), "the task, Python's coroutine, is never started");
  }

  @Test
  void test_taskgroup_already_entered() {
    AsyncTaskGroup tg = new AsyncTaskGroup();
    CompletableFuture<Object> outer = tg.use(g -> tg.use(again -> done(null)));
    Throwable failure = Await.failure(outer);
    assertInstanceOf(IllegalStateException.class, failure);
    assertTrue(failure.getMessage().contains("already entered"), failure.getMessage());
  }

  @Test
  void test_taskgroup_double_enter() {
    AsyncTaskGroup tg = new AsyncTaskGroup();
    Await.value(tg.use(g -> done(null)));
    Throwable failure = Await.failure(tg.use(g -> done(null)));
    assertInstanceOf(IllegalStateException.class, failure);
    assertTrue(failure.getMessage().contains("already entered"), failure.getMessage());
  }

  @Test
  void test_taskgroup_context_manager_exit_raises() {
    // gh-95289: a resource inside the group whose exit raises while the group cancels the block.
    // Python reports both in its ExceptionGroup. Here the group cancels the block's statement;
    // that statement's teardown failure is the block's failure as the group's exit sees it (rule
    // 6: a cancel sent down by an enclosing statement does not make it unseen), so the group's
    // outcome is the child's failure with the exit's attached (G5): both reported, neither lost,
    // nothing left for the uncaught-exception handler.
    IllegalStateException childFailure = new IllegalStateException("raise_exc");
    IllegalStateException exitFailure = new IllegalStateException("database exit");
    RecordingResource<String> database = RecordingResource.named("database");
    database.exitFails(exitFailure);
    CompletableFuture<Void> raiseExc = new CompletableFuture<>();
    try (Await.Uncaught uncaught = new Await.Uncaught()) {
      CompletableFuture<Object> result = new AsyncTaskGroup().use(tg ->
          database.use(db -> {
            tg.spawn(() -> raiseExc);
            return new CompletableFuture<>();
          }));
      raiseExc.completeExceptionally(childFailure);
      assertSame(childFailure, Await.failure(result));
      assertTrue(List.of(childFailure.getSuppressed()).contains(exitFailure),
          "the exit's failure is attached to the child's: " + List.of(childFailure.getSuppressed()));
      uncaught.assertNone();
    }
  }
}
