package dev.asyncwith;

import static dev.asyncwith.Generators.async;
import static dev.asyncwith.Generators.blocking;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;

/**
 * Both engines against Python's decision table, whatever the timing: setup, block and teardown
 * completing at once or later on another thread; driven by hand through {@code enter} and {@code
 * exit} (with {@code exit} called on the entering thread or another one), or by {@code use}.
 * Generation is randomized so that each combination runs many times, with varying interleavings.
 */
class GeneratorPropertiesTest {

  /** What the method does with the block's outcome, as Python's generator would. */
  enum Reaction {
    /** {@code except: pass} */
    SUPPRESS,
    /** {@code finally: release()}: the failure propagates */
    RERAISE,
    /** {@code except: raise Other()}, or raising in teardown after a normal block */
    REPLACE
  }

  @Property(tries = 400, generation = GenerationMode.RANDOMIZED)
  void nonBlockingEngineByHand(
      @ForAll boolean blockFails,
      @ForAll Reaction reaction,
      @ForAll boolean asyncSetup,
      @ForAll boolean asyncTeardown,
      @ForAll boolean exitElsewhere) {
    IllegalArgumentException blockFailure = blockFailure(blockFails);
    IllegalStateException replacement = new IllegalStateException("replacement");
    AsyncGenerator<String> lease = lease(reaction, replacement, asyncSetup, asyncTeardown);
    checkExit(lease, blockFailure, reaction, replacement, exitElsewhere);
  }

  @Property(tries = 400, generation = GenerationMode.RANDOMIZED)
  void nonBlockingEngineInsideUse(
      @ForAll boolean blockFails,
      @ForAll Reaction reaction,
      @ForAll boolean asyncSetup,
      @ForAll boolean asyncTeardown,
      @ForAll boolean asyncBlock) {
    IllegalArgumentException blockFailure = blockFailure(blockFails);
    IllegalStateException replacement = new IllegalStateException("replacement");
    AsyncGenerator<String> lease = lease(reaction, replacement, asyncSetup, asyncTeardown);
    CompletableFuture<String> result = lease.use(conn -> block(conn, asyncBlock, blockFailure));
    checkUse(result, blockFailure, reaction, replacement);
  }

  @Property(tries = 60, generation = GenerationMode.RANDOMIZED)
  void blockingEngineByHand(
      @ForAll boolean blockFails, @ForAll Reaction reaction, @ForAll boolean exitElsewhere) {
    IllegalArgumentException blockFailure = blockFailure(blockFails);
    IllegalStateException replacement = new IllegalStateException("replacement");
    BlockingGenerator<String> transaction = transaction(reaction, replacement);
    checkExit(transaction, blockFailure, reaction, replacement, exitElsewhere);
  }

  @Property(tries = 60, generation = GenerationMode.RANDOMIZED)
  void blockingEngineInsideUse(
      @ForAll boolean blockFails, @ForAll Reaction reaction, @ForAll boolean asyncBlock) {
    IllegalArgumentException blockFailure = blockFailure(blockFails);
    IllegalStateException replacement = new IllegalStateException("replacement");
    CompletableFuture<String> result =
        transaction(reaction, replacement).use(conn -> block(conn, asyncBlock, blockFailure));
    checkUse(result, blockFailure, reaction, replacement);
  }

  /** The block's failure, or {@code null} for a block that completes normally. */
  private static IllegalArgumentException blockFailure(boolean blockFails) {
    return blockFails ? new IllegalArgumentException("block") : null;
  }

  /** A lease that reacts to the block's outcome as {@code reaction} says. */
  private static AsyncGenerator<String> lease(
      Reaction reaction,
      IllegalStateException replacement,
      boolean asyncSetup,
      boolean asyncTeardown) {
    return async(
        "Pools.lease",
        yield -> {
          CompletableFuture<String> acquired =
              asyncSetup
                  ? CompletableFuture.supplyAsync(() -> "conn", Generators.POOL)
                  : CompletableFuture.completedFuture("conn");
          return acquired.thenCompose(
              conn -> {
                CompletableFuture<Void> atYield = yield.yield(conn).toCompletableFuture();
                CompletableFuture<Void> resumed =
                    asyncTeardown ? atYield.whenCompleteAsync((v, f) -> {}, Generators.POOL) : atYield;
                return resumed.handle(
                    (v, failure) -> {
                      if (reaction == Reaction.REPLACE) {
                        throw replacement;
                      }
                      if (reaction == Reaction.RERAISE && failure != null) {
                        throw new CompletionException(failure);
                      }
                      return null;
                    });
              });
        });
  }

  /** A transaction that reacts to the block's outcome as {@code reaction} says. */
  private static BlockingGenerator<String> transaction(
      Reaction reaction, IllegalStateException replacement) {
    return blocking(
        "Transactions.open",
        yield -> {
          try {
            yield.yield("conn");
          } catch (IllegalArgumentException failure) {
            if (reaction == Reaction.RERAISE) {
              throw failure;
            }
          }
          if (reaction == Reaction.REPLACE) {
            throw replacement;
          }
        });
  }

  /** The block: {@code conn}, or {@code failure}; at once or later on another thread. */
  private static CompletableFuture<String> block(
      String conn, boolean async, IllegalArgumentException failure) {
    CompletableFuture<String> value =
        async
            ? CompletableFuture.supplyAsync(() -> conn, Generators.POOL)
            : CompletableFuture.completedFuture(conn);
    if (failure == null) {
      return value;
    }
    return value.thenApply(
        v -> {
          throw failure;
        });
  }

  /** {@code exit} by hand must follow Python's table. */
  private static void checkExit(
      AsyncResource<String> resource,
      Throwable blockFailure,
      Reaction reaction,
      Throwable replacement,
      boolean exitElsewhere) {
    CompletionStage<Boolean> exit =
        resource
            .enter()
            .thenCompose(
                conn ->
                    exitElsewhere
                        ? CompletableFuture.supplyAsync(() -> resource.exit(blockFailure), Generators.POOL)
                            .thenCompose(s -> s)
                        : resource.exit(blockFailure));
    Object outcome = Await.value(exit.handle((v, f) -> f == null ? v : Failures.unwrap(f)));
    switch (reaction) {
      case SUPPRESS:
        assertEquals(blockFailure != null, outcome);
        break;
      case RERAISE:
        assertEquals(Boolean.FALSE, outcome);
        break;
      default:
        assertSame(replacement, outcome);
    }
  }

  /** {@code use} must follow Python's table, then rule 5 for a replacing failure. */
  private static void checkUse(
      CompletableFuture<String> result,
      Throwable blockFailure,
      Reaction reaction,
      Throwable replacement) {
    Object outcome = Await.value(result.handle((v, f) -> f == null ? v : Failures.unwrap(f)));
    switch (reaction) {
      case SUPPRESS:
        assertEquals(blockFailure != null ? null : "conn", outcome);
        break;
      case RERAISE:
        assertEquals(blockFailure != null ? blockFailure : "conn", outcome);
        break;
      default:
        assertSame(replacement, outcome);
        if (blockFailure != null) {
          assertSame(blockFailure, replacement.getSuppressed()[0]);
        }
    }
  }
}
