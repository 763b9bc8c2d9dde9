package dev.asyncwith;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * The {@code async with} statement over several resources: Python's
 * <pre>{@code
 * async with a as x, b as y:
 *     result = await body(x, y)
 * }</pre>
 * is, in Java,
 * <pre>{@code
 * CompletableFuture<R> result = AsyncWith.with(a, b, (x, y) -> body(x, y));
 * }</pre>
 *
 * <p>Exactly as in Python, this is the same as nesting the statements, {@code a.use(x -> b.use(y
 * -> body(x, y)))}, and has the same rules as {@link AsyncResource#use}: the resources are entered
 * left to right and exited right to left; each exit sees the failure as the exits after it left it
 * (suppressed, replaced, or unchanged); a resource whose enter fails is not exited, while those
 * entered before it are, with that failure. Cancelling the result cancels the innermost running
 * step (the body's stage) and every exit still runs, innermost first, each after the inner ones have
 * finished.
 *
 * <p>{@link #call(AsyncResource, AsyncResource, Block2) call} is the synchronous statement over
 * several resources, Python's {@code with a as x, b as y:}: the same as nesting {@link
 * AsyncResource#call}, {@code a.call(x -> b.call(y -> block(x, y)))}, on the calling thread.
 */
public final class AsyncWith {
  private AsyncWith() {}

  /**
   * Runs {@code body} inside {@code a} and {@code b}: {@code async with a as x, b as y: body(x,
   * y)}.
   *
   * @param a the resource entered first and exited last
   * @param b the resource entered second and exited first
   * @param body the block
   * @param <A> the type of {@code a}'s value
   * @param <B> the type of {@code b}'s value
   * @param <R> the type of the block's value
   * @return a future of the block's value, completed as {@link AsyncResource#use} describes; it
   *     never throws, it fails
   * @throws NullPointerException if an argument is {@code null}
   */
  public static <A, B, R> CompletableFuture<R> with(
      AsyncResource<A> a,
      AsyncResource<B> b,
      BiFunction<? super A, ? super B, ? extends CompletionStage<R>> body) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(body, "body");
    return Statement.run(a, x -> Statement.run(b, y -> nonNull(body.apply(x, y), body)));
  }

  /**
   * Runs {@code body} inside {@code a}, {@code b} and {@code c}: {@code async with a as x, b as y,
   * c as z: body(x, y, z)}.
   *
   * @param a the resource entered first and exited last
   * @param b the resource entered second and exited second
   * @param c the resource entered last and exited first
   * @param body the block
   * @param <A> the type of {@code a}'s value
   * @param <B> the type of {@code b}'s value
   * @param <C> the type of {@code c}'s value
   * @param <R> the type of the block's value
   * @return a future of the block's value, completed as {@link AsyncResource#use} describes; it
   *     never throws, it fails
   * @throws NullPointerException if an argument is {@code null}
   */
  public static <A, B, C, R> CompletableFuture<R> with(
      AsyncResource<A> a, AsyncResource<B> b, AsyncResource<C> c, Body3<A, B, C, R> body) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(c, "c");
    Objects.requireNonNull(body, "body");
    return Statement.run(
        a,
        x -> Statement.run(b, y -> Statement.run(c, z -> nonNull(body.apply(x, y, z), body))));
  }

  /**
   * Runs {@code block} inside {@code a} and {@code b} on the calling thread: {@code with a as x, b
   * as y: block(x, y)}. Entered left to right, exited right to left, each as {@link
   * AsyncResource#call} describes.
   *
   * @param a the resource entered first and exited last
   * @param b the resource entered second and exited first
   * @param block the block
   * @param <A> the type of {@code a}'s value
   * @param <B> the type of {@code b}'s value
   * @param <R> the type of the block's value
   * @return the block's value, or {@code null} when an exit suppressed the block's failure
   * @throws Exception the failure that stands, as it is (see {@link AsyncResource#call})
   * @throws NullPointerException if an argument is {@code null}, before anything is entered
   */
  public static <A, B, R> R call(
      AsyncResource<A> a, AsyncResource<B> b, Block2<? super A, ? super B, ? extends R> block)
      throws Exception {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(block, "block");
    return a.call(x -> b.call(y -> block.apply(x, y)));
  }

  /**
   * Runs {@code block} inside {@code a}, {@code b} and {@code c} on the calling thread: {@code with
   * a as x, b as y, c as z: block(x, y, z)}. Entered left to right, exited right to left, each as
   * {@link AsyncResource#call} describes.
   *
   * @param a the resource entered first and exited last
   * @param b the resource entered second and exited second
   * @param c the resource entered last and exited first
   * @param block the block
   * @param <A> the type of {@code a}'s value
   * @param <B> the type of {@code b}'s value
   * @param <C> the type of {@code c}'s value
   * @param <R> the type of the block's value
   * @return the block's value, or {@code null} when an exit suppressed the block's failure
   * @throws Exception the failure that stands, as it is (see {@link AsyncResource#call})
   * @throws NullPointerException if an argument is {@code null}, before anything is entered
   */
  public static <A, B, C, R> R call(
      AsyncResource<A> a,
      AsyncResource<B> b,
      AsyncResource<C> c,
      Block3<? super A, ? super B, ? super C, ? extends R> block)
      throws Exception {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(c, "c");
    Objects.requireNonNull(block, "block");
    return a.call(x -> b.call(y -> c.call(z -> block.apply(x, y, z))));
  }

  /** The block's stage, or a failed one naming the user's body when it returned {@code null}. */
  private static <R> CompletionStage<R> nonNull(CompletionStage<R> stage, Object body) {
    return stage != null
        ? stage
        : CompletableFuture.failedFuture(Statement.bodyReturnedNull(body));
  }

  /**
   * The block of a three-resource {@link AsyncWith#with(AsyncResource, AsyncResource,
   * AsyncResource, Body3) with}: the three bound values in, the stage whose completion ends the
   * block out.
   *
   * @param <A> the type of the first resource's value
   * @param <B> the type of the second resource's value
   * @param <C> the type of the third resource's value
   * @param <R> the type of the block's value
   */
  @FunctionalInterface
  public interface Body3<A, B, C, R> {

    /**
     * Runs the block.
     *
     * @param a the first resource's value
     * @param b the second resource's value
     * @param c the third resource's value
     * @return the stage whose completion ends the block; a {@code null} counts as a failed block
     */
    CompletionStage<R> apply(A a, B b, C c);
  }

  /**
   * The block of a two-resource {@link AsyncWith#call(AsyncResource, AsyncResource, Block2) call}:
   * the two bound values in, the block's value out, on the calling thread; it may throw any
   * exception.
   *
   * @param <A> the type of the first resource's value
   * @param <B> the type of the second resource's value
   * @param <R> the type of the block's value
   */
  @FunctionalInterface
  public interface Block2<A, B, R> {

    /**
     * Runs the block.
     *
     * @param a the first resource's value
     * @param b the second resource's value
     * @return the block's value
     * @throws Exception the block's failure, which the exits see and {@code call} throws as it is
     */
    R apply(A a, B b) throws Exception;
  }

  /**
   * The block of a three-resource {@link AsyncWith#call(AsyncResource, AsyncResource,
   * AsyncResource, Block3) call}: the three bound values in, the block's value out, on the calling
   * thread; it may throw any exception.
   *
   * @param <A> the type of the first resource's value
   * @param <B> the type of the second resource's value
   * @param <C> the type of the third resource's value
   * @param <R> the type of the block's value
   */
  @FunctionalInterface
  public interface Block3<A, B, C, R> {

    /**
     * Runs the block.
     *
     * @param a the first resource's value
     * @param b the second resource's value
     * @param c the third resource's value
     * @return the block's value
     * @throws Exception the block's failure, which the exits see and {@code call} throws as it is
     */
    R apply(A a, B b, C c) throws Exception;
  }
}
