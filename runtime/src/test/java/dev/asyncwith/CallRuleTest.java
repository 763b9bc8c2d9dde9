package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Rules S1 to S3 and S6 of the synchronous statement {@code call} on hand-written resources
 * ({@code docs/RULES.md}, "The synchronous statement {@code call}"), with rules 1 to 5 and 8 read
 * as "call returns / throws".
 */
class CallRuleTest {

  /** A checked exception, to show that call throws it as itself. */
  static final class Checked extends Exception {
    private static final long serialVersionUID = 1L;

    Checked(String message) {
      super(message);
    }
  }

  /** A Throwable that is neither an Exception nor an Error. */
  static final class Bare extends Throwable {
    private static final long serialVersionUID = 1L;

    Bare(String message) {
      super(message);
    }
  }

  // S1 with rules 1 to 5.

  @Test
  void returnsTheBlocksValueAfterTeardownWithTheBlockOnTheCallingThread() throws Exception {
    RecordingResource<String> resource = RecordingResource.named("r");
    Thread caller = Thread.currentThread();
    AtomicReference<Thread> blockThread = new AtomicReference<>();
    String result =
        resource.call(
            value -> {
              blockThread.set(Thread.currentThread());
              assertEquals(0, resource.exits.get(), "the block runs before teardown");
              return value + "!";
            });
    assertEquals("r-value!", result);
    assertSame(caller, blockThread.get());
    assertEquals(1, resource.enters.get());
    assertEquals(1, resource.exits.get());
    assertSame(RecordingResource.NORMAL, resource.exitFailures.get(0));
  }

  @Test
  void aNullValueFromTheBlockIsAValue() throws Exception {
    RecordingResource<String> resource = RecordingResource.named("r");
    assertNull(resource.call(value -> null));
    assertSame(RecordingResource.NORMAL, resource.exitFailures.get(0));
  }

  @Test
  void enterFailingIsThrownAsItselfAndNothingRunsOrExits() {
    Checked failure = new Checked("enter");
    RecordingResource<String> resource = RecordingResource.named("r").enterFails(failure);
    boolean[] ran = {false};
    Checked thrown =
        assertThrows(Checked.class, () -> resource.call(value -> ran[0] = true));
    assertSame(failure, thrown);
    assertFalse(ran[0]);
    assertEquals(0, resource.exits.get());
  }

  @Test
  void enterThrowingOrReturningNullIsAFailedEnter() {
    IllegalStateException failure = new IllegalStateException("enter threw");
    RecordingResource<String> throwing =
        RecordingResource.named("r")
            .onEnter(
                () -> {
                  throw failure;
                });
    assertSame(failure, assertThrows(IllegalStateException.class, () -> throwing.call(v -> v)));
    assertEquals(0, throwing.exits.get());

    RecordingResource<String> returningNull = RecordingResource.named("r").onEnter(() -> null);
    NullPointerException npe =
        assertThrows(NullPointerException.class, () -> returningNull.call(v -> v));
    Generators.assertMentions(npe, RecordingResource.class.getName(), "enter()");
    assertEquals(0, returningNull.exits.get());
  }

  @Test
  void aCheckedBlockFailureReachesExitAndIsThrownAsItself() {
    RecordingResource<String> resource = RecordingResource.named("r");
    Checked failure = new Checked("block");
    Checked thrown =
        assertThrows(
            Checked.class,
            () ->
                resource.call(
                    value -> {
                      throw failure;
                    }));
    assertSame(failure, thrown);
    assertSame(failure, resource.exitFailures.get(0));
  }

  @Test
  void anErrorAndABareThrowableAreThrownAsThemselves() {
    AssertionError error = new AssertionError("block");
    RecordingResource<String> first = RecordingResource.named("r");
    assertSame(
        error,
        assertThrows(
            AssertionError.class,
            () ->
                first.call(
                    value -> {
                      throw error;
                    })));

    Bare bare = new Bare("bare");
    RecordingResource<String> second = RecordingResource.named("r").exitFails(bare);
    Throwable thrown = assertThrows(Bare.class, () -> second.call(value -> value));
    assertSame(bare, thrown);
  }

  @Test
  void rule3CompletionExceptionsAreUnwrappedForExitAndTheCaller() {
    RecordingResource<String> resource = RecordingResource.named("r");
    Checked cause = new Checked("inside");
    Checked thrown =
        assertThrows(
            Checked.class,
            () ->
                resource.call(
                    value -> {
                      throw new CompletionException(new CompletionException(cause));
                    }));
    assertSame(cause, thrown);
    assertSame(cause, resource.exitFailures.get(0));

    CompletionException bare = new CompletionException("no cause", null);
    RecordingResource<String> other = RecordingResource.named("r");
    assertSame(
        bare,
        assertThrows(
            CompletionException.class,
            () ->
                other.call(
                    value -> {
                      throw bare;
                    })));
  }

  @Test
  void rule4ATrueExitSuppressesAndCallReturnsNull() throws Exception {
    RecordingResource<String> resource = RecordingResource.named("r").exitReturns(true);
    assertNull(
        resource.call(
            value -> {
              throw new Checked("suppressed");
            }));
    RecordingResource<String> normal = RecordingResource.named("r").exitReturns(true);
    assertEquals("kept", normal.call(value -> "kept"));
    RecordingResource<String> nullExit = RecordingResource.named("r").exitReturns(null);
    Checked failure = new Checked("stands");
    assertSame(
        failure,
        assertThrows(
            Checked.class,
            () ->
                nullExit.call(
                    value -> {
                      throw failure;
                    })));
  }

  @Test
  void rule5TheExitsFailureWinsWithTheBlocksAttached() {
    IOException exitFailure = new IOException("exit");
    RecordingResource<String> resource = RecordingResource.named("r").exitFails(exitFailure);
    Checked blockFailure = new Checked("block");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                resource.call(
                    value -> {
                      throw blockFailure;
                    }));
    assertSame(exitFailure, thrown);
    assertEquals(List.of(blockFailure), List.of(thrown.getSuppressed()));
  }

  @Test
  void rule5ExitThrowingOrReturningNullIsAFailedExit() {
    IllegalStateException exitThrew = new IllegalStateException("exit threw");
    RecordingResource<String> throwing =
        RecordingResource.named("r")
            .onExit(
                failure -> {
                  throw exitThrew;
                });
    assertSame(
        exitThrew, assertThrows(IllegalStateException.class, () -> throwing.call(v -> v)));

    RecordingResource<String> returningNull = RecordingResource.named("r").onExit(f -> null);
    NullPointerException npe =
        assertThrows(NullPointerException.class, () -> returningNull.call(v -> v));
    Generators.assertMentions(npe, RecordingResource.class.getName(), "exit(Throwable)");
  }

  @Test
  void exitFailingWithTheBlocksOwnFailureAttachesNothing() {
    Checked failure = new Checked("same");
    RecordingResource<String> resource = RecordingResource.named("r").exitFails(failure);
    Checked thrown =
        assertThrows(
            Checked.class,
            () ->
                resource.call(
                    value -> {
                      throw failure;
                    }));
    assertSame(failure, thrown);
    assertEquals(0, thrown.getSuppressed().length);
  }

  // Rule 8: several resources.

  @Test
  void severalResourcesEnterLeftToRightAndExitRightToLeft() throws Exception {
    List<String> log = RecordingResource.newLog();
    RecordingResource<String> a = new RecordingResource<>("a", "x", log);
    RecordingResource<String> b = new RecordingResource<>("b", "y", log);
    RecordingResource<String> c = new RecordingResource<>("c", "z", log).exitReturns(true);
    String two = AsyncWith.call(a, b, (x, y) -> x + y);
    assertEquals("xy", two);
    assertEquals(List.of("a.enter", "b.enter", "b.exit(null)", "a.exit(null)"), log);

    log.clear();
    RecordingResource<String> a2 = new RecordingResource<>("a", "x", log);
    RecordingResource<String> b2 = new RecordingResource<>("b", "y", log);
    Object three =
        AsyncWith.call(
            a2,
            b2,
            c,
            (x, y, z) -> {
              throw new Checked("suppressed by c");
            });
    assertNull(three);
    assertEquals(
        List.of(
            "a.enter", "b.enter", "c.enter", "c.exit(Checked)", "b.exit(null)", "a.exit(null)"),
        log);
  }

  @Test
  void aResourceWhoseEnterFailsIsNotExitedButTheOnesBeforeItAre() {
    List<String> log = RecordingResource.newLog();
    Checked failure = new Checked("b.enter");
    RecordingResource<String> a = new RecordingResource<>("a", "x", log);
    RecordingResource<String> b = new RecordingResource<>("b", "y", log).enterFails(failure);
    assertSame(failure, assertThrows(Checked.class, () -> AsyncWith.call(a, b, (x, y) -> x)));
    assertEquals(List.of("a.enter", "b.enter", "a.exit(Checked)"), log);
  }

  @Test
  void severalResourcesRejectNullArgumentsBeforeEnteringAnything() {
    RecordingResource<String> a = RecordingResource.named("a");
    assertThrows(NullPointerException.class, () -> AsyncWith.call(a, null, (x, y) -> x));
    assertThrows(
        NullPointerException.class,
        () -> AsyncWith.call(a, a, (AsyncWith.Block2<String, String, String>) null));
    assertThrows(NullPointerException.class, () -> AsyncWith.call(a, a, null, (x, y, z) -> x));
    assertEquals(0, a.enters.get());
  }

  // S3: waiting.

  @Test
  void waitsForAPendingEnterAndRunsTheBlockOnTheCallingThread() throws Exception {
    RecordingResource<String> resource = RecordingResource.named("r").pendingEnter();
    Thread caller = Thread.currentThread();
    Generators.POOL.execute(
        () -> {
          Await.until(() -> resource.enterStage != null, "enter");
          Await.settle(java.time.Duration.ofMillis(20));
          resource.enterStage.complete("later");
        });
    AtomicReference<Thread> blockThread = new AtomicReference<>();
    String result =
        resource.call(
            value -> {
              blockThread.set(Thread.currentThread());
              return value;
            });
    assertEquals("later", result);
    assertSame(caller, blockThread.get());
  }

  @Test
  void waitsForAPendingExitBeforeReturning() throws Exception {
    RecordingResource<String> resource = RecordingResource.named("r").pendingExit();
    Generators.POOL.execute(
        () -> {
          Await.until(() -> resource.exitStage != null, "exit");
          Await.settle(java.time.Duration.ofMillis(20));
          resource.exitStage.complete(false);
        });
    assertEquals("r-value", resource.call(value -> value));
    assertTrue(resource.exitStage.isDone(), "call returned only after teardown");
  }

  @Test
  void aPendingExitsFailureIsThrownAsItself() {
    RecordingResource<String> resource = RecordingResource.named("r").pendingExit();
    Checked failure = new Checked("late exit");
    Generators.POOL.execute(
        () -> {
          Await.until(() -> resource.exitStage != null, "exit");
          resource.exitStage.completeExceptionally(new CompletionException(failure));
        });
    assertSame(failure, assertThrows(Checked.class, () -> resource.call(value -> value)));
  }

  @Test
  void anInterruptWhileWaitingForEnterThrowsAtOnceAndTheLateEnterIsExited() throws Exception {
    RecordingResource<String> resource = RecordingResource.named("r").pendingEnter();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    boolean[] ran = {false};
    Thread caller =
        new Thread(
            () -> {
              try {
                resource.call(value -> ran[0] = true);
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    caller.start();
    Await.until(() -> resource.enterStage != null, "enter");
    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
    assertFalse(caller.isAlive());
    assertTrue(thrown.get() instanceof InterruptedException, () -> "thrown: " + thrown.get());
    assertFalse(resource.enterStage.isCancelled(), "enter's stage is not cancelled");
    assertEquals(0, resource.exits.get());

    resource.enterStage.complete("acquired late");
    assertEquals(1, resource.exits.get(), "what enter acquired is released");
    assertTrue(resource.exitFailures.get(0) instanceof CancellationException);
    assertFalse(ran[0], "the block never runs");
  }

  @Test
  void aFailureOfTheLateTeardownGoesToTheUncaughtHandler() throws Exception {
    IllegalStateException teardown = new IllegalStateException("late teardown");
    RecordingResource<String> resource =
        RecordingResource.named("r").pendingEnter().exitFails(teardown);
    Thread caller = callInBackground(resource, new AtomicReference<>());
    Await.until(() -> resource.enterStage != null, "enter");
    caller.interrupt();
    Generators.assertEnds(caller);
    try (Await.Uncaught uncaught = new Await.Uncaught()) {
      resource.enterStage.complete("late");
      uncaught.assertOnly(teardown);
    }
  }

  @Test
  void aLateEnterFailureGoesToTheUncaughtHandlerAndNothingIsExited() throws Exception {
    RecordingResource<String> resource = RecordingResource.named("r").pendingEnter();
    Thread caller = callInBackground(resource, new AtomicReference<>());
    Await.until(() -> resource.enterStage != null, "enter");
    caller.interrupt();
    Generators.assertEnds(caller);
    Checked failure = new Checked("late enter");
    try (Await.Uncaught uncaught = new Await.Uncaught()) {
      resource.enterStage.completeExceptionally(failure);
      uncaught.assertOnly(failure);
    }
    assertEquals(0, resource.exits.get());
  }

  @Test
  void anAlreadyInterruptedCallerThrowsAtOnceWhenEnterIsPending() throws Exception {
    RecordingResource<String> resource = RecordingResource.named("r").pendingEnter();
    Thread.currentThread().interrupt();
    try {
      assertThrows(InterruptedException.class, () -> resource.call(value -> value));
      assertFalse(Thread.interrupted(), "InterruptedException clears the interrupt");
    } finally {
      Thread.interrupted();
    }
    resource.enterStage.complete("late");
    assertEquals(1, resource.exits.get());
  }

  @Test
  void anInterruptDoesNotStopAnEnterThatHasCompleted() throws Exception {
    RecordingResource<String> resource = RecordingResource.named("r");
    Thread.currentThread().interrupt();
    try {
      assertEquals("r-value", resource.call(value -> value));
      assertTrue(Thread.interrupted(), "the interrupt stays for the code that cares");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void anInterruptWhileWaitingForExitIsRestoredAfterTeardown() throws Exception {
    RecordingResource<String> resource = RecordingResource.named("r").pendingExit();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Object> result = new AtomicReference<>();
    AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                result.set(resource.call(value -> value));
              } catch (Throwable t) {
                thrown.set(t);
              }
              interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
    caller.start();
    Await.until(() -> resource.exitStage != null, "exit");
    caller.interrupt();
    Await.settle(java.time.Duration.ofMillis(50));
    assertTrue(caller.isAlive(), "waiting for exit is not interruptible");
    resource.exitStage.complete(false);
    Generators.assertEnds(caller);
    assertNull(thrown.get());
    assertEquals("r-value", result.get());
    assertTrue(interruptedAfter.get(), "the interrupt is restored");
  }

  // S6.

  @Test
  void aNullBlockIsRejectedBeforeAnythingIsEntered() {
    RecordingResource<String> resource = RecordingResource.named("r");
    assertThrows(NullPointerException.class, () -> resource.call(null));
    assertEquals(0, resource.enters.get());
  }

  // The exit stack inside call.

  @Test
  void anExitStackEntersResourcesSynchronouslyInsideCall() throws Exception {
    List<String> log = RecordingResource.newLog();
    RecordingResource<String> a = new RecordingResource<>("a", "x", log);
    RecordingResource<String> b = new RecordingResource<>("b", "y", log).pendingEnter();
    Generators.POOL.execute(
        () -> {
          Await.until(() -> b.enterStage != null, "b.enter");
          b.enterStage.complete("y-later");
        });
    String result =
        new AsyncExitStack()
            .call(
                stack -> {
                  String x = stack.enterContextAndWait(a);
                  String y = stack.enterContextAndWait(b);
                  log.add("block");
                  return x + y;
                });
    assertEquals("xy-later", result);
    assertEquals(List.of("a.enter", "b.enter", "block", "b.exit(null)", "a.exit(null)"), log);
  }

  @Test
  void anExitStacksFailedEnterIsThrownAsItselfAndPushesNothing() {
    List<String> log = RecordingResource.newLog();
    Checked failure = new Checked("b.enter");
    RecordingResource<String> a = new RecordingResource<>("a", "x", log);
    RecordingResource<String> b = new RecordingResource<>("b", "y", log).enterFails(failure);
    Checked thrown =
        assertThrows(
            Checked.class,
            () ->
                new AsyncExitStack()
                    .call(
                        stack -> {
                          stack.enterContextAndWait(a);
                          return stack.enterContextAndWait(b);
                        }));
    assertSame(failure, thrown);
    assertEquals(List.of("a.enter", "b.enter", "a.exit(Checked)"), log);
  }

  @Test
  void anExitStackInterruptedWhileEnteringReleasesTheLateResource() throws Exception {
    RecordingResource<String> late = RecordingResource.named("late").pendingEnter();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    Thread caller =
        new Thread(
            () -> {
              try {
                new AsyncExitStack()
                    .call(
                        stack -> {
                          started.countDown();
                          return stack.enterContextAndWait(late);
                        });
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    caller.start();
    started.await();
    Await.until(() -> late.enterStage != null, "enter");
    caller.interrupt();
    Generators.assertEnds(caller);
    assertTrue(thrown.get() instanceof InterruptedException, () -> "thrown: " + thrown.get());
    late.enterStage.complete("acquired");
    assertEquals(1, late.exits.get());
    assertTrue(late.exitFailures.get(0) instanceof CancellationException);
  }

  @Test
  void aPendingStageIsAwaitedWhateverItsKind() throws Exception {
    CompletableFuture<Boolean> exit = new CompletableFuture<>();
    RecordingResource<String> resource =
        RecordingResource.named("r").onExit(failure -> exit.minimalCompletionStage());
    Generators.POOL.execute(
        () -> {
          Await.settle(java.time.Duration.ofMillis(20));
          exit.complete(true);
        });
    assertNull(
        resource.call(
            value -> {
              throw new Checked("suppressed later");
            }));
  }

  /**
   * S1/S3: {@code call} parks only where a stage is not complete yet, also when it runs inside the
   * runtime's own per-thread queues (rule 7): inside a continuation of a statement's end, or of a
   * cancel. Work those queues hold behind the caller is run before the caller parks, so that a
   * blocking wait never waits for work queued on its own thread. Each case runs on a thread of
   * its own, interrupted after a bound.
   */
  @Nested
  class InsideTheRuntimesOwnQueues {
    private final RecordingResource<String> helper = RecordingResource.named("h");

    /** Enter ends a helper statement on the calling thread and returns a stage derived from it. */
    private final AsyncResource<String> endsAHelperStatement =
        new AsyncResource<String>() {
          @Override
          public CompletionStage<String> enter() {
            CompletableFuture<String> block = new CompletableFuture<>();
            CompletableFuture<String> helped = helper.use(h -> block);
            CompletableFuture<String> entered = helped.thenApply(v -> v + "!");
            block.complete("entered"); // ends the helper statement here, on this thread
            return entered;
          }

          @Override
          public CompletionStage<Boolean> exit(Throwable failure) {
            return CompletableFuture.completedFuture(false);
          }
        };

    /** Enter cancels a helper statement on the calling thread and returns a stage derived from it. */
    private final AsyncResource<String> cancelsAHelperStatement =
        new AsyncResource<String>() {
          @Override
          public CompletionStage<String> enter() {
            CompletableFuture<String> block = new CompletableFuture<>();
            CompletableFuture<String> helped = helper.use(h -> block);
            CompletableFuture<String> entered =
                block.handle((v, t) -> t instanceof CancellationException ? "cancelled" : "not");
            helped.cancel(true); // cancels the helper's block here, on this thread
            return entered;
          }

          @Override
          public CompletionStage<Boolean> exit(Throwable failure) {
            return CompletableFuture.completedFuture(false);
          }
        };

    @Test
    void callInsideAContinuationOfAStatementsEndDoesNotWaitForItself() throws Exception {
      // Outside any continuation, call returns at once.
      assertEquals("entered!", endsAHelperStatement.call(v -> v));

      CompletableFuture<Object> outcome = new CompletableFuture<>();
      CompletableFuture<String> outerBlock = new CompletableFuture<>();
      CompletableFuture<String> outer = helper.use(h -> outerBlock);
      outer.thenAccept(ignored -> complete(outcome, () -> endsAHelperStatement.call(v -> v)));
      assertEquals("entered!", awaitRunning(() -> outerBlock.complete("outer"), outcome));
    }

    @Test
    void enterContextAndWaitInsideAContinuationOfAStatementsEndDoesNotWaitForItself()
        throws Exception {
      AsyncExitStack stack = new AsyncExitStack();
      CompletableFuture<Object> outcome = new CompletableFuture<>();
      CompletableFuture<String> outerBlock = new CompletableFuture<>();
      CompletableFuture<String> outer = helper.use(h -> outerBlock);
      outer.thenAccept(
          ignored -> complete(outcome, () -> stack.enterContextAndWait(endsAHelperStatement)));
      assertEquals("entered!", awaitRunning(() -> outerBlock.complete("outer"), outcome));
      Await.value(stack.close());
    }

    @Test
    void callInsideAContinuationOfACancelDoesNotWaitForACancelQueuedBehindIt() throws Exception {
      // Outside any cancel, call returns at once.
      assertEquals("cancelled", cancelsAHelperStatement.call(v -> v));

      CompletableFuture<Object> outcome = new CompletableFuture<>();
      CompletableFuture<String> outerBlock = new CompletableFuture<>();
      outerBlock.whenComplete(
          (v, t) -> complete(outcome, () -> cancelsAHelperStatement.call(x -> x)));
      CompletableFuture<String> outer = helper.use(h -> outerBlock);
      assertEquals("cancelled", awaitRunning(() -> outer.cancel(true), outcome));
      assertTrue(outerBlock.isCancelled());
      assertEquals(3, helper.exits.get(), "every helper statement was torn down");
    }

    private void complete(CompletableFuture<Object> outcome, Callable<Object> blocking) {
      try {
        outcome.complete(blocking.call());
      } catch (Throwable thrown) {
        outcome.completeExceptionally(thrown);
      }
    }

    @Test
    void aCallThatEmptiesAWideQueueOfEndsMidChainKeepsTheirOrderAndLosesNone() throws Exception {
      // A hundred statement ends queued in one chain, more than the queue keeps between chains.
      // The 50th end's continuation blocks in a call, which first finishes the 50 ends behind it
      // (emptying, and so dropping, the queue); the chain then goes on with nothing left.
      int count = 100;
      List<Integer> order = new CopyOnWriteArrayList<>();
      List<CompletableFuture<String>> blocks = new ArrayList<>();
      List<CompletableFuture<String>> results = new ArrayList<>();
      CompletableFuture<Object> called = new CompletableFuture<>();
      for (int i = 0; i < count; i++) {
        CompletableFuture<String> block = new CompletableFuture<>();
        blocks.add(block);
        CompletableFuture<String> result = helper.use(h -> block);
        int index = i;
        result.thenAccept(
            ignored -> {
              order.add(index);
              if (index == 49) {
                complete(called, () -> endsAHelperStatement.call(v -> v));
              }
              if (index == 10) {
                throw new IllegalStateException("a continuation that throws stops nothing");
              }
            });
        results.add(result);
      }
      CompletableFuture<String> first = new CompletableFuture<>();
      helper.use(h -> first).thenAccept(ignored -> blocks.forEach(b -> b.complete("x")));
      try (Await.Uncaught uncaught = new Await.Uncaught()) {
        first.complete("go");
        uncaught.assertNone();
      }
      assertEquals("entered!", called.getNow("the call did not return"));
      assertEquals(IntStream.range(0, count).boxed().collect(Collectors.toList()), order);
      for (CompletableFuture<String> result : results) {
        assertEquals("x", result.getNow(null));
      }
    }

    /** Runs {@code trigger} on a thread of its own; the outcome, or fails if it does not come. */
    private Object awaitRunning(Runnable trigger, CompletableFuture<Object> outcome)
        throws Exception {
      Thread triggering = new Thread(trigger, "triggering");
      triggering.start();
      try {
        return outcome.get(Await.SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException hung) {
        triggering.interrupt();
        throw new AssertionError("the blocking wait parked for ever inside the continuation", hung);
      } finally {
        triggering.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
      }
    }
  }

  private static Thread callInBackground(
      AsyncResource<String> resource, AtomicReference<Throwable> thrown) {
    Thread caller =
        new Thread(
            () -> {
              try {
                resource.call(value -> value);
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    caller.start();
    return caller;
  }
}
