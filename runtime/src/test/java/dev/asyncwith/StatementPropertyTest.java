package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Every combination of what enter, the body and exit may do (a value or a failure; thrown,
 * returned as {@code null}, or as a stage completed now or later; wrapped or not), checked against
 * rules 1 to 5 written out as a small model.
 */
class StatementPropertyTest {

  enum Enter { VALUE_NOW, VALUE_LATER, THROW, NULL, FAIL_NOW, FAIL_LATER, FAIL_WRAPPED }

  enum Body { VALUE_NOW, VALUE_LATER, THROW, NULL, FAIL_NOW, FAIL_LATER, FAIL_WRAPPED }

  enum Exit { FALSE_NOW, TRUE_NOW, NULL_BOOLEAN, TRUE_LATER, FALSE_LATER, THROW, NULL, FAIL_NOW, FAIL_LATER }

  /** Completions the test performs after use has returned, one step at a time. */
  private final ArrayDeque<Runnable> later = new ArrayDeque<>();

  private <T> CompletionStage<T> valueLater(T value) {
    CompletableFuture<T> stage = new CompletableFuture<>();
    later.add(() -> stage.complete(value));
    return stage;
  }

  private <T> CompletionStage<T> failLater(Throwable failure) {
    CompletableFuture<T> stage = new CompletableFuture<>();
    later.add(() -> stage.completeExceptionally(failure));
    return stage;
  }

  @Property(tries = 500) // 441 combinations: jqwik tries them all
  void theOutcomeFollowsRulesOneToFive(
      @ForAll Enter enter, @ForAll Body body, @ForAll Exit exit) {
    Exception enterFailure = new Exception("enter");
    Exception blockFailure = new Exception("block");
    IllegalStateException exitFailure = new IllegalStateException("exit");
    AtomicInteger bodyRuns = new AtomicInteger();

    RecordingResource<String> resource = RecordingResource.named("r");
    resource.onEnter(() -> {
      switch (enter) {
        case VALUE_NOW: return CompletableFuture.completedFuture("v");
        case VALUE_LATER: return valueLater("v");
        case THROW: throw new CompletionException(enterFailure);
        case NULL: return null;
        case FAIL_NOW: return CompletableFuture.failedFuture(enterFailure);
        case FAIL_LATER: return failLater(enterFailure);
        default: return CompletableFuture.failedFuture(new CompletionException(enterFailure));
      }
    });
    resource.onExit(failure -> {
      switch (exit) {
        case FALSE_NOW: return CompletableFuture.completedFuture(false);
        case TRUE_NOW: return CompletableFuture.completedFuture(true);
        case NULL_BOOLEAN: return CompletableFuture.completedFuture(null);
        case TRUE_LATER: return valueLater(true);
        case FALSE_LATER: return valueLater(false);
        case THROW: throw exitFailure;
        case NULL: return null;
        case FAIL_NOW: return CompletableFuture.failedFuture(exitFailure);
        default: return failLater(new CompletionException(exitFailure));
      }
    });
    CompletableFuture<String> result = resource.use(value -> {
      bodyRuns.incrementAndGet();
      switch (body) {
        case VALUE_NOW: return CompletableFuture.completedFuture(value + "!");
        case VALUE_LATER: return valueLater(value + "!");
        case THROW: throw new IllegalArgumentException("body", blockFailure);
        case NULL: return null;
        case FAIL_NOW: return CompletableFuture.failedFuture(blockFailure);
        case FAIL_LATER: return failLater(blockFailure);
        default: return CompletableFuture.failedFuture(new CompletionException(blockFailure));
      }
    });
    while (!later.isEmpty()) {
      later.poll().run();
    }

    // Rule 1.
    boolean enterFails = enter != Enter.VALUE_NOW && enter != Enter.VALUE_LATER;
    if (enterFails) {
      Throwable failure = Await.failure(result);
      if (enter == Enter.NULL) {
        assertInstanceOf(NullPointerException.class, failure);
      } else {
        assertSame(enterFailure, failure);
      }
      assertEquals(0, bodyRuns.get());
      assertEquals(0, resource.exits.get());
      return;
    }
    // Rules 2 and 3: exit sees the block's failure itself, unwrapped.
    assertEquals(1, bodyRuns.get());
    Throwable seenByExit = resource.exitFailure();
    Throwable block;
    switch (body) {
      case VALUE_NOW:
      case VALUE_LATER:
        block = null;
        assertNull(seenByExit);
        break;
      case THROW:
        block = seenByExit;
        assertInstanceOf(IllegalArgumentException.class, seenByExit);
        break;
      case NULL:
        block = seenByExit;
        assertInstanceOf(NullPointerException.class, seenByExit);
        break;
      default:
        block = blockFailure;
        assertSame(blockFailure, seenByExit);
    }
    // Rules 4 and 5.
    boolean exitFails = exit == Exit.THROW || exit == Exit.NULL || exit == Exit.FAIL_NOW
        || exit == Exit.FAIL_LATER;
    boolean suppresses = exit == Exit.TRUE_NOW || exit == Exit.TRUE_LATER;
    if (exitFails) {
      Throwable failure = Await.failure(result);
      if (exit == Exit.NULL) {
        assertInstanceOf(NullPointerException.class, failure);
      } else {
        assertSame(exitFailure, failure);
      }
      assertArrayEquals(block == null ? new Throwable[0] : new Throwable[] {block},
          failure.getSuppressed());
    } else if (block == null) {
      assertEquals("v!", Await.value(result));
    } else if (suppresses) {
      assertNull(Await.value(result));
    } else {
      assertSame(block, Await.failure(result));
    }
  }
}
