package dev.asyncwith;

import static dev.asyncwith.Generators.async;
import static dev.asyncwith.Generators.await;
import static dev.asyncwith.Generators.blocking;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Both engines against Python's decision table, whatever the timing: setup and teardown
 * completing at once or later on another thread, {@code exit} called on the entering thread or
 * another one.
 */
class GeneratorPropertiesTest {

  /** What the method does with the block's outcome, as Python's generator would. */
  enum Reaction {
    /** {@code except: pass} */
    SUPPRESS,
    /** {@code finally: release()}, the failure propagates */
    RERAISE,
    /** {@code except: raise Other()}, or raising in teardown after a normal block */
    REPLACE
  }

  private static ExecutorService pool;

  @BeforeContainer
  static void startPool() {
    pool = Executors.newFixedThreadPool(3);
  }

  @AfterContainer
  static void stopPool() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(Generators.TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Property(tries = 400, generation = GenerationMode.RANDOMIZED) // repeats: timing varies
  void nonBlockingEngineFollowsPythonsTable(
      @ForAll boolean blockFails,
      @ForAll Reaction reaction,
      @ForAll boolean asyncSetup,
      @ForAll boolean asyncTeardown,
      @ForAll boolean exitElsewhere) {
    IllegalArgumentException blockFailure = new IllegalArgumentException("block");
    IllegalStateException replacement = new IllegalStateException("replacement");
    AsyncGenerator<String> lease =
        async(
            "Pools.lease",
            yield -> {
              CompletableFuture<String> acquired =
                  asyncSetup
                      ? CompletableFuture.supplyAsync(() -> "conn", pool)
                      : CompletableFuture.completedFuture("conn");
              return acquired.thenCompose(
                  conn -> {
                    CompletableFuture<Void> atYield = yield.yield(conn).toCompletableFuture();
                    CompletableFuture<Void> resumed =
                        asyncTeardown ? atYield.whenCompleteAsync((v, f) -> {}, pool) : atYield;
                    return resumed.handle(
                        (v, failure) -> {
                          switch (reaction) {
                            case SUPPRESS:
                              return null;
                            case RERAISE:
                              if (failure != null) {
                                throw new CompletionException(failure);
                              }
                              return null;
                            default:
                              throw replacement;
                          }
                        });
                  });
            });

    check(lease, blockFails ? blockFailure : null, reaction, replacement, exitElsewhere);
  }

  @Property(tries = 60, generation = GenerationMode.RANDOMIZED)
  void blockingEngineFollowsPythonsTable(
      @ForAll boolean blockFails, @ForAll Reaction reaction, @ForAll boolean exitElsewhere)
      throws Exception {
    IllegalArgumentException blockFailure = new IllegalArgumentException("block");
    IllegalStateException replacement = new IllegalStateException("replacement");
    BlockingGenerator<String> transaction =
        blocking(
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

    check(transaction, blockFails ? blockFailure : null, reaction, replacement, exitElsewhere);
  }

  private static void check(
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
                        ? CompletableFuture.supplyAsync(() -> resource.exit(blockFailure), pool)
                            .thenCompose(s -> s)
                        : resource.exit(blockFailure));
    Object outcome = await(exit.handle((v, f) -> f == null ? v : Failures.unwrap(f)));
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
}
