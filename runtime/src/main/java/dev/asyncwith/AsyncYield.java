package dev.asyncwith;

import java.util.concurrent.CompletionStage;

/**
 * The yield of a non-blocking generator method annotated {@code @AsyncContextManager}: Python's
 * {@code yield} inside an {@code @asynccontextmanager} async generator.
 *
 * <pre>{@code
 * @AsyncContextManager
 * static CompletionStage<Void> lease(ConnectionPool pool, AsyncYield<Connection> yield) {
 *   return pool.acquire()
 *       .thenCompose(conn -> yield.yield(conn)
 *           .whenComplete((v, failure) -> pool.release(conn)));
 * }
 * }</pre>
 *
 * @param <T> the type of the value handed to the block
 */
public interface AsyncYield<T> {

  /**
   * Hands {@code value} to the block and resumes the method when the block has finished.
   *
   * <p>Call it exactly once. A second call never throws: the stage it returns fails with an
   * {@link IllegalStateException} saying the method yielded twice, and {@code exit} fails with
   * it. The method's own stage must complete only after the stage returned here has completed
   * (that is, after the teardown), or {@code exit} fails saying the teardown ran too early.
   *
   * @param value the value bound by {@code as}; may be {@code null}
   * @return a stage that completes normally when the block completed normally, or exceptionally
   *     with the block's failure itself (unwrapped, as {@code whenComplete} sees it). To suppress
   *     that failure, recover from it ({@code exceptionally}, {@code handle}) so that the
   *     method's stage completes normally; to let it stand, let the method's stage fail with it.
   */
  CompletionStage<Void> yield(T value);
}
