package dev.asyncwith;

/**
 * A resource that can report the outcomes of enter and exit straight to the statement, without
 * a stage in between: the hook through which the generator engines take their fast path.
 *
 * <p>{@link Statement} recognises a {@code DirectResource} and calls {@link #enterTo} in place of
 * {@link #enter()} and {@link #exitTo} in place of {@link #exit(Throwable)}; every rule of the
 * statement ({@code docs/RULES.md}, "The statement": unwrapping, suppression, rule 5, cancellation,
 * the uncaught-exception routing, trampolining) stays in {@code Statement}. The stage-returning
 * methods keep working for every other caller ({@link AsyncExitStack}, hand-written code).
 *
 * <p>Contract of both methods, for the implementor:
 * <ul>
 *   <li>Call {@code outcome.accept(value, null)} or {@code outcome.accept(null, failure)} exactly
 *       once, on any thread, before or after returning. {@code failure} may be wrapped in
 *       {@link java.util.concurrent.CompletionException}s; the statement unwraps it.
 *   <li>The statement continues inside that call, on that thread: after a successful enter the
 *       body runs within {@code accept}, and if the block's stage is already complete when the
 *       body returns, {@link #exitTo} is called before {@code accept} returns. A generator can
 *       therefore know the block's outcome before its {@code yield} returns, and hand the method
 *       an already-completed stage.
 *   <li>Never throw. A throw before {@code outcome} was called counts as that step failing with
 *       it; a throw after it goes to the uncaught-exception handler.
 *   <li>Whatever the caller of {@code accept} did before calling it happens-before the statement's
 *       continuation (it is the same thread, or the hand-off is through a stage or a lock).
 * </ul>
 *
 * @param <T> the type of the value bound by {@code as}
 */
abstract class DirectResource<T> implements AsyncResource<T> {
  // An abstract class, not an interface, so that these methods stay package-private: the public
  // classes that extend it (AsyncGenerator, BlockingGenerator, and through them every generated
  // class) do not show them to users.

  /**
   * Does what {@link #enter()} does and reports its outcome to {@code outcome}: the value, or the
   * failure.
   */
  abstract void enterTo(Outcome outcome);

  /**
   * Does what {@link #exit(Throwable)} does and reports its outcome to {@code outcome}: a {@link
   * Boolean} (or {@code null}) as {@code exit}'s stage would complete with, or the failure.
   */
  abstract void exitTo(Throwable failure, Outcome outcome);

  /**
   * Where a {@code DirectResource} reports an outcome: the statement itself. A package-private
   * interface rather than {@link java.util.function.BiConsumer}, so that the statement, which is
   * also the future handed to the user, offers no public callback that anyone could call.
   */
  interface Outcome {
    /**
     * The step's outcome: its value (a bound value, or exit's Boolean), or its failure. Never
     * throws: the statements route their own bugs to the uncaught-exception handler.
     */
    void accept(Object value, Throwable failure);
  }
}
