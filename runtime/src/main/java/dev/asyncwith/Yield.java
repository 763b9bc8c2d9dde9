package dev.asyncwith;

/**
 * The yield of a blocking generator method annotated {@code @AsyncContextManager}: Python's
 * {@code yield} inside a {@code @contextmanager} generator. Through {@code use} the method runs on
 * a thread of its own, and {@code yield} waits there for the block; through {@link
 * AsyncResource#call call} it runs on the calling thread, and {@code yield} runs the block itself.
 *
 * <pre>{@code
 * @AsyncContextManager
 * static void transaction(DataSource db, Yield<Connection> yield) throws Exception {
 *   try (Connection c = db.getConnection()) {
 *     c.setAutoCommit(false);
 *     try { yield.yield(c); c.commit(); }
 *     catch (Throwable t) { c.rollback(); throw t; }
 *   }
 * }
 * }</pre>
 *
 * @param <T> the type of the value handed to the block
 */
public interface Yield<T> {

  /**
   * Hands {@code value} to the block and returns once the block has finished: through {@code use}
   * the generator's thread waits for it; through {@code call} the block runs inside this call.
   *
   * <p>Call it exactly once; a second call throws an {@link IllegalStateException} saying the
   * method yielded twice, and {@code exit} fails with it even if the method catches it.
   *
   * @param value the value bound by {@code as}; may be {@code null}
   * @throws Exception the block's failure itself, when the block failed (an {@link Error} or
   *     other unchecked failure is thrown as it is). Catch it and return normally to suppress
   *     it; let it propagate to let it stand.
   */
  void yield(T value) throws Exception;
}
