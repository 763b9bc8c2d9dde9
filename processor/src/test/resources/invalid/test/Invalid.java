package test;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.Yield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One method for each diagnostic of the catalogue, each on a line of its own. */
public class Invalid {
  @AsyncContextManager
  private static CompletionStage<Void> hidden(AsyncYield<String> yield) { // PrivateMethod
    return yield.yield("x");
  }

  private static class Secret {
    @AsyncContextManager
    static CompletionStage<Void> secret(AsyncYield<String> yield) { // PrivateEnclosingType
      return yield.yield("x");
    }
  }

  @AsyncContextManager
  static void noYield(String name) {} // NoYieldParameter

  @AsyncContextManager
  static CompletionStage<Void> two(AsyncYield<String> a, AsyncYield<String> b) { // Several
    return a.yield("x").thenCompose(v -> b.yield("y"));
  }

  @SuppressWarnings("rawtypes")
  @AsyncContextManager
  static CompletionStage<Void> raw(AsyncYield yield) { // RawYield
    return CompletableFuture.completedFuture(null);
  }

  @AsyncContextManager
  static CompletionStage<Void> wildcard(AsyncYield<?> yield) { // WildcardYield
    return yield.yield(null);
  }

  @AsyncContextManager
  static String notAStage(AsyncYield<String> yield) { // ReturnType non-blocking
    yield.yield("x");
    return "";
  }

  @AsyncContextManager
  static String notVoid(Yield<String> yield) throws Exception { // ReturnType blocking
    yield.yield("x");
    return "";
  }

  @AsyncContextManager(name = "not a name") // InvalidName
  static CompletionStage<Void> badName(AsyncYield<String> yield) {
    return yield.yield("x");
  }

  @AsyncContextManager(name = "Invalid") // NameCollision
  static CompletionStage<Void> taken(AsyncYield<String> yield) {
    return yield.yield("x");
  }

  private static class Hidden {}

  @AsyncContextManager
  static CompletionStage<Void> inaccessible(List<Hidden> hidden, AsyncYield<String> yield) { // Inaccessible
    return yield.yield("x");
  }

  /** A generic type whose method shadows its type parameter. */
  static class Box<T> {
    @AsyncContextManager
    <T> CompletionStage<Void> shadowed(T value, AsyncYield<String> yield) { // Shadowed
      return yield.yield("x");
    }
  }

  @AsyncContextManager
  static CompletionStage<Void> unused(AsyncYield<String> yield) { // UnusedYield
    return CompletableFuture.completedFuture(null);
  }

  @AsyncContextManager
  static CompletionStage<Void> valid(AsyncYield<String> yield) { // valid
    return yield.yield("x");
  }

  static Object local() {
    class Local {
      @AsyncContextManager
      CompletionStage<Void> inLocal(AsyncYield<String> yield) { // LocalClass
        return yield.yield("x");
      }
    }
    return new Local();
  }
}
