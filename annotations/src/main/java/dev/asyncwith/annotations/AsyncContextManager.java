package dev.asyncwith.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Turns one generator-style method into an asynchronous context manager, as Python's
 * {@code @contextlib.asynccontextmanager} turns an async generator function into one.
 *
 * <p>The method does its setup, hands the resource to the block through its single yield
 * parameter, and does its teardown once the block has finished. The asyncwith annotation
 * processor generates, for a method {@code m} in a class {@code Enclosing}, a class
 * {@code EnclosingM} in the same package that implements {@code dev.asyncwith.AsyncResource},
 * with a static factory {@code of(...)} taking the method's other parameters.
 *
 * <h2>Non-blocking style</h2>
 *
 * <p>The method takes an {@code AsyncYield<T>} and returns a {@code CompletionStage}. It runs
 * on the caller's threads and must never block; the stage {@code yield} returns completes when
 * the block has finished, and the method's own stage must complete only after its teardown:
 *
 * <pre>{@code
 * @AsyncContextManager
 * static CompletionStage<Void> lease(ConnectionPool pool, AsyncYield<Connection> yield) {
 *   return pool.acquire()                                              // setup
 *       .thenCompose(conn -> yield.yield(conn)                         // the block runs here
 *           .whenComplete((v, failure) -> pool.release(conn)));        // teardown, always
 * }
 *
 * // generated: public final class PoolsLease implements AsyncResource<Connection>
 * CompletableFuture<Integer> rows = PoolsLease.of(pool).use(conn -> conn.query("..."));
 * }</pre>
 *
 * <h2>Blocking style</h2>
 *
 * <p>The method takes a {@code Yield<T>} and returns {@code void}. It reads like Python and may
 * block: it runs on a thread of its own (a virtual thread on JDK 21+, a daemon platform thread
 * on JDK 17) whose name contains the method's name. {@code yield} returns when the block has
 * finished normally and throws the block's failure otherwise:
 *
 * <pre>{@code
 * @AsyncContextManager
 * static void transaction(DataSource db, Yield<Connection> yield) throws Exception {
 *   try (Connection c = db.getConnection()) {
 *     c.setAutoCommit(false);
 *     try { yield.yield(c); c.commit(); }                              // the block runs at yield
 *     catch (Throwable t) { c.rollback(); throw t; }
 *   }
 * }
 * }</pre>
 *
 * <h2>Rules the processor checks</h2>
 *
 * <ul>
 *   <li>The method and every type enclosing it are not private.
 *   <li>It has exactly one {@code AsyncYield<T>} or {@code Yield<T>} parameter, whose type
 *       argument is not a wildcard ({@code AsyncYield<? extends X>}: write {@code AsyncYield<X>}).
 *   <li>It returns {@code CompletionStage<?>} or a subtype (non-blocking), or {@code void}
 *       (blocking).
 *   <li>The generated name is a valid identifier and collides with no other type.
 *   <li>Where the compiler exposes method bodies, the yield parameter is used.
 * </ul>
 *
 * <p>As in Python, the block's failure is raised at the yield; a method that completes normally
 * after catching it suppresses it. An instance of a generated class is single-use.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface AsyncContextManager {

  /**
   * The simple name of the generated class. Empty (the default) means the enclosing types' simple
   * names joined, then the method's name with its first letter in upper case: {@code Pools.lease}
   * gives {@code PoolsLease}, {@code Outer.Inner.open} gives {@code OuterInnerOpen}. Set it when
   * the default collides with another type or reads badly.
   *
   * @return the generated class's simple name, or empty for the default
   */
  String name() default "";
}
