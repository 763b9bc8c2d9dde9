package dev.asyncwith.samples;

import static dev.asyncwith.samples.Samples.pause;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A generator-style manager for a made-up resource that says when it is acquired and released,
 * used where the order of acquisition and release is the point ({@link SeveralResources},
 * {@link Timeout}). {@link #named} is, in Python:
 *
 * <pre>{@code
 * @asynccontextmanager
 * async def named(name):
 *     print(f"acquire {name}")
 *     await asyncio.sleep(0.02)
 *     try:
 *         yield name
 *     finally:
 *         print(f"release {name}")
 * }</pre>
 */
public final class Resources {

  /** How long acquiring a resource takes: a pause, as a network round trip would be. */
  static final Duration ACQUIRE_PAUSE = Duration.ofMillis(20);

  private Resources() {}

  /**
   * Acquires the resource called {@code name}, prints {@code acquire <name>}, hands the name to
   * the block, and prints {@code release <name>} once the block has finished (naming the block's
   * failure, if it had one). Generated into {@code ResourcesNamed}.
   *
   * @param name the resource's name, which is also the value the block receives
   * @param out where acquisition and release are announced
   * @param yield hands the resource to the block
   * @return a stage that completes after the release
   */
  @AsyncContextManager
  public static CompletionStage<Void> named(String name, PrintStream out, AsyncYield<String> yield) {
    out.println("acquire " + name);
    return pause(ACQUIRE_PAUSE)
        .thenCompose(
            acquired ->
                // Attached to the stage yield returns, the teardown runs however the block ends;
                // and since the method's stage then fails with the block's own failure, that
                // failure stands (it is not suppressed).
                yield.yield(name)
                    .whenComplete(
                        (ignored, failure) ->
                            out.println(
                                "release " + name
                                    + (failure == null ? "" : " after " + failure.getClass().getSimpleName()))));
  }
}
