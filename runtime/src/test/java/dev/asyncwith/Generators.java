package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Test support: hand-written generator classes shaped like the generated ones, and bounded
 * waits, so that a bug fails a test instead of hanging it.
 */
final class Generators {
  private Generators() {}

  /** How long any test waits for anything. */
  static final long TIMEOUT_SECONDS = 10;

  /** A non-blocking generator method, as a lambda. */
  @FunctionalInterface
  interface AsyncMethod<T> {
    CompletionStage<?> call(AsyncYield<T> yield) throws Throwable;
  }

  /** A blocking generator method, as a lambda. */
  @FunctionalInterface
  interface BlockingMethod<T> {
    void call(Yield<T> yield) throws Throwable;
  }

  /** What the processor would generate for {@code method}, named {@code name}. */
  static <T> AsyncGenerator<T> async(String name, AsyncMethod<T> method) {
    return new AsyncGenerator<T>(name) {
      @Override
      protected CompletionStage<?> generate(AsyncYield<T> yield) throws Throwable {
        return method.call(yield);
      }
    };
  }

  /** What the processor would generate for {@code method}, named {@code name}. */
  static <T> BlockingGenerator<T> blocking(String name, BlockingMethod<T> method) {
    return new BlockingGenerator<T>(name) {
      @Override
      protected void generate(Yield<T> yield) throws Throwable {
        method.call(yield);
      }
    };
  }

  /** The stage's value, waiting at most {@link #TIMEOUT_SECONDS}; fails if it failed. */
  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected a value, the stage failed", e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the stage did not complete in time", e);
    }
  }

  /**
   * The stage's failure as a callback sees it (not wrapped by {@code get}), waiting at most
   * {@link #TIMEOUT_SECONDS}; fails if the stage completed normally.
   */
  static Throwable failure(CompletionStage<?> stage) {
    Throwable failure = await(stage.handle((value, thrown) -> thrown));
    assertNotNull(failure, "expected the stage to fail");
    return failure;
  }

  /** Waits for {@code thread} to end, at most {@link #TIMEOUT_SECONDS}. */
  static void assertEnds(Thread thread) throws InterruptedException {
    thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    if (thread.isAlive()) {
      fail("thread " + thread.getName() + " is still alive");
    }
  }

  /** Whether {@code thread} is a virtual thread ({@code Thread.isVirtual()}, JDK 21+). */
  static boolean isVirtual(Thread thread) {
    try {
      Method isVirtual = Thread.class.getMethod("isVirtual");
      return (Boolean) isVirtual.invoke(thread);
    } catch (NoSuchMethodException e) {
      return false;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Whether the running JDK has virtual threads (21 and later). */
  static boolean jdkHasVirtualThreads() {
    return Runtime.version().feature() >= 21;
  }

  /** Asserts that {@code message} contains every one of {@code parts}. */
  static void assertMentions(Throwable failure, String... parts) {
    String message = String.valueOf(failure.getMessage());
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
    }
  }
}
