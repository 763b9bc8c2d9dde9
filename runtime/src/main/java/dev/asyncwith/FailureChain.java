package dev.asyncwith;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The failure an exit stack's unwinding carries from one callback to the next, and the chain of
 * raised failures behind it: each raised failure gets the one before attached by the rule of
 * {@link Failures#attach} ({@code docs/RULES.md} rule 5: never twice, never a cycle), as Python
 * chains them through {@code __context__}.
 *
 * <p>The failures are recorded as the callbacks raise them and attached once the last callback has
 * run ({@link #link}), oldest first. With no user code running between two attachments, the
 * failures reachable from the head change only through the attachments made here, so the rule's
 * two reachability checks can be kept linear over the whole chain instead of walking it at every
 * link: the failures reachable from the head are kept in a set, so "the head reaches the next
 * failure" is a lookup, and "the next failure reaches the head" walks only what the next failure
 * brings that the set does not hold yet (a fresh failure brings itself). Each run of failures
 * between two suppressions is linked once, when it ends. The set is rebuilt only where it may no longer be exact: a failure that is already below the head, or one that refused
 * the attachment (suppression disabled). Where the head sits on a cycle of its own (made by user
 * code), a walk that stops at known failures could miss the way back to it, and the full check of
 * {@link Failures#attach} decides.
 */
final class FailureChain {
  /** The failure that came in (if any) and the ones raised since, oldest first. */
  private final ArrayList<Throwable> links = new ArrayList<>();

  /** Every failure reachable from the head, itself included, while linking; {@code null} when to be made. */
  private Set<Throwable> below;
  /** Whether the head reaches itself (a cycle that user code made). */
  private boolean headOnCycle;

  FailureChain(Throwable incoming) {
    if (incoming != null) {
      links.add(incoming);
    }
  }

  /** The failure the next callback sees, or {@code null}. */
  Throwable head() {
    return links.isEmpty() ? null : links.get(links.size() - 1);
  }

  /**
   * A callback suppressed the failure: none remains. The failures raised so far are still chained
   * to each other, as Python's are, though nothing will reach them.
   */
  void suppressed() {
    link();
  }

  /** A callback raised {@code failure} (unwrapped): it becomes the head. */
  void raise(Throwable failure) {
    if (failure != head()) {
      links.add(failure);
    }
  }

  /**
   * Attaches each failure to the next one raised, by rule 5, oldest first, and starts a new chain.
   *
   * @return the head, the failure that remains
   */
  Throwable link() {
    Throwable head = null;
    for (Throwable next : links) {
      if (head != null) {
        attach(next, head);
      }
      head = next;
    }
    links.clear();
    below = null;
    return head;
  }

  /** Attaches {@code previous} (the head) to {@code failure} unless that would repeat or loop. */
  private void attach(Throwable failure, Throwable previous) {
    if (failure == previous) {
      return;
    }
    if (below == null) {
      below = reachableFrom(previous);
    }
    if (headOnCycle) {
      Failures.attach(failure, previous);
      below = null;
      return;
    }
    if (below.contains(failure)) {
      below = null; // the head reaches the new failure: attaching would make a cycle
      return;
    }
    // Walk what the new failure brings; known failures are not walked again.
    Set<Throwable> known = below;
    boolean reachesPrevious = false;
    boolean onCycle = false;
    ArrayDeque<Throwable> pending = new ArrayDeque<>();
    known.add(failure);
    pending.add(failure);
    while (!pending.isEmpty()) {
      Throwable next = pending.poll();
      Throwable cause = next.getCause();
      if (cause != null) {
        reachesPrevious |= cause == previous;
        onCycle |= cause == failure;
        if (known.add(cause)) {
          pending.add(cause);
        }
      }
      for (Throwable suppressed : next.getSuppressed()) {
        reachesPrevious |= suppressed == previous;
        onCycle |= suppressed == failure;
        if (known.add(suppressed)) {
          pending.add(suppressed);
        }
      }
    }
    // known now holds everything the new failure reaches, plus the previous head and what it
    // reaches: exactly what the new head reaches once the previous one hangs below it (or
    // already did, when it reaches it).
    if (!reachesPrevious && !Failures.addSuppressedOrReport(failure, previous)) {
      below = null; // not attached: the set holds more than the new head reaches
      return;
    }
    headOnCycle = onCycle;
  }

  /** Every failure reachable from {@code from}, itself included; notes whether it reaches itself. */
  private Set<Throwable> reachableFrom(Throwable from) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Throwable> pending = new ArrayDeque<>();
    boolean onCycle = false;
    seen.add(from);
    pending.add(from);
    while (!pending.isEmpty()) {
      Throwable next = pending.poll();
      Throwable cause = next.getCause();
      if (cause != null) {
        onCycle |= cause == from;
        if (seen.add(cause)) {
          pending.add(cause);
        }
      }
      for (Throwable suppressed : next.getSuppressed()) {
        onCycle |= suppressed == from;
        if (seen.add(suppressed)) {
          pending.add(suppressed);
        }
      }
    }
    headOnCycle = onCycle;
    return seen;
  }
}
