package dev.asyncwith;

import static dev.asyncwith.Generators.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The decision table of a generator's {@code exit}, independent of either engine. */
class GeneratorOutcomeTest {
  private static final String NAME = "Pools.lease";

  private final IllegalArgumentException block = new IllegalArgumentException("block");
  private final IllegalStateException other = new IllegalStateException("other");
  private final IllegalStateException twice = GeneratorOutcome.yieldedTwice(NAME);

  private Object decide(Throwable block, Throwable method, Throwable twice, boolean early) {
    return GeneratorOutcome.decide(NAME, block, method, twice, early);
  }

  @Test
  void pythonsTable() {
    assertEquals(Boolean.FALSE, decide(null, null, null, false), "normal block, normal method");
    assertEquals(Boolean.TRUE, decide(block, null, null, false), "caught and finished");
    assertEquals(Boolean.FALSE, decide(block, block, null, false), "re-raised");
    assertSame(other, decide(block, other, null, false), "replaced");
    assertSame(other, decide(null, other, null, false), "teardown failed after a normal block");
    assertEquals(0, other.getSuppressed().length, "use/with attach the block's failure");
  }

  @Test
  void yieldedTwiceStandsWhetherTheMethodCaughtItOrNot() {
    assertSame(twice, decide(null, null, twice, false));
    assertSame(twice, decide(block, null, twice, false));
    assertSame(twice, decide(block, twice, twice, false));
    assertEquals(0, twice.getSuppressed().length);
  }

  @Test
  void aDifferentFailureWinsOverYieldedTwiceCarryingIt() {
    assertSame(other, decide(block, other, twice, false));
    assertArrayEquals(new Throwable[] {twice}, other.getSuppressed());
  }

  @Test
  void tooEarlyCarriesTheMethodsFailure() {
    Throwable tooEarly = (Throwable) decide(block, other, null, true);
    assertInstanceOf(IllegalStateException.class, tooEarly);
    assertMentions(tooEarly, NAME, "too early");
    assertArrayEquals(new Throwable[] {other}, tooEarly.getSuppressed());

    Throwable alone = (Throwable) decide(null, null, null, true);
    assertEquals(0, alone.getSuppressed().length);
  }

  @Test
  void yieldedTwiceWinsOverTooEarlyWithTheOthersAttached() {
    assertSame(twice, decide(null, other, twice, true));
    Throwable[] attached = twice.getSuppressed();
    assertEquals(2, attached.length);
    assertMentions(attached[0], "too early");
    assertSame(other, attached[1]);
  }

  @Test
  void booleanResultsAreSharedStages() {
    assertSame(Stages.TRUE, GeneratorOutcome.toStage(Boolean.TRUE));
    assertSame(Stages.FALSE, GeneratorOutcome.toStage(Boolean.FALSE));
    CompletableFuture<Boolean> failed = GeneratorOutcome.toStage(other).toCompletableFuture();
    assertSame(other, Await.failure(failed));

    CompletableFuture<Boolean> result = new CompletableFuture<>();
    GeneratorOutcome.complete(result, Boolean.TRUE);
    assertEquals(Boolean.TRUE, result.getNow(null));
  }

  @Test
  void onlyANewFailureOfAnUnawaitedExitIsReported() {
    try (Await.Uncaught uncaught = new Await.Uncaught()) {
      CancellationException cancelled = new CancellationException();
      GeneratorOutcome.reportIfNew(null, cancelled);
      GeneratorOutcome.reportIfNew(new CompletionException(cancelled), cancelled);
      GeneratorOutcome.reportIfNew(new CancellationException("another"), cancelled);
      GeneratorOutcome.reportIfNew(new CompletionException(other), cancelled);
      uncaught.assertOnly(other);
    }
  }

  @Test
  void messagesNameTheMethod() {
    for (Throwable failure :
        List.of(
            GeneratorOutcome.didNotYield(NAME),
            GeneratorOutcome.yieldedTwice(NAME),
            GeneratorOutcome.tooEarly(NAME),
            GeneratorOutcome.yieldedAfterCompleting(NAME),
            GeneratorOutcome.enteredTwice(NAME),
            GeneratorOutcome.exitedTwice(NAME),
            GeneratorOutcome.exitBeforeEnter(NAME))) {
      assertTrue(failure.getMessage().startsWith(NAME + " "), failure::getMessage);
    }
  }
}
