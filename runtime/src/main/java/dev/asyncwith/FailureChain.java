package dev.asyncwith;

import java.util.ArrayList;

/**
 * The failure an exit stack's unwinding carries from one callback to the next, and the chain of
 * raised failures behind it: each raised failure gets the one before attached by the rule of
 * {@link Failures#attach} ({@code docs/RULES.md} rule 5: never twice, never a cycle), as Python
 * chains them through {@code __context__}.
 *
 * <p>The failures are recorded as the callbacks raise them and attached once the last callback has
 * run ({@link #link}), oldest first, through one {@link FailureAttacher}, so that the whole chain
 * is linked in time linear in its failures: with no user code running between two attachments,
 * what each attachment must check can be kept from the one before. Each run of failures between
 * two suppressions is linked once, when it ends.
 */
final class FailureChain {
  /** The failure that came in (if any) and the ones raised since, oldest first. */
  private final ArrayList<Throwable> links = new ArrayList<>();

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
    FailureAttacher attacher = new FailureAttacher();
    Throwable head = null;
    for (Throwable next : links) {
      if (head != null) {
        attacher.attach(next, head);
      }
      head = next;
    }
    links.clear();
    return head;
  }
}
