package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Rule 9: failures are failed stages; only null arguments throw, at once. */
class NoSynchronousThrowRuleTest {

  private final RecordingResource<String> resource = RecordingResource.named("r");
  private final Function<String, CompletionStage<String>> body =
      v -> CompletableFuture.completedFuture(v);

  @Test
  void nullArgumentsAreRejectedAtOnce() {
    assertThrows(NullPointerException.class, () -> resource.use(null));
    assertThrows(NullPointerException.class, () -> resource.use(null, body));
    assertThrows(NullPointerException.class, () -> resource.use(Duration.ofSeconds(1), null));
    assertThrows(NullPointerException.class, () -> AsyncWith.with(null, resource, (x, y) -> null));
    assertThrows(NullPointerException.class, () -> AsyncWith.with(resource, null, (x, y) -> null));
    assertThrows(NullPointerException.class,
        () -> AsyncWith.with(resource, resource, (java.util.function.BiFunction<String, String, CompletionStage<String>>) null));
    assertThrows(NullPointerException.class,
        () -> AsyncWith.with(resource, resource, null, (x, y, z) -> null));
    assertThrows(NullPointerException.class,
        () -> AsyncWith.with(resource, resource, resource, (AsyncWith.Body3<String, String, String, String>) null));
  }

  @Test
  void anErrorThrownByExitIsAFailedStage() {
    StackOverflowError error = new StackOverflowError("exit blew up");
    resource.onExit(f -> {
      throw error;
    });
    CompletableFuture<String> result = assertDoesNotThrow(() -> resource.use(body));
    assertSame(error, Await.failure(result));
  }

  /** A stage whose whenComplete throws, as a broken third-party stage might. */
  static final class Unattachable<T> extends CompletableFuture<T> {
    final RuntimeException thrown = new UnsupportedOperationException("cannot attach");

    @Override
    public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
      throw thrown;
    }

    @Override
    public CompletableFuture<T> whenCompleteAsync(
        BiConsumer<? super T, ? super Throwable> action, Executor executor) {
      throw thrown;
    }
  }

  @Test
  void aBlockStageThatCannotBeAttachedToCountsAsFailedWithWhatItThrew() {
    Unattachable<String> block = new Unattachable<>();
    CompletableFuture<String> result = assertDoesNotThrow(() -> resource.use(v -> block));
    assertSame(block.thrown, Await.failure(result));
    assertSame(block.thrown, resource.exitFailure());
  }

  @Test
  void anEnterStageThatCannotBeAttachedToFailsTheResult() {
    Unattachable<String> entering = new Unattachable<>();
    resource.onEnter(() -> entering);
    CompletableFuture<String> result = assertDoesNotThrow(() -> resource.use(body));
    assertSame(entering.thrown, Await.failure(result));
  }

  @Test
  void anExitStageThatCannotBeAttachedToFailsTheResult() {
    Unattachable<Boolean> exiting = new Unattachable<>();
    resource.onExit(f -> exiting);
    CompletableFuture<String> result = assertDoesNotThrow(() -> resource.use(body));
    assertSame(exiting.thrown, Await.failure(result));
  }

  @Test
  void exitStackMethodsNeverThrowExceptForNull() {
    AsyncExitStack stack = new AsyncExitStack();
    assertThrows(NullPointerException.class, () -> stack.enterContext(null));
    assertThrows(NullPointerException.class, () -> stack.push(null));
    assertThrows(NullPointerException.class, () -> stack.callback(null));
    IllegalStateException thrown = new IllegalStateException("enter threw");
    CompletionStage<String> entered = assertDoesNotThrow(() -> stack.enterContext(
        RecordingResource.named("bad").onEnter(() -> {
          throw thrown;
        })));
    assertSame(thrown, Await.failure(entered));
    stack.push(f -> {
      throw thrown;
    });
    assertSame(thrown, Await.failure(assertDoesNotThrow(stack::close)));
  }
}
