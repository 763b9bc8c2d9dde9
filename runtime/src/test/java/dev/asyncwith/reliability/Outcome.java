package dev.asyncwith.reliability;

/**
 * What one scripted step (an {@code enter}, a block, an {@code exit}, an exit-stack callback)
 * does: complete with a value, throw, return a failed stage, return {@code null}, complete later
 * on another thread (normally or not), or return a cancelled stage.
 *
 * @param kind how the step ends
 * @param flavor the type of failure it raises, when it raises one
 */
record Outcome(Kind kind, Flavor flavor) {

  /** How a scripted step ends. */
  enum Kind {
    /** Returns an already-completed stage. */
    VALUE,
    /** Throws synchronously instead of returning a stage. */
    THROW,
    /** Returns an already-failed stage. */
    FAILED_STAGE,
    /** Returns {@code null} instead of a stage. */
    NULL,
    /** Returns a stage that another thread completes normally, later. */
    LATER_VALUE,
    /** Returns a stage that another thread fails, later. */
    LATER_FAILED,
    /** Returns a cancelled stage: it fails with a {@code CancellationException}. */
    CANCELLED;

    /** Whether the step completes normally. */
    boolean succeeds() {
      return this == VALUE || this == LATER_VALUE;
    }

    /** Whether the step raises a failure object of its own (the scripts create it). */
    boolean raisesScriptedFailure() {
      return this == THROW || this == FAILED_STAGE || this == LATER_FAILED;
    }
  }

  /** The type of a scripted failure. */
  enum Flavor {
    /** An unchecked exception. */
    RUNTIME,
    /** A checked exception, thrown sneakily where the signature does not declare it. */
    CHECKED,
    /** An {@code Error}. */
    ERROR,
    /** A {@code CompletionException} without a cause: by rule 3 it is itself the failure. */
    BARE_COMPLETION,
    /** A {@code CompletionException} wrapping the failure: by rule 3 the cause is the failure. */
    WRAPPED,
    /**
     * An exception built with suppression disabled, as the JVM builds its own {@code
     * OutOfMemoryError}s: {@code addSuppressed} does nothing on it, so a failure that would be
     * attached to it goes to the uncaught-exception handler instead.
     */
    UNSUPPRESSABLE
  }

  @Override
  public String toString() {
    return kind.raisesScriptedFailure() ? kind + "(" + flavor + ")" : kind.toString();
  }
}
