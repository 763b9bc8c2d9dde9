package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The futures and stages the runtime hands to users are not also its internal callbacks: a
 * {@code BiConsumer} there would let anyone who casts it fake a step's outcome (an exit before the
 * block ended, a method completing early).
 */
class NoPublicCallbackTest {

  @Test
  void theStatementsFutureIsNoCallback() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> result =
        AsyncContexts.nullContext("value").use(value -> pending);
    assertFalse(result instanceof BiConsumer, "use's future must not be a BiConsumer");
    pending.complete("done");
    assertEquals("done", Await.value(result));

    CompletableFuture<String> atOnce =
        AsyncWith.with(
            AsyncContexts.nullContext("a"),
            AsyncContexts.nullContext("b"),
            (a, b) -> CompletableFuture.completedFuture(a + b));
    assertFalse(atOnce instanceof BiConsumer, "with's future must not be a BiConsumer");
  }

  @Test
  void theStageAYieldReturnsIsNoCallback() {
    AtomicReference<CompletionStage<Void>> yielded = new AtomicReference<>();
    CompletableFuture<Void> teardown = new CompletableFuture<>();
    AsyncGenerator<String> generator =
        Generators.async(
            "Test.method",
            yield -> {
              CompletionStage<Void> stage = yield.yield("value");
              yielded.set(stage);
              return stage.thenCompose(ignored -> teardown); // pending: watched by a callback
            });
    CompletableFuture<String> result = generator.use(CompletableFuture::completedFuture);
    assertFalse(yielded.get() instanceof BiConsumer, "yield's stage must not be a BiConsumer");
    teardown.complete(null);
    assertEquals("value", Await.value(result));
  }
}
