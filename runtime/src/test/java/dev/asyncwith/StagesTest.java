package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared completed stages: readable like any future, changeable by nobody. */
class StagesTest {

  @Test
  void sharedStagesAreCompleteAndReadable() {
    CompletableFuture<Boolean> yes = Stages.TRUE.toCompletableFuture();
    CompletableFuture<Boolean> no = Stages.FALSE.toCompletableFuture();
    assertTrue(yes.isDone());
    assertFalse(yes.isCompletedExceptionally());
    assertEquals(Boolean.TRUE, yes.getNow(null));
    assertEquals(Boolean.FALSE, no.join());
    assertEquals(Boolean.TRUE, Stages.of(true).toCompletableFuture().join());
    assertEquals("yes", Await.value(yes.thenApply(v -> v ? "yes" : "no")));
    CompletableFuture<String> none = Stages.<String>completedNull().toCompletableFuture();
    assertTrue(none.isDone());
    assertEquals(null, none.join());
  }

  @Test
  void theRuntimeReadsThemWithoutAttaching() {
    assertEquals(Boolean.TRUE, Stages.now(Stages.TRUE));
    assertEquals(Boolean.FALSE, Stages.now(Stages.FALSE));
    assertEquals(null, Stages.now(Stages.completedNull()));
  }

  @Test
  void nobodyCanChangeThem() throws Exception {
    CompletableFuture<Boolean> shared = Stages.TRUE.toCompletableFuture();
    assertFalse(shared.complete(false));
    assertFalse(shared.completeExceptionally(new IllegalStateException()));
    assertFalse(shared.cancel(true));
    shared.orTimeout(1, TimeUnit.MILLISECONDS);
    shared.completeOnTimeout(false, 1, TimeUnit.MILLISECONDS);
    shared.completeAsync(() -> false).exceptionally(f -> null);
    assertThrows(UnsupportedOperationException.class, () -> shared.obtrudeValue(false));
    assertThrows(
        UnsupportedOperationException.class,
        () -> shared.obtrudeException(new IllegalStateException()));

    Thread.sleep(Duration.ofMillis(20).toMillis());
    assertEquals(Boolean.TRUE, shared.join());
    assertFalse(shared.isCompletedExceptionally());
    CompletableFuture<Object> none = Stages.completedNull().toCompletableFuture();
    assertFalse(none.complete("changed"));
    assertThrows(UnsupportedOperationException.class, () -> none.obtrudeValue("changed"));
    assertEquals(null, none.join());
  }
}
