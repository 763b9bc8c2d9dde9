package dev.asyncwith;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * {@link Failures#attach} for a run of attachments, in time linear in all the failures involved
 * instead of a walk of the growing graph at every attachment. Same rule ({@code docs/RULES.md}
 * rule 5: never attached twice, never a cycle, nothing dropped; what cannot be attached goes to
 * the uncaught-exception handler), which {@code Failures.attach} states; this only keeps its two
 * reachability checks cheap. Used where many failures are combined at once: an exit stack's
 * chain of raised failures ({@link FailureChain}, each attached to the next) and a task group's
 * outcome (every failure attached to the first).
 *
 * <p>Each attachment involves the previous attachment's winner, the <em>anchor</em>: either as
 * the winner again (a group: {@code attach(first, each)}) or as the one attached (a chain: {@code
 * attach(next, head)}). The failures reachable from the anchor, through causes and suppressed
 * ones, are kept in a set. With no user code running between two attachments, they change only
 * through the attachments made here, so "the anchor reaches the other failure" is a lookup, and
 * "the other failure reaches the anchor" walks only what it brings that the set does not hold yet
 * (a failure already in the set reaches the anchor only if the anchor sits on a cycle). After an
 * attachment the set holds exactly what the winner reaches, and the winner is the next anchor.
 * The set is rebuilt only where it may no longer be exact: an attachment not involving the
 * anchor, a refused one (suppression disabled), or a cycle refused in the direction that leaves
 * the set too large. Where the anchor sits on a cycle of its own (made by user code), the full
 * check of {@code Failures.attach} decides.
 */
final class FailureAttacher {
  /** The last winner, whose reachable failures {@link #reach} holds; {@code null} before. */
  private Throwable anchor;
  /** Every failure reachable from {@link #anchor}, itself included; {@code null} when to be made. */
  private Set<Throwable> reach;
  /** Whether the anchor reaches itself. */
  private boolean anchorOnCycle;
  /** A winner known to take suppressed failures (its suppression is enabled). */
  private Throwable takesSuppressed;

  /**
   * As {@link Failures#attach}: makes {@code winner} the failure that stands, with {@code other}
   * attached to it unless that would repeat or loop.
   *
   * @return {@code winner}
   */
  Throwable attach(Throwable winner, Throwable other) {
    if (other == null || other == winner) {
      return winner;
    }
    if (reach == null || (anchor != winner && anchor != other)) {
      anchor = winner;
      reach = reachableFrom(winner);
    }
    if (anchorOnCycle) {
      Failures.attach(winner, other);
      forget();
      return winner;
    }
    boolean anchorWins = anchor == winner;
    Throwable fresh = anchorWins ? other : winner;
    if (reach.contains(fresh)) {
      // The anchor reaches the fresh failure: the winner already holds the other one, or
      // attaching would make a cycle.
      if (!anchorWins) {
        forget(); // the winner reaches less than the set holds
      }
      return winner;
    }
    // Walk what the fresh failure brings; known failures are not walked again.
    ArrayList<Throwable> brought = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Throwable> pending = new ArrayDeque<>();
    boolean reachesAnchor = false;
    boolean freshOnCycle = false;
    seen.add(fresh);
    pending.add(fresh);
    while (!pending.isEmpty()) {
      Throwable next = pending.poll();
      brought.add(next);
      Throwable cause = next.getCause();
      if (cause != null) {
        reachesAnchor |= cause == anchor;
        freshOnCycle |= cause == fresh;
        if (!reach.contains(cause) && seen.add(cause)) {
          pending.add(cause);
        }
      }
      for (Throwable suppressed : next.getSuppressed()) {
        reachesAnchor |= suppressed == anchor;
        freshOnCycle |= suppressed == fresh;
        if (!reach.contains(suppressed) && seen.add(suppressed)) {
          pending.add(suppressed);
        }
      }
    }
    if (reachesAnchor) {
      if (!anchorWins) {
        // The winner already reaches the other one: nothing to attach; it becomes the anchor.
        reach.addAll(brought);
        anchor = winner;
        anchorOnCycle = freshOnCycle;
      }
      // Else the other one reaches the winner: attaching would make a cycle; nothing changes.
      return winner;
    }
    if (!addSuppressed(winner, other)) {
      forget();
      return winner;
    }
    reach.addAll(brought);
    if (!anchorWins) {
      anchor = winner;
      anchorOnCycle = freshOnCycle;
    }
    return winner;
  }

  /**
   * {@link Failures#addSuppressedOrReport}, which reads back the winner's suppressed failures to
   * see whether it took the other one; once a winner has, it always will (suppression is fixed at
   * construction), so that a winner taking many failures is not read back every time.
   */
  private boolean addSuppressed(Throwable winner, Throwable other) {
    if (winner == takesSuppressed) {
      winner.addSuppressed(other);
      return true;
    }
    if (!Failures.addSuppressedOrReport(winner, other)) {
      return false;
    }
    takesSuppressed = winner;
    return true;
  }

  private void forget() {
    anchor = null;
    reach = null;
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
    anchorOnCycle = onCycle;
    return seen;
  }
}
