package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The contextlib counterparts: aclosing, nullcontext, closing. */
class AsyncContextsTest {

  private final Exception blockFailure = new Exception("block failed");

  @Test
  void aclosingGivesTheValueAndClosesItOnTheWayOut() {
    List<String> closed = RecordingResource.newLog();
    AsyncResource<String> resource = AsyncContexts.aclosing("stream", value -> {
      closed.add(value);
      return CompletableFuture.completedFuture(null);
    });
    assertEquals("STREAM", Await.value(resource.use(v -> CompletableFuture.completedFuture(v.toUpperCase()))));
    assertEquals(List.of("stream"), closed);
  }

  @Test
  void aclosingNeverSuppressesEvenIfCloseCompletesTrue() {
    AsyncResource<String> resource =
        AsyncContexts.aclosing("stream", value -> CompletableFuture.completedFuture(Boolean.TRUE));
    assertSame(blockFailure, Await.failure(resource.use(v -> CompletableFuture.failedFuture(blockFailure))));
  }

  @Test
  void aclosingWaitsForAPendingClose() {
    CompletableFuture<Void> closing = new CompletableFuture<>();
    AsyncResource<String> resource = AsyncContexts.aclosing("stream", value -> closing);
    CompletableFuture<String> result = resource.use(v -> CompletableFuture.completedFuture("done"));
    Await.pending(result);
    closing.complete(null);
    assertEquals("done", Await.value(result));
  }

  @Test
  void aclosingsCloseFailureWinsWithTheBlockFailureAttached() {
    IllegalStateException closeFailure = new IllegalStateException("close failed");
    CompletableFuture<Void> closing = new CompletableFuture<>();
    AsyncResource<String> resource = AsyncContexts.aclosing("stream", value -> closing);
    CompletableFuture<String> result = resource.use(v -> CompletableFuture.failedFuture(blockFailure));
    closing.completeExceptionally(closeFailure);
    assertSame(closeFailure, Await.failure(result));
    assertArrayEquals(new Throwable[] {blockFailure}, closeFailure.getSuppressed());
  }

  @Test
  void aclosingsCloseThatThrowsOrReturnsNullIsAFailure() {
    IllegalStateException thrown = new IllegalStateException("close threw");
    AsyncResource<String> throwing = AsyncContexts.aclosing("s", value -> {
      throw thrown;
    });
    assertSame(thrown, Await.failure(throwing.use(v -> CompletableFuture.completedFuture("x"))));
    Function<String, CompletionStage<?>> nullClose = value -> null;
    AsyncResource<String> nulling = AsyncContexts.aclosing("s", nullClose);
    assertInstanceOf(NullPointerException.class,
        Await.failure(nulling.use(v -> CompletableFuture.completedFuture("x"))));
  }

  @Test
  void aclosingClosesOnEachUse() {
    AtomicInteger closes = new AtomicInteger();
    AsyncResource<String> resource = AsyncContexts.aclosing("s", value -> {
      closes.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    });
    Await.value(resource.use(v -> CompletableFuture.completedFuture(v)));
    Await.value(resource.use(v -> CompletableFuture.completedFuture(v)));
    assertEquals(2, closes.get());
  }

  @Test
  void nullContextGivesItsValueAndDoesNothing() {
    AsyncResource<String> resource = AsyncContexts.nullContext("given");
    assertEquals("given", Await.value(resource.use(v -> CompletableFuture.completedFuture(v))));
    assertFalse(Await.value(resource.exit(blockFailure)));
    assertSame(blockFailure, Await.failure(resource.use(v -> CompletableFuture.failedFuture(blockFailure))));
  }

  @Test
  void nullContextWithoutAValueGivesNull() {
    AsyncResource<Object> resource = AsyncContexts.nullContext();
    assertNull(Await.value(resource.enter()));
    Boolean boundNull = Await.value(resource.use(v -> CompletableFuture.completedFuture(v == null)));
    assertTrue(boundNull);
  }

  @Test
  void closingClosesTheAutoCloseableOnTheWayOut() {
    AtomicInteger closes = new AtomicInteger();
    AutoCloseable closeable = closes::incrementAndGet;
    AsyncResource<AutoCloseable> resource = AsyncContexts.closing(closeable);
    assertSame(closeable, Await.value(resource.use(v -> CompletableFuture.completedFuture(v))));
    assertEquals(1, closes.get());
  }

  @Test
  void closingsCloseFailureFollowsRuleFive() {
    Exception closeFailure = new java.io.IOException("close failed");
    AutoCloseable closeable = () -> {
      throw closeFailure;
    };
    AsyncResource<AutoCloseable> resource = AsyncContexts.closing(closeable);
    assertSame(closeFailure, Await.failure(resource.use(v -> CompletableFuture.failedFuture(blockFailure))));
    assertArrayEquals(new Throwable[] {blockFailure}, closeFailure.getSuppressed());
  }

  @Test
  void closingWorksInAnExitStack() {
    AtomicInteger closes = new AtomicInteger();
    AsyncExitStack stack = new AsyncExitStack();
    Await.value(stack.enterContext(AsyncContexts.closing(closes::incrementAndGet)));
    Await.value(stack.close());
    assertEquals(1, closes.get());
  }

  @Test
  void nullArgumentsAreRejected() {
    assertThrows(NullPointerException.class, () -> AsyncContexts.aclosing(null, v -> null));
    assertThrows(NullPointerException.class, () -> AsyncContexts.aclosing("s", null));
    assertThrows(NullPointerException.class, () -> AsyncContexts.closing(null));
  }

  // suppress: Python's contextlib.suppress.

  @Test
  void suppressSuppressesTheListedTypesAndTheirSubclasses() {
    AsyncResource<Void> suppress =
        AsyncContexts.suppress(java.io.IOException.class, IllegalStateException.class);
    CompletableFuture<String> subclass = suppress.use(
        v -> CompletableFuture.failedFuture(new java.nio.file.NoSuchFileException("gone")));
    assertNull(Await.value(subclass));
    CompletableFuture<String> listed =
        suppress.use(v -> CompletableFuture.failedFuture(new IllegalStateException("listed")));
    assertNull(Await.value(listed));
    assertTrue(Await.value(suppress.exit(new java.util.concurrent.CompletionException(
        new java.io.IOException("wrapped")))), "unwrapped first (rule 3)");
  }

  @Test
  void suppressLetsEveryOtherFailureAndEveryValueStand() {
    AsyncResource<Void> suppress = AsyncContexts.suppress(java.io.IOException.class);
    assertSame(blockFailure, Await.failure(suppress.use(v -> CompletableFuture.failedFuture(blockFailure))));
    IllegalArgumentException thrown = new IllegalArgumentException("thrown");
    assertSame(thrown, Await.failure(suppress.use(v -> {
      throw thrown;
    })));
    assertEquals("value", Await.value(suppress.use(v -> CompletableFuture.completedFuture("value"))));
    assertFalse(Await.value(suppress.exit(null)));
  }

  @Test
  void suppressWithNoTypesSuppressesNothing() {
    AsyncResource<Void> suppress = AsyncContexts.suppress();
    assertSame(blockFailure, Await.failure(suppress.use(v -> CompletableFuture.failedFuture(blockFailure))));
    assertFalse(Await.value(suppress.exit(new Error("any"))));
  }

  @Test
  void suppressRejectsANullArrayOrElement() {
    assertThrows(NullPointerException.class, () -> AsyncContexts.suppress((Class<? extends Throwable>[]) null));
    NullPointerException element = assertThrows(NullPointerException.class,
        () -> AsyncContexts.suppress(java.io.IOException.class, null));
    assertTrue(element.getMessage().contains("types[1]"), element.getMessage());
  }

  @Test
  void suppressCanBeUsedAgainAndCopiesItsArguments() {
    @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
    Class<? extends Throwable>[] types = new Class[] {java.io.IOException.class};
    AsyncResource<Void> suppress = AsyncContexts.suppress(types);
    types[0] = IllegalStateException.class;
    for (int use = 0; use < 3; use++) {
      assertNull(Await.value(suppress.use(
          v -> CompletableFuture.failedFuture(new java.io.IOException("use")))));
    }
    assertSame(blockFailure, Await.failure(AsyncWith.with(suppress, suppress,
        (a, b) -> CompletableFuture.failedFuture(blockFailure))));
    assertEquals("suppress(IOException)", suppress.toString());
  }
}
