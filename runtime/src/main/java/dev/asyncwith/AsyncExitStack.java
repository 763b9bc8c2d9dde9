package dev.asyncwith;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A stack of exit callbacks, unwound last-in first-out: Python's {@code
 * contextlib.AsyncExitStack}, for a number of resources known only at run time.
 *
 * <pre>{@code
 * # Python                                    // Java
 * async with AsyncExitStack() as stack:       new AsyncExitStack().use(stack ->
 *     files = [await stack.enter_async_context(open(name)) for name in names]
 *     ...                                         ...)
 * }</pre>
 *
 * <table>
 *   <caption>Python's methods and their Java counterparts</caption>
 *   <tr><th>Python</th><th>Java</th></tr>
 *   <tr><td>{@code await enter_async_context(cm)}</td><td>{@link #enterContext(AsyncResource)}</td></tr>
 *   <tr><td>{@code enter_context(cm)}, in {@link #call}</td><td>{@link #enterContextAndWait(AsyncResource)}</td></tr>
 *   <tr><td>{@code push_async_exit(exit)}</td><td>{@link #push(AsyncExit)}</td></tr>
 *   <tr><td>{@code push_async_callback(cb)}</td><td>{@link #callback(Supplier)}</td></tr>
 *   <tr><td>{@code pop_all()}</td><td>{@link #popAll()}</td></tr>
 *   <tr><td>{@code await aclose()}</td><td>{@link #close()}</td></tr>
 *   <tr><td>{@code __aenter__} / {@code __aexit__}</td><td>{@link #enter()} / {@link #exit(Throwable)}</td></tr>
 * </table>
 *
 * <p>{@link #exit(Throwable)} runs every callback, the last pushed first, each seeing the failure
 * left by the ones after it: the incoming failure, {@code null} once a callback suppressed it, or
 * the failure a callback raised. Every callback runs even when some raise. The result completes
 * {@code true} when a failure came in and none remains at the end (Python's {@code received and
 * suppressed}), {@code false} when none came in or the incoming one stands unchanged, and fails
 * with the failure that remains when a callback raised one that no earlier-pushed callback
 * suppressed. Consecutive raised failures are chained by {@link Throwable#addSuppressed} (Java's
 * stand-in for Python's {@code __context__}): each raised failure gets the one its callback was
 * given attached, unless it is that failure, already reaches it, or is reached by it. Unlike
 * CPython (gh-102201), a raising callback's failure is never dropped when no failure came in and
 * a later callback raises too.
 *
 * <p>The chain is linked once the raising callbacks have run (or when a callback suppresses the
 * failure), in time linear in its length: a stack of 10,000 callbacks that all raise closes in
 * tens of milliseconds, not seconds. Each failure ends up with the one raised before it as its
 * only added suppressed failure, a chain as long as the number of raising callbacks. Beware that {@link Throwable#printStackTrace()} prints
 * suppressed failures recursively, one level of recursion per link: printing the failure of a
 * stack of many thousands of raising callbacks can itself overflow the printing thread's stack.
 * Walk such a chain with a loop over {@link Throwable#getSuppressed()} instead.
 *
 * <p>Unwinding is iterative: callbacks whose stages are already complete are run in a loop, so
 * any number of them never grows the stack; a pending stage resumes the loop on the thread that
 * completes it. Callbacks pushed while the stack unwinds are run too, as in Python. The stack is
 * empty afterwards and may be used again.
 *
 * <p>When every callback's stage has already completed, {@code exit} and {@code close} return a
 * shared completed stage rather than a new one; as for any completed stage, nothing can change
 * it ({@code obtrudeValue} and {@code obtrudeException} throw {@link
 * UnsupportedOperationException}).
 *
 * <p>Like {@link ArrayDeque}, a stack is not for concurrent mutation: one logical flow pushes and
 * unwinds at a time, and handing it between threads through a completed stage is fine. The one
 * exception is built in: an {@link #enterContext} whose enter completes later, on another thread,
 * may push while the flow that did not wait for it keeps pushing; nothing is lost, and a push that
 * happened before another unwinds after it.
 */
public final class AsyncExitStack implements AsyncResource<AsyncExitStack> {

  /**
   * The callbacks, last pushed last: {@link AsyncResource}s, {@link AsyncExit}s and {@link
   * Callback}s. Only the owning flow (and the unwinding it started) touches it; late enters go
   * through {@link #epoch}.
   */
  private ArrayDeque<Object> exits = new ArrayDeque<>();
  /**
   * Where enters that complete later push, until the next unwinding starts; {@code null} until
   * such an enter is started (so a stack without one pays a single read per push). See {@link
   * Epoch} for the states.
   */
  private volatile Epoch epoch;

  /** Creates an empty stack. */
  public AsyncExitStack() {}

  /**
   * Python's {@code __aenter__}: completes with this stack.
   *
   * @return a completed stage of this stack
   */
  @Override
  public CompletionStage<AsyncExitStack> enter() {
    return CompletableFuture.completedFuture(this);
  }

  /**
   * Python's {@code __aexit__}: unwinds every callback, last pushed first, as the class
   * description says.
   *
   * @param failure the failure of the block the stack guarded, or {@code null}
   * @return a stage that completes {@code true} when {@code failure} was given and no failure
   *     remains, {@code false} when none was given or it stands unchanged, or fails with the
   *     failure that remains when a callback raised one; it never throws
   */
  @Override
  public CompletionStage<Boolean> exit(Throwable failure) {
    return new Unwinding(this, failure, false).start();
  }

  /**
   * Python's {@code aclose()}: {@code exit(null)} without the Boolean.
   *
   * @return a stage that completes when every callback has run, or fails with the failure that
   *     remains; it never throws
   */
  public CompletionStage<Void> close() {
    return new Unwinding(this, null, true).start();
  }

  /**
   * Python's {@code enter_async_context(cm)}: enters {@code resource} and, only once that has
   * succeeded, pushes its {@link AsyncResource#exit(Throwable) exit}, which may suppress a failure.
   * A failed enter propagates and nothing is pushed.
   *
   * <p>The push happens on the thread that completes enter, before the returned stage completes,
   * so code attached to that stage sees it on the stack, and a push made after waiting for that
   * stage unwinds before it. The flow that owns the stack need not wait: it may keep pushing
   * while the enter completes on another thread, and the late push lands among its pushes in the
   * order they happened.
   *
   * <p>An enter still pending when the stack starts unwinding (the block was cancelled or timed
   * out while waiting for it, or did not wait for it) is never pushed, as the stack it would
   * join has gone: once it completes, the resource is exited at once, with the failure the
   * returned stage was completed with (the cancellation, typically), or else with a new {@link
   * CancellationException} that the returned stage then fails with. Nothing acquired is left
   * unreleased ({@code docs/RULES.md} rule 6). A failure of that exit (other than the one given,
   * or a cancellation) is raised in the unwinding if it is still running, after its callbacks and
   * chained as a raising callback's would be; if the unwinding has completed, it goes to the
   * uncaught-exception handler.
   *
   * <p>A pending enter belongs to the stack's callbacks: {@link #popAll()} moves it with them.
   *
   * @param resource the resource to enter
   * @param <T> the type of its value
   * @return a stage of the value enter completed with, or failed with enter's failure; it never
   *     throws
   * @throws NullPointerException if {@code resource} is {@code null}
   */
  public <T> CompletionStage<T> enterContext(AsyncResource<T> resource) {
    Objects.requireNonNull(resource, "resource");
    CompletionStage<T> entering = Protocol.enter(resource);
    Object now = Stages.now(entering);
    if (now != Stages.PENDING) {
      pushNow(resource);
      @SuppressWarnings("unchecked") // enter's stage is a CompletionStage<T>
      T value = (T) now;
      return CompletableFuture.completedFuture(value);
    }
    Throwable failed = Stages.failureNow(entering);
    if (failed != null) {
      return CompletableFuture.failedFuture(Failures.unwrap(failed)); // nothing to push
    }
    Epoch pushTo = epoch;
    if (pushTo == null) {
      pushTo = new Epoch();
      epoch = pushTo;
    }
    Epoch late = pushTo;
    CompletableFuture<T> entered = new CompletableFuture<>();
    try {
      entering.whenComplete(
          (value, failure) -> {
            if (failure != null) {
              entered.completeExceptionally(Failures.unwrap(failure));
            } else if (late.pushUnlessEnded(resource)) {
              entered.complete(value);
            } else {
              exitAbandoned(resource, entered, late.endedBy());
            }
          });
    } catch (Throwable thrown) {
      entered.completeExceptionally(thrown);
    }
    return entered;
  }

  /** Pushes an exit for the owning flow, after the late enters that completed before it. */
  private void pushNow(Object exit) {
    Epoch current = epoch;
    if (current != null) {
      current.drainInto(exits);
    }
    exits.addLast(exit);
  }

  /** The next exit to unwind, after the late enters that completed so far; {@code null} if none. */
  private Object popForUnwinding() {
    Epoch current = epoch;
    if (current != null) {
      current.drainInto(exits);
    }
    return exits.pollLast();
  }

  /**
   * Called as an unwinding starts: ends the epoch, so that late enters completing from now on do
   * not push, and moves the late enters that did push onto the stack, where the unwinding finds
   * them. Enters started from now on begin a new epoch.
   */
  private void unwindingStarts(Unwinding unwinding) {
    Epoch ending = epoch;
    if (ending == null) {
      return;
    }
    epoch = null;
    unwinding.endsAnEpoch = true;
    Epoch.addInOrder(ending.end(unwinding), exits);
  }

  /*
   * Late enters. An enter whose stage completes after enterContext returned pushes from whichever
   * thread completes it, while the owning flow may keep pushing (it need not wait for the enter)
   * and a cancel or a timeout may start an unwinding on yet another thread. The ArrayDeque is
   * touched only by the owning flow (and the unwinding it starts); a late enter pushes onto its
   * Epoch's lock-free list instead, and the owning flow moves that list onto the deque before
   * each of its own pushes and before each pop of an unwinding. A push that happened before
   * another therefore lands below it: LIFO holds for every pair of pushes ordered by
   * happens-before, and no push is lost.
   *
   * An Epoch spans the time between a stack's unwindings: it is made by the first late enter,
   * moved to the new stack by popAll, and ended by the next unwinding. Its one word, `entries`:
   *
   *   OPEN: null, or the late entries not yet moved, last first
   *     ── late enter completes: CAS a new entry on ─────────────────────────▶ OPEN
   *     ── owner pushes or the unwinding pops: CAS the list off, onto deque ─▶ OPEN (null)
   *     ── an unwinding starts: getAndSet ENDED, the list onto the deque ────▶ ENDED
   *   ENDED (final): a late enter completing now exits its resource at once (exitAbandoned);
   *     a failure of that exit goes to `endedBy` while it runs, else to the uncaught-exception
   *     handler (Unwinding.lateFailure).
   *
   * Each late entry is thus either on the list when the epoch ends (and unwound) or refused (and
   * exited at once): never both, never neither. A stack that never had a late enter reads
   * `epoch` once per push and does no atomic operation.
   */

  /** The late enters of one stack between two unwindings; see the comment above for the states. */
  private static final class Epoch {
    /** The final value of {@link #entries}: the epoch has ended. */
    private static final Entry ENDED = new Entry(null);
    private static final VarHandle ENTRIES;

    static {
      try {
        ENTRIES = MethodHandles.lookup().findVarHandle(Epoch.class, "entries", Entry.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    /** The late entries not yet on the deque, the last pushed first; or {@link #ENDED}. */
    private volatile Entry entries;
    /** The unwinding that ended the epoch; written before {@link #ENDED} is. */
    private volatile Unwinding endedBy;

    /** Lists {@code resource} unless the epoch has ended; returns whether it did. */
    boolean pushUnlessEnded(AsyncResource<?> resource) {
      Entry entry = new Entry(resource);
      for (; ; ) {
        Entry head = entries;
        if (head == ENDED) {
          return false;
        }
        entry.next = head;
        if (ENTRIES.compareAndSet(this, head, entry)) {
          return true;
        }
      }
    }

    /** Ends the epoch for {@code unwinding}; returns the entries listed, the last pushed first. */
    Entry end(Unwinding unwinding) {
      endedBy = unwinding;
      return (Entry) ENTRIES.getAndSet(this, ENDED);
    }

    /** The unwinding that ended the epoch, once a push was refused. */
    Unwinding endedBy() {
      return endedBy;
    }

    /** Moves the listed entries onto {@code exits}, unless the epoch has ended. */
    void drainInto(ArrayDeque<Object> exits) {
      for (; ; ) {
        Entry head = entries;
        if (head == null || head == ENDED) {
          return;
        }
        if (ENTRIES.compareAndSet(this, head, null)) {
          addInOrder(head, exits);
          return;
        }
      }
    }

    /** Adds the entries from {@code last} on (the last pushed first) to {@code exits}, in order. */
    static void addInOrder(Entry last, ArrayDeque<Object> exits) {
      Entry first = null;
      while (last != null) { // reverse the list: it holds the last pushed first
        Entry next = last.next;
        last.next = first;
        first = last;
        last = next;
      }
      for (Entry entry = first; entry != null; entry = entry.next) {
        exits.addLast(entry.resource);
      }
    }
  }

  /** A late entry, linked to the one pushed before it. */
  private static final class Entry {
    final AsyncResource<?> resource;
    Entry next;

    Entry(AsyncResource<?> resource) {
      this.resource = resource;
    }
  }

  /**
   * A late enter completed after the stack had started unwinding: nobody will exit the resource,
   * so it is exited now, with the failure its stage was completed with by whoever stopped waiting
   * (a cancel, a timeout), or else a new {@link CancellationException} that the stage then fails
   * with. A failure of that exit other than the one given goes to {@code unwinding} while it is
   * still running, else to the uncaught-exception handler.
   */
  private static void exitAbandoned(
      AsyncResource<?> resource, CompletableFuture<?> entered, Unwinding unwinding) {
    Throwable given = entered.isCompletedExceptionally() ? Stages.failureNow(entered) : null;
    if (given == null) {
      given =
          new CancellationException(
              "the exit stack unwound before " + resource.getClass().getName()
                  + ".enter() completed; the resource was exited at once");
      entered.completeExceptionally(given);
    }
    Throwable failure = Failures.unwrap(given);
    CompletionStage<Boolean> exiting = Protocol.exit(resource, failure);
    try {
      exiting.whenComplete((ignored, thrown) -> unwinding.lateFailure(thrown, failure));
    } catch (Throwable thrown) {
      unwinding.lateFailure(thrown, failure);
    }
  }

  /**
   * Python's {@code ExitStack.enter_context(cm)}, for a stack used through {@link #call}: enters
   * {@code resource}, waits on the calling thread for its value and, once enter has succeeded,
   * pushes its {@link AsyncResource#exit(Throwable) exit}. A failed enter is thrown as it is, and
   * nothing is pushed.
   *
   * <pre>{@code
   * new AsyncExitStack().call(stack -> {
   *   Connection a = stack.enterContextAndWait(Pools.lease(primary));
   *   Connection b = stack.enterContextAndWait(Pools.lease(replica));
   *   return copy(a, b);
   * });
   * }</pre>
   *
   * <p>The wait is {@code call}'s wait for enter: interruptible, and after an interrupt, enter's
   * stage is left running and, once it completes, the resource is exited with a {@link
   * java.util.concurrent.CancellationException} (nothing is pushed, nothing is left unreleased).
   *
   * @param resource the resource to enter
   * @param <T> the type of its value
   * @return the value enter completed with
   * @throws Exception enter's failure, as it is
   * @throws InterruptedException if interrupted while waiting for enter
   * @throws NullPointerException if {@code resource} is {@code null}
   */
  public <T> T enterContextAndWait(AsyncResource<T> resource) throws Exception {
    T value = CallStatement.enterAndWait(Objects.requireNonNull(resource, "resource"));
    pushNow(resource);
    return value;
  }

  /**
   * Python's {@code push_async_exit(exit)}: pushes a callback shaped like {@code __aexit__}, which
   * sees the failure and may suppress it by completing {@code true}.
   *
   * @param exit the callback
   * @throws NullPointerException if {@code exit} is {@code null}
   */
  public void push(AsyncExit exit) {
    pushNow(Objects.requireNonNull(exit, "exit"));
  }

  /**
   * Python's {@code push_async_callback(callback)}: pushes a callback that ignores the failure and
   * cannot suppress it. Its stage's value is ignored; a failure of it (or a throw, or a {@code
   * null} stage) is raised like any callback's.
   *
   * @param callback the callback, for example {@code () -> connection.closeAsync()}
   * @throws NullPointerException if {@code callback} is {@code null}
   */
  public void callback(Supplier<? extends CompletionStage<?>> callback) {
    pushNow(new Callback(Objects.requireNonNull(callback, "callback")));
  }

  /**
   * Python's {@code pop_all()}: moves every callback to a new stack and leaves this one empty, so
   * that the resources outlive this stack (for example, when a constructor that acquired several
   * of them succeeded).
   *
   * <p>An {@link #enterContext} still pending moves too: its resource's exit is a callback to be,
   * so once its enter completes it is pushed onto the new stack (above what the new stack's owner
   * pushed before the enter completed), and only the new stack's unwinding exits it, or, if that
   * unwinding started first, exits it at once as {@link #enterContext} says. This stack is left
   * with nothing of it.
   *
   * @return a new stack holding the callbacks this one held, and the pending enters
   */
  public AsyncExitStack popAll() {
    AsyncExitStack moved = new AsyncExitStack();
    moved.exits = exits;
    moved.epoch = epoch;
    exits = new ArrayDeque<>();
    epoch = null;
    return moved;
  }

  /** A callback pushed by {@link #callback(Supplier)}: ignores the failure, never suppresses. */
  private static final class Callback {
    final Supplier<? extends CompletionStage<?>> supplier;

    Callback(Supplier<? extends CompletionStage<?>> supplier) {
      this.supplier = supplier;
    }
  }

  /**
   * One unwinding of the stack: a loop over the callbacks that runs on whichever thread completed
   * the last pending stage, with Python's {@code received}, {@code suppressed} and {@code
   * pending_raise} bookkeeping.
   */
  private static final class Unwinding implements BiConsumer<Object, Throwable> {
    /*
     * The loop's machine, in state (volatile; compare-and-set where the loop and the thread that
     * completes a pending stage race):
     *
     *   RUNNING   ──a callback's stage is pending: whenComplete is attached──▶ ATTACHING
     *   ATTACHING ──its outcome arrives inside whenComplete (on this thread)──▶ DELIVERED
     *   ATTACHING ──whenComplete returned, nothing arrived──▶ WAITING (the loop returns)
     *   DELIVERED ──the loop sees it after attaching──▶ RUNNING (takes the outcome, goes on)
     *   WAITING   ──the outcome arrives, on any thread──▶ RUNNING (that thread runs the loop)
     *
     * So the outcome of a pending stage is taken exactly once, by the loop that attached or by
     * the thread that delivers it, and the loop never recurses into itself.
     */
    private static final int RUNNING = 0;
    /** Attaching to a pending stage; its outcome may arrive before the attaching returns. */
    private static final int ATTACHING = 1;
    /** The outcome arrived while attaching: the loop, still running, takes it. */
    private static final int DELIVERED = 2;
    /** The loop has returned; whoever delivers the outcome continues it. */
    private static final int WAITING = 3;

    private static final VarHandle STATE;
    private static final VarHandle LATE_FAILURES;
    /** Ends {@link #lateFailures} once the unwinding finishes: later ones go to the handler. */
    private static final LateFailure FINISHED = new LateFailure(null);

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        STATE = lookup.findVarHandle(Unwinding.class, "state", int.class);
        LATE_FAILURES = lookup.findVarHandle(Unwinding.class, "lateFailures", LateFailure.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final AsyncExitStack stack;
    private final boolean received;
    private final boolean closing;
    /**
     * The stage {@link #start} returned, made only when the loop first waits for a pending stage
     * (and published to the thread that resumes it by {@link #state}); {@code null} while every
     * callback has completed at once, so that such an unwinding ends with a shared stage.
     */
    private CompletableFuture<Object> result;
    /** What a loop that never waited ended with, for {@link #start} to return. */
    private CompletionStage<?> endedAtOnce;
    /** The failure the next callback sees. */
    private Throwable current;
    /** The chain of raised failures behind {@link #current}; made when a callback first raises. */
    private FailureChain chain;
    /** Whether a callback suppressed something. */
    private boolean suppressed;
    /** Whether {@link #current} was raised by a callback. */
    private boolean raised;
    /** Whether the callback awaited is a {@link Callback}, whose value is ignored. */
    private boolean awaitingPlainCallback;
    private Object deliveredValue;
    private Throwable deliveredFailure;
    private volatile int state;
    /**
     * Failures of the exits of late enters abandoned because this unwinding ended their epoch, the
     * last first; {@link #FINISHED} once the unwinding has finished.
     */
    private volatile LateFailure lateFailures;
    /** Whether this unwinding ended an epoch, so that late failures may come to it. */
    private boolean endsAnEpoch;

    Unwinding(AsyncExitStack stack, Throwable failure, boolean closing) {
      this.stack = stack;
      this.received = failure != null;
      this.current = failure;
      this.closing = closing;
    }

    /**
     * Runs the loop and returns the stage of its outcome: a shared completed stage for a {@code
     * true}, {@code false} or {@code null} outcome when no callback's stage was pending (the
     * common case allocates nothing more), else the future the loop completes when it ends.
     */
    @SuppressWarnings("unchecked") // a Boolean stage for exit, a Void stage when closing
    <V> CompletionStage<V> start() {
      stack.unwindingStarts(this);
      run();
      CompletionStage<?> outcome = result != null ? result : endedAtOnce;
      return (CompletionStage<V>) outcome;
    }

    void run() {
      for (; ; ) {
        Object exit = stack.popForUnwinding();
        if (exit == null) {
          finish();
          return;
        }
        boolean plain = exit instanceof Callback;
        CompletionStage<?> stage;
        try {
          stage = call(exit);
        } catch (Throwable thrown) {
          raised(thrown);
          continue;
        }
        if (stage == null) {
          raised(Failures.returnedNull(describe(exit)));
          continue;
        }
        Object now = Stages.now(stage);
        if (now != Stages.PENDING) {
          returned(plain, now);
          continue;
        }
        awaitingPlainCallback = plain;
        if (result == null) {
          // Made before the loop may return, so that start() returns it and the thread that
          // resumes the loop (after the state change below) completes it.
          result = new CompletableFuture<>();
        }
        state = ATTACHING;
        try {
          stage.whenComplete(this);
        } catch (Throwable thrown) {
          if (STATE.compareAndSet(this, ATTACHING, RUNNING)) {
            raised(thrown);
            continue;
          }
          Failures.reportUncaught(thrown);
        }
        if (STATE.compareAndSet(this, ATTACHING, WAITING)) {
          return; // accept continues the loop
        }
        state = RUNNING;
        takeDelivered();
      }
    }

    /** The outcome of the pending stage the loop attached to. */
    @Override
    public void accept(Object value, Throwable failure) {
      deliveredValue = value;
      deliveredFailure = failure;
      if (STATE.compareAndSet(this, ATTACHING, DELIVERED)) {
        return; // delivered inside whenComplete: the loop takes it
      }
      if (STATE.compareAndSet(this, WAITING, RUNNING)) {
        try {
          takeDelivered();
          run();
        } catch (Throwable bug) {
          Failures.reportUncaught(bug);
        }
      }
    }

    private void takeDelivered() {
      Throwable failure = deliveredFailure;
      Object value = deliveredValue;
      deliveredFailure = null;
      deliveredValue = null;
      if (failure != null) {
        raised(failure);
      } else {
        returned(awaitingPlainCallback, value);
      }
    }

    private CompletionStage<?> call(Object exit) {
      if (exit instanceof Callback) {
        return ((Callback) exit).supplier.get();
      }
      if (exit instanceof AsyncResource) {
        return ((AsyncResource<?>) exit).exit(current);
      }
      return ((AsyncExit) exit).exit(current);
    }

    private static String describe(Object exit) {
      if (exit instanceof Callback) {
        return "the callback " + ((Callback) exit).supplier;
      }
      if (exit instanceof AsyncResource) {
        return Protocol.exitOf((AsyncResource<?>) exit);
      }
      return "the exit callback " + exit;
    }

    private void returned(boolean plain, Object value) {
      if (!plain && Boolean.TRUE.equals(value)) {
        suppressed = true;
        raised = false;
        current = null;
        if (chain != null) {
          chain.suppressed();
        }
      }
    }

    private void raised(Throwable thrown) {
      if (chain == null) {
        chain = new FailureChain(current);
      }
      chain.raise(Failures.unwrap(thrown));
      current = chain.head();
      raised = true;
    }

    /**
     * The exit of a late enter abandoned by this unwinding completed with {@code thrown}, having
     * been given {@code given}: a failure of its own (not the one given, not a cancellation, as
     * {@link GeneratorOutcome#reportIfNew} filters) is raised in this unwinding as a callback's
     * would be, if the unwinding is still running; else it goes to the uncaught-exception handler,
     * as no statement can receive it any more ({@code docs/RULES.md} rule 6).
     */
    void lateFailure(Throwable thrown, Throwable given) {
      if (!GeneratorOutcome.isNew(thrown, given)) {
        return;
      }
      LateFailure failure = new LateFailure(Failures.unwrap(thrown));
      for (; ; ) {
        LateFailure head = lateFailures;
        if (head == FINISHED) {
          Failures.reportUncaught(failure.failure);
          return;
        }
        failure.next = head;
        if (LATE_FAILURES.compareAndSet(this, head, failure)) {
          return;
        }
      }
    }

    /** Raises the late failures that arrived, in their order, and takes no more. */
    private void raiseLateFailures() {
      if (!endsAnEpoch) {
        return; // no late enter can be abandoned by this unwinding: spare the atomic operation
      }
      LateFailure last = (LateFailure) LATE_FAILURES.getAndSet(this, FINISHED);
      LateFailure first = null;
      while (last != null) { // reverse the list: it holds the last arrived first
        LateFailure next = last.next;
        last.next = first;
        first = last;
        last = next;
      }
      for (LateFailure late = first; late != null; late = late.next) {
        raised(late.failure);
      }
    }

    private void finish() {
      raiseLateFailures();
      if (raised) {
        current = chain.link();
      }
      CompletableFuture<Object> pending = result;
      if (pending == null) {
        endedAtOnce =
            raised
                ? CompletableFuture.failedFuture(current)
                : closing ? Stages.completedNull() : Stages.of(received && suppressed);
      } else if (raised) {
        pending.completeExceptionally(current);
      } else {
        pending.complete(closing ? null : received && suppressed);
      }
    }
  }

  /** A failure of a late enter's exit, for the unwinding that abandoned it. */
  private static final class LateFailure {
    final Throwable failure;
    LateFailure next;

    LateFailure(Throwable failure) {
      this.failure = failure;
    }
  }
}
