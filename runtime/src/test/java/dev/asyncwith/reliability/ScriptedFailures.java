package dev.asyncwith.reliability;

import java.util.concurrent.CompletionException;

/**
 * The failures scripts raise. Each carries a label (its message) naming the node and the step
 * that raised it, so that a failing property prints which step is at fault. Stack traces are not
 * filled in (the properties create many). Suppression stays enabled except for the {@link
 * Outcome.Flavor#UNSUPPRESSABLE} flavor, which checks what the library does where rule 5 of
 * {@code docs/RULES.md} cannot attach.
 */
final class ScriptedFailures {
  private ScriptedFailures() {}

  /** An unchecked scripted failure. */
  static final class ScriptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScriptedException(String label) {
      super(label, null, true, false);
    }
  }

  /** A checked scripted failure. */
  static final class ScriptedCheckedException extends Exception {
    private static final long serialVersionUID = 1L;

    ScriptedCheckedException(String label) {
      super(label, null, true, false);
    }
  }

  /** An unchecked scripted failure with suppression disabled: {@code addSuppressed} is ignored. */
  static final class ScriptedUnsuppressable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScriptedUnsuppressable(String label) {
      super(label, null, false, false);
    }
  }

  /** A scripted {@code Error}. */
  static final class ScriptedError extends Error {
    private static final long serialVersionUID = 1L;

    ScriptedError(String label) {
      super(label, null, true, false);
    }
  }

  /**
   * Creates the failure a step raises, records in {@code run} the object the library must treat
   * as the failure (for {@link Outcome.Flavor#WRAPPED}, the wrapped cause; otherwise the object
   * itself), and returns the object to raise.
   */
  static Throwable create(String label, Outcome.Flavor flavor, RunRecord run) {
    Throwable identity;
    Throwable raised;
    switch (flavor) {
      case RUNTIME:
        identity = raised = new ScriptedException(label);
        break;
      case CHECKED:
        identity = raised = new ScriptedCheckedException(label);
        break;
      case ERROR:
        identity = raised = new ScriptedError(label);
        break;
      case BARE_COMPLETION:
        identity = raised = new CompletionException(label, null);
        break;
      case UNSUPPRESSABLE:
        identity = raised = new ScriptedUnsuppressable(label);
        break;
      case WRAPPED:
        identity = new ScriptedException(label);
        raised = new CompletionException("wrapper of " + label, identity);
        break;
      default:
        throw new AssertionError(flavor);
    }
    run.raised(label, identity);
    return raised;
  }

  /** Throws any throwable, checked or not, without declaring it. */
  static RuntimeException sneakyThrow(Throwable failure) {
    throw ScriptedFailures.<RuntimeException>sneak(failure);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneak(Throwable failure) throws E {
    throw (E) failure;
  }
}
