package dev.asyncwith;

/**
 * The block of a synchronous {@link AsyncResource#call(Block) call}: the indented suite of
 * Python's {@code with resource as value:}, run on the calling thread with the bound value.
 *
 * <p>Unlike the body of {@link AsyncResource#use}, a block returns its value itself, not a stage,
 * and may throw any {@link Exception}; {@code call} throws that very exception after teardown
 * (unless {@code exit} suppressed it), a checked one included.
 *
 * <pre>{@code
 * int rows = Transactions.open(db).call(connection -> insert(connection, order));
 * }</pre>
 *
 * @param <T> the type of the value bound by {@code as}
 * @param <R> the type of the block's value
 */
@FunctionalInterface
public interface Block<T, R> {

  /**
   * Runs the block.
   *
   * @param value the value the resource's {@code enter} completed with
   * @return the block's value, which {@code call} returns; {@code null} is a value like any other
   * @throws Exception the block's failure, which {@code exit} sees and {@code call} throws as it is
   */
  R apply(T value) throws Exception;
}
