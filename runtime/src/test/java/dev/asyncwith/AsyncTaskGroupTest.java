package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The task group's rules, G1 to G6 in docs/RULES.md, one nested class per rule. */
class AsyncTaskGroupTest {

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /** An entered group, for the tests that drive enter and exit by hand. */
  private static AsyncTaskGroup entered() {
    AsyncTaskGroup group = new AsyncTaskGroup();
    assertSame(group, Await.value(group.enter()));
    return group;
  }

  @Nested
  class G1EnterAndSpawn {

    @Test
    void enterCompletesWithTheGroupItself() {
      AsyncTaskGroup group = new AsyncTaskGroup();
      assertSame(group, Await.value(group.enter()));
      assertFalse(Await.value(group.exit(null)));
    }

    @Test
    void spawnCallsTheTaskAtOnceOnTheCallingThread() {
      List<Thread> ranOn = new ArrayList<>();
      AsyncTaskGroup group = entered();
      group.spawn(() -> {
        ranOn.add(Thread.currentThread());
        return new CompletableFuture<String>();
      });
      assertEquals(List.of(Thread.currentThread()), ranOn);
    }

    @Test
    void theReturnedFutureCompletesAsTheChildsStageDoes() {
      CompletableFuture<String> stage = new CompletableFuture<>();
      AtomicReference<CompletableFuture<String>> child = new AtomicReference<>();
      CompletableFuture<String> result = new AsyncTaskGroup().use(tg -> {
        child.set(tg.spawn(() -> stage));
        return done("block");
      });
      Await.pending(child.get());
      Await.pending(result);
      stage.complete("child");
      assertEquals("child", Await.value(child.get()));
      assertEquals("block", Await.value(result));
    }

    @Test
    void aChildThatFailsLaterFailsItsFutureWithTheSameObject() {
      IllegalStateException failure = new IllegalStateException("child");
      CompletableFuture<String> stage = new CompletableFuture<>();
      AsyncTaskGroup group = entered();
      CompletableFuture<String> child = group.spawn(() -> stage);
      stage.completeExceptionally(new CompletionException(failure));
      Throwable seen = Await.failure(child);
      assertSame(failure, Failures.unwrap(seen));
      assertSame(failure, Await.failure(group.exit(null)));
    }

    @Test
    void aTaskThatThrowsIsAChildThatFailed() {
      IllegalArgumentException thrown = new IllegalArgumentException("task threw");
      CompletableFuture<String> sibling = new CompletableFuture<>();
      CompletableFuture<Object> result = new AsyncTaskGroup().use(tg -> {
        tg.spawn(() -> sibling);
        CompletableFuture<String> child = tg.spawn(() -> {
          throw thrown;
        });
        assertSame(thrown, Failures.unwrap(Await.failure(child)));
        return new CompletableFuture<>();
      });
      assertSame(thrown, Await.failure(result));
      assertTrue(sibling.isCancelled(), "the first failure cancels the others (G3)");
    }

    @Test
    void aTaskThatReturnsNullIsAChildThatFailedWithAnNpeNamingIt() {
      Supplier<CompletionStage<String>> task = new Supplier<>() {
        @Override
        public CompletionStage<String> get() {
          return null;
        }

        @Override
        public String toString() {
          return "the-null-task";
        }
      };
      AsyncTaskGroup group = entered();
      CompletableFuture<String> child = group.spawn(task);
      Throwable failure = Await.failure(group.exit(null));
      assertInstanceOf(NullPointerException.class, failure);
      assertTrue(failure.getMessage().contains("the-null-task"), failure.getMessage());
      assertSame(failure, Failures.unwrap(Await.failure(child)));
    }

    @Test
    void aNullTaskIsRejectedAtOnce() {
      AsyncTaskGroup group = entered();
      assertThrows(NullPointerException.class, () -> group.spawn(null));
      assertThrows(NullPointerException.class, () -> group.spawnBlocking(null));
      assertFalse(Await.value(group.exit(null)));
    }

    @Test
    void cancellingTheReturnedFutureCancelsTheChildAndIsNotAFailure() {
      CompletableFuture<String> stage = new CompletableFuture<>();
      AsyncTaskGroup group = entered();
      CompletableFuture<String> child = group.spawn(() -> stage);
      assertTrue(child.cancel(true));
      assertTrue(stage.isCancelled());
      assertTrue(child.cancel(true), "a second cancel reports true, as CompletableFuture's does");
      assertFalse(Await.value(group.exit(null)));
    }

    @Test
    void completingTheReturnedFutureEarlyCancelsTheChild() {
      CompletableFuture<String> first = new CompletableFuture<>();
      CompletableFuture<String> second = new CompletableFuture<>();
      AsyncTaskGroup group = entered();
      group.spawn(() -> first).complete("mine");
      group.spawn(() -> second).orTimeout(1, TimeUnit.MILLISECONDS);
      Await.until(second::isDone, "the timeout to cancel the second child");
      assertTrue(first.isCancelled());
      assertTrue(second.isCancelled());
      assertFalse(Await.value(group.exit(null)));
    }

    @Test
    void forcingOrAsynchronouslyCompletingTheReturnedFutureCancelsTheChildToo() {
      CompletableFuture<String> obtruded = new CompletableFuture<>();
      CompletableFuture<String> failed = new CompletableFuture<>();
      CompletableFuture<String> completedAsync = new CompletableFuture<>();
      AsyncTaskGroup group = entered();
      group.spawn(() -> obtruded).obtrudeValue("mine");
      group.spawn(() -> failed).obtrudeException(new IllegalStateException("mine"));
      group.spawn(() -> completedAsync).completeAsync(() -> "mine", Runnable::run);
      assertTrue(obtruded.isCancelled());
      assertTrue(failed.isCancelled());
      assertTrue(completedAsync.isCancelled());
      assertFalse(Await.value(group.exit(null)));
    }

    @Test
    void aChildWhoseStageIgnoresTheCancelIsStillWaitedFor() {
      CompletableFuture<String> source = new CompletableFuture<>();
      AsyncTaskGroup group = entered();
      CompletableFuture<String> child = group.spawn(source::minimalCompletionStage);
      child.cancel(true);
      CompletionStage<Boolean> exited = group.exit(null);
      Await.pending(exited);
      source.complete("late");
      assertFalse(Await.value(exited));
    }
  }

  @Nested
  class G2WhenSpawnIsRefused {

    @Test
    void spawnBeforeEnterFailsAndDoesNotCallTheTask() {
      AtomicBoolean called = new AtomicBoolean();
      AsyncTaskGroup group = new AsyncTaskGroup();
      CompletableFuture<Object> child = group.spawn(() -> {
        called.set(true);
        return done(null);
      });
      assertInstanceOf(IllegalStateException.class, Failures.unwrap(Await.failure(child)));
      CompletableFuture<Object> blocking = group.spawnBlocking(() -> {
        called.set(true);
        return null;
      });
      assertInstanceOf(IllegalStateException.class, Failures.unwrap(Await.failure(blocking)));
      assertFalse(called.get());
    }

    @Test
    void spawnOnceTheGroupHasFinishedFailsAndDoesNotCallTheTask() {
      AtomicBoolean called = new AtomicBoolean();
      AsyncTaskGroup group = new AsyncTaskGroup();
      Await.value(group.use(tg -> done(null)));
      Throwable failure = Failures.unwrap(Await.failure(group.spawn(() -> {
        called.set(true);
        return done(null);
      })));
      assertInstanceOf(IllegalStateException.class, failure);
      assertTrue(failure.getMessage().contains("finished"), failure.getMessage());
      Throwable blocking = Failures.unwrap(Await.failure(group.spawnBlocking(() -> {
        called.set(true);
        return null;
      })));
      assertInstanceOf(IllegalStateException.class, blocking);
      assertFalse(called.get());
    }

    @Test
    void childrenMaySpawnChildrenWhileTheGroupWaitsInExit() {
      CompletableFuture<String> parent = new CompletableFuture<>();
      CompletableFuture<String> grandchild = new CompletableFuture<>();
      AtomicReference<CompletableFuture<String>> spawned = new AtomicReference<>();
      AsyncTaskGroup group = entered();
      group.spawn(() -> parent.thenCompose(v -> {
        spawned.set(group.spawn(() -> grandchild));
        return done(v);
      }));
      CompletionStage<Boolean> exited = group.exit(null);
      parent.complete("parent");
      Await.pending(exited);
      grandchild.complete("grandchild");
      assertFalse(Await.value(exited));
      assertEquals("grandchild", Await.value(spawned.get()));
    }
  }

  @Nested
  class G3TheFirstChildFailure {

    @Test
    void cancelsEveryOtherRunningChild() {
      IllegalStateException failure = new IllegalStateException("child");
      CompletableFuture<String> failing = new CompletableFuture<>();
      CompletableFuture<String> running = new CompletableFuture<>();
      CompletableFuture<String> finished = done("finished");
      AsyncTaskGroup group = entered();
      CompletableFuture<String> runningChild = group.spawn(() -> running);
      group.spawn(() -> finished);
      group.spawn(() -> failing);
      failing.completeExceptionally(failure);
      assertTrue(running.isCancelled());
      assertTrue(runningChild.isCancelled());
      assertEquals("finished", finished.join());
      assertSame(failure, Await.failure(group.exit(null)));
    }

    @Test
    void theFailedChildsFutureCompletesBeforeTheOthersAreCancelled() {
      List<String> events = new ArrayList<>();
      CompletableFuture<String> failing = new CompletableFuture<>();
      AsyncTaskGroup group = entered();
      group.spawn(CompletableFuture::new).whenComplete((v, f) -> events.add("sibling cancelled"));
      group.spawn(() -> failing).whenComplete((v, f) -> events.add("child failed"));
      failing.completeExceptionally(new IllegalStateException("child"));
      assertEquals(List.of("child failed", "sibling cancelled"), events);
      Await.failure(group.exit(null));
    }

    @Test
    void cancelsTheBlockRunThroughTheGroupsOwnUse() {
      IllegalStateException failure = new IllegalStateException("child");
      CompletableFuture<String> failing = new CompletableFuture<>();
      CompletableFuture<String> block = new CompletableFuture<>();
      CompletableFuture<String> result = new AsyncTaskGroup().use(tg -> {
        tg.spawn(() -> failing);
        return block;
      });
      failing.completeExceptionally(failure);
      assertTrue(block.isCancelled());
      Throwable outcome = Await.failure(result);
      assertSame(failure, outcome);
      assertArrayEquals(new Throwable[0], outcome.getSuppressed(), "the group's own cancel is not a failure");
    }

    @Test
    void cancelsTheBlockEvenWhenTheChildFailedBeforeTheBodyReturned() {
      IllegalStateException failure = new IllegalStateException("child");
      CompletableFuture<String> block = new CompletableFuture<>();
      CompletableFuture<String> result = new AsyncTaskGroup().use(tg -> {
        tg.spawn(() -> CompletableFuture.failedFuture(failure));
        return block;
      });
      assertTrue(block.isCancelled());
      assertSame(failure, Await.failure(result));
    }

    @Test
    void cancelsTheBlockUnderATimeoutToo() {
      IllegalStateException failure = new IllegalStateException("child");
      CompletableFuture<String> failing = new CompletableFuture<>();
      CompletableFuture<String> block = new CompletableFuture<>();
      CompletableFuture<String> result = new AsyncTaskGroup().use(Duration.ofMinutes(1), tg -> {
        tg.spawn(() -> failing);
        return block;
      });
      failing.completeExceptionally(failure);
      assertTrue(block.isCancelled());
      assertSame(failure, Await.failure(result));
    }

    @Test
    void cancelsTheChildrenButNotTheBlockInAnotherStatement() {
      IllegalStateException failure = new IllegalStateException("child");
      CompletableFuture<String> failing = new CompletableFuture<>();
      CompletableFuture<String> sibling = new CompletableFuture<>();
      CompletableFuture<String> block = new CompletableFuture<>();
      CompletableFuture<String> result =
          AsyncWith.with(new AsyncTaskGroup(), AsyncContexts.nullContext("x"), (tg, x) -> {
            tg.spawn(() -> failing);
            tg.spawn(() -> sibling);
            return block;
          });
      failing.completeExceptionally(failure);
      assertTrue(sibling.isCancelled());
      assertFalse(block.isDone());
      block.complete("block");
      assertSame(failure, Await.failure(result));
    }

    @Test
    void aCancelledChildIsNotAFailureAndCancelsNothing() {
      CompletableFuture<String> cancelled = new CompletableFuture<>();
      CompletableFuture<String> sibling = new CompletableFuture<>();
      CompletableFuture<String> block = new CompletableFuture<>();
      CompletableFuture<String> result = new AsyncTaskGroup().use(tg -> {
        tg.spawn(() -> cancelled);
        tg.spawn(() -> sibling);
        return block;
      });
      cancelled.cancel(true);
      assertFalse(sibling.isDone());
      assertFalse(block.isDone());
      sibling.complete("s");
      block.complete("block");
      assertEquals("block", Await.value(result));
    }
  }

  @Nested
  class G4Exit {

    @Test
    void aBlockFailureCancelsEveryRunningChildFirst() {
      IllegalStateException blockFailure = new IllegalStateException("block");
      CompletableFuture<String> running = new CompletableFuture<>();
      AsyncTaskGroup group = entered();
      group.spawn(() -> running);
      CompletionStage<Boolean> exited = group.exit(blockFailure);
      assertTrue(running.isCancelled());
      assertSame(blockFailure, Await.failure(exited));
    }

    @Test
    void exitWaitsForEveryChild() {
      CompletableFuture<String> first = new CompletableFuture<>();
      CompletableFuture<String> second = new CompletableFuture<>();
      AsyncTaskGroup group = entered();
      group.spawn(() -> first);
      group.spawn(() -> second);
      CompletionStage<Boolean> exited = group.exit(null);
      second.complete("2");
      Await.pending(exited);
      first.complete("1");
      assertFalse(Await.value(exited));
    }

    @Test
    void aStatementChildCountsAsEndedOnlyOnceItsTeardownHasFinished() {
      CompletableFuture<Boolean> teardown = new CompletableFuture<>();
      RecordingResource<String> resource = RecordingResource.named("child");
      resource.onExit(failure -> teardown);
      IllegalStateException failure = new IllegalStateException("sibling");
      CompletableFuture<String> failing = new CompletableFuture<>();
      AtomicReference<CompletableFuture<String>> statement = new AtomicReference<>();
      AtomicReference<CompletableFuture<String>> child = new AtomicReference<>();
      CompletableFuture<String> result = new AsyncTaskGroup().use(tg -> {
        child.set(tg.spawn(() -> {
          statement.set(resource.use(v -> new CompletableFuture<String>()));
          return statement.get();
        }));
        tg.spawn(() -> failing);
        return done("block");
      });
      failing.completeExceptionally(failure);
      assertTrue(statement.get().isCancelled(), "the statement's result is cancelled at once (rule 6)");
      Await.pending(child.get());
      Await.pending(result);
      teardown.complete(false);
      assertTrue(child.get().isCancelled());
      assertSame(failure, Await.failure(result));
    }

    @Test
    void aBlockThatIgnoresTheCancelNeverOverlapsTeardown() {
      IllegalStateException failure = new IllegalStateException("child");
      CompletableFuture<String> failing = new CompletableFuture<>();
      CompletableFuture<String> source = new CompletableFuture<>();
      CompletableFuture<String> result = new AsyncTaskGroup().use(tg -> {
        tg.spawn(() -> failing);
        return source.minimalCompletionStage();
      });
      failing.completeExceptionally(failure);
      Await.pending(result);
      source.complete("late");
      assertSame(failure, Await.failure(result));
    }
  }

  @Nested
  class Composition {

    @Test
    void aTimeoutOnTheGroupsUseCancelsTheBlockAndTheChildren() {
      CompletableFuture<String> child = new CompletableFuture<>();
      CompletableFuture<String> block = new CompletableFuture<>();
      CompletableFuture<String> result = new AsyncTaskGroup().use(Duration.ofMillis(10), tg -> {
        tg.spawn(() -> child);
        return block;
      });
      assertInstanceOf(TimeoutException.class, Await.failure(result));
      assertTrue(block.isCancelled());
      assertTrue(child.isCancelled(), "the block's TimeoutException is a block failure (G4)");
    }

    /**
     * A timeout on the group's own use bounds the block alone, and a block that returned a
     * completed stage is never timed out (rule 6); as Python's {@code async with asyncio.timeout():
     * async with TaskGroup()}, the deadline goes outside the group: an outer statement with the
     * timeout whose body returns the group's use future. Its deadline cancels the group's
     * statement, which cancels every child; the result fails with the TimeoutException, and only
     * after every child has ended.
     */
    @Test
    void aTimeoutOutsideTheGroupCancelsTheChildrenTheBlockDidNotWaitForAndAwaitsThem() {
      CompletableFuture<String> forever = new CompletableFuture<>();
      // A child that cannot be cancelled: it ends when it is done stopping, as cleanup would.
      CompletableFuture<String> stopping = new CompletableFuture<>();
      AtomicReference<CompletableFuture<String>> slowChild = new AtomicReference<>();
      CompletableFuture<String> result =
          AsyncContexts.nullContext()
              .use(
                  Duration.ofMillis(50),
                  ignored ->
                      new AsyncTaskGroup()
                          .use(
                              tg -> {
                                tg.spawn(() -> forever);
                                slowChild.set(tg.spawn(stopping::minimalCompletionStage));
                                return done("block");
                              }));
      Await.until(forever::isCancelled, "the deadline cancels the children");
      Await.settle(Duration.ofMillis(20));
      Await.pending(slowChild.get());
      Await.pending(result); // the group still waits for the child that has not ended
      stopping.completeExceptionally(new CancellationException("stopped"));
      assertInstanceOf(TimeoutException.class, Await.failure(result));
      assertTrue(slowChild.get().isCompletedExceptionally());
    }

    @Test
    void aGroupInAnExitStackWaitsForItsChildrenWhenTheStackCloses() {
      CompletableFuture<String> child = new CompletableFuture<>();
      AsyncExitStack stack = new AsyncExitStack();
      AsyncTaskGroup group = Await.value(stack.enterContext(new AsyncTaskGroup()));
      group.spawn(() -> child);
      CompletionStage<Void> closed = stack.close();
      Await.pending(closed);
      child.complete("child");
      Await.value(closed);
      assertInstanceOf(IllegalStateException.class,
          Failures.unwrap(Await.failure(group.spawn(() -> done(null)))));
    }

    @Test
    void nestedGroupsWaitInsideOut() {
      CompletableFuture<String> inner = new CompletableFuture<>();
      AtomicReference<CompletableFuture<String>> innerResult = new AtomicReference<>();
      CompletableFuture<String> outer = new AsyncTaskGroup().use(g1 -> {
        innerResult.set(new AsyncTaskGroup().use(g2 -> {
          g2.spawn(() -> inner);
          return done("inner");
        }));
        g1.spawn(innerResult::get);
        return done("outer");
      });
      Await.pending(outer);
      inner.complete("child");
      assertEquals("inner", Await.value(innerResult.get()));
      assertEquals("outer", Await.value(outer));
    }
  }

  @Nested
  class G5Outcome {

    @Test
    void noFailureLetsTheBlocksValueStand() {
      CompletableFuture<String> result = new AsyncTaskGroup().use(tg -> {
        tg.spawn(() -> done(1));
        tg.spawn(() -> CompletableFuture.supplyAsync(() -> 2));
        return done("block");
      });
      assertEquals("block", Await.value(result));
    }

    @Test
    void theFirstChildFailureWinsWithTheOthersAttachedInOrder() {
      IllegalStateException first = new IllegalStateException("first");
      IllegalArgumentException second = new IllegalArgumentException("second");
      Exception blockFailure = new Exception("block");
      // Children that ignore the cancel, so that both fail.
      CompletableFuture<String> one = new CompletableFuture<>();
      CompletableFuture<String> two = new CompletableFuture<>();
      AsyncTaskGroup group = entered();
      group.spawn(one::minimalCompletionStage);
      group.spawn(two::minimalCompletionStage);
      one.completeExceptionally(first);
      CompletionStage<Boolean> exited = group.exit(blockFailure);
      two.completeExceptionally(second);
      assertSame(first, Await.failure(exited));
      assertArrayEquals(new Throwable[] {second, blockFailure}, first.getSuppressed());
    }

    @Test
    void theBlocksFailureAloneIsTheOutcome() {
      Exception blockFailure = new Exception("block");
      CompletableFuture<Object> result = new AsyncTaskGroup().use(tg -> {
        tg.spawn(() -> done(1));
        return CompletableFuture.failedFuture(blockFailure);
      });
      assertSame(blockFailure, Await.failure(result));
      assertArrayEquals(new Throwable[0], blockFailure.getSuppressed());
    }

    @Test
    void oneFailureObjectRaisedByTwoChildrenIsNeverAttachedToItself() {
      IllegalStateException shared = new IllegalStateException("shared");
      CompletableFuture<String> one = new CompletableFuture<>();
      CompletableFuture<String> two = new CompletableFuture<>();
      AsyncTaskGroup group = entered();
      group.spawn(one::minimalCompletionStage);
      group.spawn(two::minimalCompletionStage);
      one.completeExceptionally(shared);
      two.completeExceptionally(shared);
      assertSame(shared, Await.failure(group.exit(shared)));
      assertArrayEquals(new Throwable[0], shared.getSuppressed());
    }

    @Test
    void aGroupNeverSuppressesAFailure() {
      Exception blockFailure = new Exception("block");
      AsyncTaskGroup group = entered();
      Throwable outcome = Await.failure(group.exit(blockFailure));
      assertSame(blockFailure, outcome);
    }
  }

  /** G5 with rule 5 and 6: no failure lost, none attached twice, whatever the number. */
  @Nested
  class G5NoFailureLost {
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

    static final int CHILDREN = 4_000;
    final AtomicInteger causeReads = new AtomicInteger();

    /** Counts how often the library walks through a failure (getSuppressed is final). */
    final class Counted extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Counted(String message) {
        super(message, null, true, false);
      }

      @Override
      public synchronized Throwable getCause() {
        causeReads.incrementAndGet();
        return super.getCause();
      }
    }

    /**
     * Settling a group attaches every child failure to the first by rule 5, through the same linear
     * attachment as the exit stack's chain: not a walk of the first's growing suppressed list for
     * every one (4,000 failures took 8 million cause reads that way).
     */
    @Test
    void settlingManyFailedChildrenReadsEachFailureAConstantNumberOfTimes() {
      List<Counted> raised = new ArrayList<>();
      CompletableFuture<String> result =
          new AsyncTaskGroup()
              .use(
                  tg -> {
                    for (int i = 0; i < CHILDREN; i++) {
                      Counted failure = new Counted("child " + i);
                      raised.add(failure);
                      tg.spawn(() -> CompletableFuture.<String>failedFuture(failure));
                    }
                    return CompletableFuture.completedFuture("block");
                  });
      Throwable outcome = Await.failure(result);
      assertSame(raised.get(0), outcome);
      assertEquals(raised.subList(1, CHILDREN), Arrays.asList(outcome.getSuppressed()));
      int reads = causeReads.get();
      assertTrue(
          reads <= 8 * CHILDREN,
          () -> reads + " cause reads to settle " + CHILDREN + " child failures: not linear");
      assertEquals(List.of(), uncaught);
    }

    @Test
    void aChildFailureThatAlreadyReachesTheFirstIsNotAttachedAgain() {
      IllegalStateException first = new IllegalStateException("first");
      IllegalArgumentException wrapsFirst = new IllegalArgumentException("wraps first", first);
      IllegalArgumentException third = new IllegalArgumentException("third");
      first.addSuppressed(third); // reachable from the first already
      CompletableFuture<String> one = new CompletableFuture<>();
      CompletableFuture<String> two = new CompletableFuture<>();
      CompletableFuture<String> three = new CompletableFuture<>();
      AsyncTaskGroup group = entered();
      group.spawn(one::minimalCompletionStage);
      group.spawn(two::minimalCompletionStage);
      group.spawn(three::minimalCompletionStage);
      one.completeExceptionally(first);
      two.completeExceptionally(wrapsFirst); // attaching it would make a cycle
      three.completeExceptionally(third);
      assertSame(first, Await.failure(group.exit(null)));
      assertArrayEquals(new Throwable[] {third}, first.getSuppressed());
      assertArrayEquals(new Throwable[0], wrapsFirst.getSuppressed());
      assertEquals(List.of(), uncaught);
    }

    @Test
    void aFirstFailureThatRefusesSuppressionSendsTheOthersToTheUncaughtHandler() {
      RuntimeException first = new RuntimeException("first", null, false, false) {
        private static final long serialVersionUID = 1L;
      };
      IllegalArgumentException second = new IllegalArgumentException("second");
      IllegalArgumentException third = new IllegalArgumentException("third");
      CompletableFuture<String> one = new CompletableFuture<>();
      CompletableFuture<String> two = new CompletableFuture<>();
      CompletableFuture<String> three = new CompletableFuture<>();
      AsyncTaskGroup group = entered();
      group.spawn(one::minimalCompletionStage);
      group.spawn(two::minimalCompletionStage);
      group.spawn(three::minimalCompletionStage);
      one.completeExceptionally(first);
      two.completeExceptionally(second);
      three.completeExceptionally(third);
      assertSame(first, Await.failure(group.exit(null)));
      assertEquals(List.of(second, third), uncaught);
    }

    /**
     * A statement child's teardown failure after the group's cancel reaches the group's outcome
     * (rule 6: the enclosing statement receives it), exactly once, and is not reported as uncaught
     * as well.
     */
    @Test
    void aChildStatementsTeardownFailureAfterTheGroupsCancelReachesTheOutcomeOnce() {
      IllegalStateException sibling = new IllegalStateException("sibling");
      IllegalArgumentException teardown = new IllegalArgumentException("teardown");
      RecordingResource<String> resource =
          RecordingResource.named("r").onExit(failure -> CompletableFuture.failedFuture(teardown));
      CompletableFuture<String> failing = new CompletableFuture<>();
      CompletableFuture<String> result =
          new AsyncTaskGroup()
              .use(
                  tg -> {
                    tg.spawn(() -> resource.use(v -> new CompletableFuture<String>()));
                    tg.spawn(() -> failing);
                    return CompletableFuture.completedFuture("block");
                  });
      failing.completeExceptionally(sibling);
      Throwable outcome = Await.failure(result);
      assertSame(sibling, outcome);
      assertEquals(List.of(teardown), Arrays.asList(outcome.getSuppressed()));
      assertEquals(List.of(), uncaught, "reported as uncaught as well as attached");
      assertEquals(1, resource.exits.get());
    }
  }

  @Nested
  class G6SingleUseAndThreads {

    @Test
    void aSecondEnterFails() {
      AsyncTaskGroup group = entered();
      assertInstanceOf(IllegalStateException.class, Failures.unwrap(Await.failure(group.enter())));
      assertFalse(Await.value(group.exit(null)));
      assertInstanceOf(IllegalStateException.class, Failures.unwrap(Await.failure(group.enter())));
    }

    @Test
    void aSecondUseThatCannotEnterLeavesTheFirstAlone() {
      CompletableFuture<String> child = new CompletableFuture<>();
      AsyncTaskGroup group = new AsyncTaskGroup();
      AtomicReference<CompletableFuture<Object>> second = new AtomicReference<>();
      CompletableFuture<String> first = group.use(tg -> {
        tg.spawn(() -> child);
        second.set(group.use(again -> done(null)));
        return done("first");
      });
      assertInstanceOf(IllegalStateException.class, Await.failure(second.get()));
      assertFalse(child.isDone(), "the failed second use does not cancel the first's children");
      child.complete("child");
      assertEquals("first", Await.value(first));
    }

    @Test
    void cancellingTheResultWhileTheGroupWaitsCancelsTheChildren() {
      CompletableFuture<String> child = new CompletableFuture<>();
      CompletableFuture<String> result = new AsyncTaskGroup().use(tg -> {
        tg.spawn(() -> child);
        return done("block");
      });
      result.cancel(true);
      assertTrue(child.isCancelled());
    }

    @Test
    void exitBeforeEnterAndASecondExitFail() {
      AsyncTaskGroup group = new AsyncTaskGroup();
      assertInstanceOf(IllegalStateException.class, Failures.unwrap(Await.failure(group.exit(null))));
      Await.value(group.enter());
      assertFalse(Await.value(group.exit(null)));
      assertInstanceOf(IllegalStateException.class, Failures.unwrap(Await.failure(group.exit(null))));
    }

    @Test
    void toStringNamesThePhase() {
      AsyncTaskGroup group = new AsyncTaskGroup();
      assertTrue(group.toString().contains("new"), group.toString());
      Await.value(group.enter());
      group.spawn(CompletableFuture::new);
      assertTrue(group.toString().contains("open"), group.toString());
    }
  }

  @Nested
  class BlockingChildren {

    @Test
    void runsTheTaskOnAThreadOfItsOwn() throws Exception {
      AtomicReference<Thread> ranOn = new AtomicReference<>();
      CompletableFuture<String> result = new AsyncTaskGroup().use(tg -> tg.spawnBlocking(() -> {
        ranOn.set(Thread.currentThread());
        return "blocking";
      }));
      assertEquals("blocking", Await.value(result));
      Thread thread = ranOn.get();
      assertFalse(thread == Thread.currentThread());
      assertTrue(thread.getName().contains("AsyncTaskGroup"), thread.getName());
      assertEquals(GeneratorThreads.virtual(), isVirtual(thread));
      assertTrue(GeneratorThreads.virtual() || thread.isDaemon(), "a daemon platform thread");
      thread.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
      assertFalse(thread.isAlive(), "the thread ends with its task");
    }

    @Test
    void aSiblingFailureInterruptsItAndItEndsCancelled() {
      IllegalStateException failure = new IllegalStateException("sibling");
      CountDownLatch sleeping = new CountDownLatch(1);
      AtomicBoolean interrupted = new AtomicBoolean();
      CompletableFuture<String> failing = new CompletableFuture<>();
      AtomicReference<CompletableFuture<String>> blocking = new AtomicReference<>();
      CompletableFuture<String> result = new AsyncTaskGroup().use(tg -> {
        blocking.set(tg.spawnBlocking(() -> {
          sleeping.countDown();
          try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(60));
            return "slept";
          } catch (InterruptedException e) {
            interrupted.set(true);
            throw e;
          }
        }));
        tg.spawn(() -> failing);
        return done("block");
      });
      await(sleeping);
      failing.completeExceptionally(failure);
      Throwable outcome = Await.failure(result);
      assertSame(failure, outcome);
      assertArrayEquals(new Throwable[0], outcome.getSuppressed(), "a cancelled child is not a failure");
      assertTrue(interrupted.get());
      assertTrue(blocking.get().isCancelled());
    }

    @Test
    void theGroupWaitsForAThreadThatIgnoresTheInterrupt() {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AsyncTaskGroup group = entered();
      CompletableFuture<String> child = group.spawnBlocking(() -> {
        started.countDown();
        while (true) {
          try {
            release.await();
            return "finished anyway";
          } catch (InterruptedException ignored) {
            // keeps waiting
          }
        }
      });
      await(started);
      child.cancel(true);
      CompletionStage<Boolean> exited = group.exit(null);
      Await.settle(Duration.ofMillis(50));
      Await.pending(exited);
      release.countDown();
      assertFalse(Await.value(exited));
    }

    @Test
    void itsFailureCancelsTheOthersAndIsTheOutcome() {
      IllegalStateException failure = new IllegalStateException("blocking");
      CompletableFuture<String> sibling = new CompletableFuture<>();
      CompletableFuture<String> result = new AsyncTaskGroup().use(tg -> {
        tg.spawn(() -> sibling);
        tg.spawnBlocking(() -> {
          throw failure;
        });
        return new CompletableFuture<>();
      });
      assertSame(failure, Await.failure(result));
      assertTrue(sibling.isCancelled());
    }

    @Test
    void oneSpawnedWhileTheGroupCancelsNeverRuns() {
      IllegalStateException failure = new IllegalStateException("child");
      AtomicBoolean ran = new AtomicBoolean();
      AtomicReference<CompletableFuture<Object>> late = new AtomicReference<>();
      CompletableFuture<Object> result = new AsyncTaskGroup().use(tg -> {
        tg.spawn(() -> CompletableFuture.failedFuture(failure));
        late.set(tg.spawnBlocking(() -> {
          ran.set(true);
          return null;
        }));
        return done(null);
      });
      assertSame(failure, Await.failure(result));
      assertTrue(late.get().isCancelled());
      assertFalse(ran.get());
    }

    @Test
    void noInterruptLeaksPastTheTask() {
      CountDownLatch started = new CountDownLatch(1);
      AtomicBoolean interruptedAfter = new AtomicBoolean();
      AsyncTaskGroup group = entered();
      CompletableFuture<String> child = group.spawnBlocking(() -> {
        started.countDown();
        // Spin without checking interrupts: the cancel lands while the task runs or just after.
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
        return "done";
      });
      CompletableFuture<Boolean> observed = new CompletableFuture<>();
      group.exit(null).whenComplete((v, f) -> {
        interruptedAfter.set(Thread.currentThread().isInterrupted());
        observed.complete(true);
      });
      await(started);
      child.cancel(true);
      Await.value(observed);
      assertFalse(interruptedAfter.get(), "the code that continues on the child's thread");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(Await.SECONDS, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static boolean isVirtual(Thread thread) {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    } catch (ReflectiveOperationException absent) {
      return false; // JDK 17: no virtual threads
    }
  }
}
