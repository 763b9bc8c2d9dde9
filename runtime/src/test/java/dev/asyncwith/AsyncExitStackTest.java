package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link AsyncExitStack} in Python's terms (contextlib.AsyncExitStack). */
class AsyncExitStackTest {

  private final List<String> log = RecordingResource.newLog();
  private final AsyncExitStack stack = new AsyncExitStack();

  private static CompletionStage<Boolean> done(boolean suppress) {
    return CompletableFuture.completedFuture(suppress);
  }

  private AsyncExit raising(String name, Throwable failure, List<Throwable> seen) {
    return incoming -> {
      log.add(name);
      seen.add(incoming);
      return CompletableFuture.failedFuture(failure);
    };
  }

  @Test
  void enterCompletesWithTheStackItself() {
    assertSame(stack, Await.value(stack.enter()));
  }

  @Test
  void enterContextGivesEntersValueAndUnwindingIsLastInFirstOut() {
    RecordingResource<String> a = new RecordingResource<>("a", "A", log);
    RecordingResource<String> b = new RecordingResource<>("b", "B", log);
    assertEquals("A", Await.value(stack.enterContext(a)));
    stack.callback(() -> {
      log.add("callback");
      return CompletableFuture.completedFuture(null);
    });
    assertEquals("B", Await.value(stack.enterContext(b)));
    stack.push(failure -> {
      log.add("push");
      return done(false);
    });
    assertNull(Await.value(stack.close()));
    assertEquals(List.of("a.enter", "b.enter", "push", "b.exit(null)", "callback", "a.exit(null)"), log);
  }

  @Test
  void asTheResourceOfAStatementItSeesTheBlocksFailure() {
    RecordingResource<String> a = new RecordingResource<>("a", "A", log);
    Exception failure = new Exception("block failed");
    CompletableFuture<String> result = stack.use(s -> s.enterContext(a)
        .thenCompose(value -> CompletableFuture.<String>failedFuture(failure)));
    assertSame(failure, Await.failure(result));
    assertSame(failure, a.exitFailure());
  }

  @Test
  void aPushedExitThatSuppressesMakesTheStatementSucceed() {
    Exception failure = new Exception("block failed");
    CompletableFuture<String> result = stack.use(s -> {
      s.push(incoming -> done(incoming == failure));
      return CompletableFuture.failedFuture(failure);
    });
    assertNull(Await.value(result));
  }

  @Test
  void exitIsTrueWhenAFailureCameInAndNoneRemains() {
    stack.push(incoming -> done(true));
    assertTrue(Await.value(stack.exit(new Exception("in"))));
  }

  @Test
  void exitIsFalseWhenNoFailureCameInEvenIfACallbackSuppressed() {
    stack.push(incoming -> done(true));
    assertFalse(Await.value(stack.exit(null)));
  }

  @Test
  void exitIsFalseWhenTheIncomingFailureStandsUnchanged() {
    List<Throwable> seen = new ArrayList<>();
    stack.push(incoming -> {
      seen.add(incoming);
      return done(false);
    });
    Exception in = new Exception("in");
    assertFalse(Await.value(stack.exit(in)));
    assertEquals(List.of(in), seen);
  }

  @Test
  void aCallbackCannotSuppressEvenIfItsStageCompletesTrue() {
    stack.callback(() -> CompletableFuture.completedFuture(Boolean.TRUE));
    assertFalse(Await.value(stack.exit(new Exception("in"))));
  }

  @Test
  void callbacksBeforeASuppressorSeeNoFailure() {
    List<Throwable> seen = new ArrayList<>();
    stack.push(incoming -> {
      seen.add(incoming);
      return done(false);
    });
    stack.push(incoming -> done(true));
    assertTrue(Await.value(stack.exit(new Exception("in"))));
    assertEquals(1, seen.size());
    assertNull(seen.get(0));
  }

  @Test
  void aRaisingCallbackReplacesTheFailureWithThePreviousAttached() {
    List<Throwable> seen = new ArrayList<>();
    Exception in = new Exception("in");
    IllegalStateException raised = new IllegalStateException("raised");
    stack.push(incoming -> {
      seen.add(incoming);
      return done(false);
    });
    stack.push(raising("raiser", raised, new ArrayList<>()));
    assertSame(raised, Await.failure(stack.exit(in)));
    assertEquals(List.of(raised), seen, "the earlier callback sees the new failure");
    assertArrayEquals(new Throwable[] {in}, raised.getSuppressed());
  }

  @Test
  void aRaisedFailureThatAnEarlierCallbackSuppressesLeavesNothing() {
    stack.push(incoming -> done(true));
    stack.push(raising("raiser", new IllegalStateException("raised"), new ArrayList<>()));
    assertTrue(Await.value(stack.exit(new Exception("in"))));
  }

  @Test
  void raisedFailuresWithoutAnIncomingOneAreChainedNotDroppedUnlikeCpython102201() {
    IllegalStateException first = new IllegalStateException("raised first (pushed last)");
    IllegalArgumentException second = new IllegalArgumentException("raised second (pushed first)");
    stack.push(raising("second", second, new ArrayList<>()));
    stack.push(raising("first", first, new ArrayList<>()));
    assertSame(second, Await.failure(stack.close()));
    assertArrayEquals(new Throwable[] {first}, second.getSuppressed());
  }

  /** Python's T33/T48 walk-through: IndexError -> KeyError -> AttributeError, nothing further. */
  @Test
  void pythonsReferenceChainingExample() {
    Exception zde = new ArithmeticException("ZeroDivisionError");
    RuntimeException indexError = new IndexOutOfBoundsException("IndexError");
    RuntimeException keyError = new IllegalArgumentException("KeyError");
    RuntimeException attributeError = new IllegalStateException("AttributeError");
    RuntimeException valueError = new NumberFormatException("ValueError");
    List<Throwable> seenBySuppressor = new ArrayList<>();
    stack.push(raising("IndexError", indexError, new ArrayList<>()));
    stack.push(raising("KeyError", keyError, new ArrayList<>()));
    stack.push(raising("AttributeError", attributeError, new ArrayList<>()));
    stack.push(incoming -> {
      seenBySuppressor.add(incoming);
      return done(true);
    });
    stack.push(raising("ValueError", valueError, new ArrayList<>()));
    assertSame(indexError, Await.failure(stack.exit(zde)));
    assertArrayEquals(new Throwable[] {keyError}, indexError.getSuppressed());
    assertArrayEquals(new Throwable[] {attributeError}, keyError.getSuppressed());
    assertEquals(0, attributeError.getSuppressed().length);
    assertEquals(List.of(valueError), seenBySuppressor);
    assertArrayEquals(new Throwable[] {zde}, valueError.getSuppressed());
  }

  @Test
  void aCallbackReRaisingTheIncomingFailureAttachesNothing() {
    Exception in = new Exception("in");
    stack.push(incoming -> CompletableFuture.failedFuture(incoming));
    assertSame(in, Await.failure(stack.exit(in)));
    assertEquals(0, in.getSuppressed().length);
  }

  @Test
  void aRaisedFailureThatTheFailureItWasGivenAlreadyReachesIsNotAttachedSoNoCycleForms() {
    Exception in = new Exception("in");
    IllegalStateException closeFailed = new IllegalStateException("close failed");
    // try-with-resources style: the callback adds its own failure to the one it was given.
    stack.push(incoming -> {
      incoming.addSuppressed(closeFailed);
      return CompletableFuture.failedFuture(closeFailed);
    });
    assertSame(closeFailed, Await.failure(stack.exit(in)));
    assertEquals(0, closeFailed.getSuppressed().length, "attaching 'in' would close a cycle");
    assertArrayEquals(new Throwable[] {closeFailed}, in.getSuppressed());
  }

  @Test
  void aCycleIsAvoidedEvenThroughAFailureDeepInTheChain() {
    Exception root = new Exception("root");
    IllegalStateException first = new IllegalStateException("first");
    IllegalArgumentException second = new IllegalArgumentException("second");
    stack.push(incoming -> {
      root.addSuppressed(second); // reaches the new failure through the oldest one in the chain
      return CompletableFuture.failedFuture(second);
    });
    stack.push(incoming -> CompletableFuture.failedFuture(first));
    assertSame(second, Await.failure(stack.exit(root)));
    assertArrayEquals(new Throwable[] {root}, first.getSuppressed());
    assertEquals(0, second.getSuppressed().length, "first reaches second through root: no cycle");
  }

  @Test
  void throwsAndNullStagesRaiseLikeFailedStages() {
    IllegalStateException thrown = new IllegalStateException("thrown");
    stack.callback(() -> null);
    stack.push(incoming -> {
      throw thrown;
    });
    Throwable failure = Await.failure(stack.close());
    assertInstanceOf(NullPointerException.class, failure);
    assertArrayEquals(new Throwable[] {thrown}, failure.getSuppressed());
  }

  @Test
  void everyCallbackRunsEvenWhenSomeRaise() {
    AtomicInteger runs = new AtomicInteger();
    for (int i = 0; i < 5; i++) {
      stack.callback(() -> {
        runs.incrementAndGet();
        return CompletableFuture.failedFuture(new Exception("raised"));
      });
    }
    assertInstanceOf(Exception.class, Await.failure(stack.close()));
    assertEquals(5, runs.get());
  }

  @Test
  void enterContextPushesOnlyAfterEnterSucceeded() {
    Exception failure = new Exception("enter failed");
    RecordingResource<String> bad = new RecordingResource<>("bad", "B", log).enterFails(failure);
    assertSame(failure, Await.failure(stack.enterContext(bad)));
    Await.value(stack.close());
    assertEquals(0, bad.exits.get());
  }

  @Test
  void enterContextWithAPendingEnterPushesWhenItCompletes() {
    RecordingResource<String> slow = new RecordingResource<>("slow", "S", log).pendingEnter();
    CompletionStage<String> entered = stack.enterContext(slow);
    AtomicReference<AsyncExitStack> moved = new AtomicReference<>();
    CompletionStage<String> afterwards = entered.whenComplete((v, x) -> moved.set(stack.popAll()));
    slow.enterStage.complete("S");
    assertEquals("S", Await.value(afterwards));
    Await.value(moved.get().close());
    assertEquals(1, slow.exits.get(), "pushed before the returned stage completed");
  }

  @Test
  void enterContextWithAPendingEnterThatFailsPushesNothing() {
    RecordingResource<String> slow = new RecordingResource<>("slow", "S", log).pendingEnter();
    CompletionStage<String> entered = stack.enterContext(slow);
    Exception failure = new Exception("late enter failure");
    slow.enterStage.completeExceptionally(failure);
    assertSame(failure, Await.failure(entered));
    Await.value(stack.close());
    assertEquals(0, slow.exits.get());
  }

  @Test
  void popAllMovesEveryCallbackToANewStack() {
    RecordingResource<String> a = new RecordingResource<>("a", "A", log);
    Await.value(stack.enterContext(a));
    AsyncExitStack moved = stack.popAll();
    Await.value(stack.close());
    assertEquals(0, a.exits.get());
    Await.value(moved.close());
    assertEquals(1, a.exits.get());
  }

  @Test
  void aClosedStackIsEmptyAndMayBeUsedAgain() {
    RecordingResource<String> a = new RecordingResource<>("a", "A", log);
    Await.value(stack.enterContext(a));
    Await.value(stack.close());
    Await.value(stack.close());
    assertEquals(1, a.exits.get());
    Await.value(stack.enterContext(a));
    Await.value(stack.close());
    assertEquals(2, a.exits.get());
  }

  @Test
  void aCallbackPushedDuringUnwindingAlsoRuns() {
    stack.callback(() -> {
      log.add("pushed during unwinding");
      return CompletableFuture.completedFuture(null);
    });
    stack.callback(() -> {
      log.add("first");
      stack.callback(() -> {
        log.add("late");
        return CompletableFuture.completedFuture(null);
      });
      return CompletableFuture.completedFuture(null);
    });
    Await.value(stack.close());
    assertEquals(List.of("first", "late", "pushed during unwinding"), log);
  }

  @Test
  void aPendingExitResumesTheUnwindingOnTheThreadThatCompletesIt() throws Exception {
    RecordingResource<String> first = new RecordingResource<>("first", "1", log);
    RecordingResource<String> second = new RecordingResource<>("second", "2", log).pendingExit();
    Await.value(stack.enterContext(first));
    Await.value(stack.enterContext(second));
    CompletionStage<Void> closed = stack.close();
    assertEquals(0, first.exits.get());
    Thread completer = new Thread(() -> second.exitStage.complete(false), "completer");
    completer.start();
    completer.join(Await.SECONDS * 1000);
    Await.value(closed);
    assertSame(completer, first.exitThread);
  }

  @Test
  void anUnwindingThatNeverWaitedEndsWithASharedStage() {
    assertSame(Stages.FALSE, stack.exit(null));
    stack.push(failure -> done(true));
    assertSame(Stages.TRUE, stack.exit(new Exception("block")));
    stack.callback(() -> CompletableFuture.completedFuture("ignored"));
    assertSame(Stages.completedNull(), stack.close());
    // A pending callback makes a stage of its own, completed once the loop ends.
    CompletableFuture<Boolean> pending = new CompletableFuture<>();
    stack.push(failure -> pending);
    CompletionStage<Boolean> exited = stack.exit(null);
    assertFalse(exited.toCompletableFuture().isDone());
    pending.complete(true);
    assertFalse(Await.value(exited));
  }

  @Test
  void aHundredThousandSynchronousResourcesUnwindWithoutStackOverflow() {
    AtomicInteger exits = new AtomicInteger();
    AsyncResource<Integer> resource = new AsyncResource<>() {
      @Override
      public CompletionStage<Integer> enter() {
        return CompletableFuture.completedFuture(1);
      }

      @Override
      public CompletionStage<Boolean> exit(Throwable failure) {
        exits.incrementAndGet();
        return CompletableFuture.completedFuture(false);
      }
    };
    for (int i = 0; i < 100_000; i++) {
      stack.enterContext(resource);
    }
    ThreadsAndStackRuleTest.onThread(256 * 1024, () -> Await.value(stack.close()));
    assertEquals(100_000, exits.get());
  }

  @Test
  void aHundredThousandStagesDeliveredDuringAttachmentUnwindWithoutStackOverflow() {
    AtomicInteger runs = new AtomicInteger();
    for (int i = 0; i < 100_000; i++) {
      // A minimal stage runs whenComplete's action at once, inside the call.
      stack.push(failure -> {
        runs.incrementAndGet();
        return CompletableFuture.completedStage(Boolean.FALSE);
      });
    }
    ThreadsAndStackRuleTest.onThread(256 * 1024, () -> Await.value(stack.close()));
    assertEquals(100_000, runs.get());
  }

  @Test
  void manyRaisingCallbacksAreAllChained() {
    int count = 1_000;
    for (int i = 0; i < count; i++) {
      stack.callback(() -> CompletableFuture.failedFuture(new Exception("raised")));
    }
    Throwable failure = Await.failure(stack.close());
    int chained = 1;
    for (Throwable next = failure; next.getSuppressed().length == 1; next = next.getSuppressed()[0]) {
      chained++;
    }
    assertEquals(count, chained);
  }
}
