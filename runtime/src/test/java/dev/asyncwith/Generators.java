package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Test support for the engines: hand-written generator classes shaped like the generated ones, a
 * shared pool, and thread checks. Bounded waits for stages are in {@link Await}.
 */
final class Generators {
  private Generators() {}

  /**
   * Threads for stages that must complete elsewhere than on the test's thread, shared by every
   * test class. Daemon threads, so nothing needs shutting down.
   */
  static final ExecutorService POOL =
      Executors.newFixedThreadPool(
          4,
          task -> {
            Thread thread = new Thread(task, "generators-test-pool");
            thread.setDaemon(true);
            return thread;
          });

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

  /** Waits for {@code thread} to end, at most {@link Await#SECONDS}. */
  static void assertEnds(Thread thread) throws InterruptedException {
    thread.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
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
