package dev.asyncwith.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A failure as the {@link ReferenceModel} predicts it: which object it must be (a scripted
 * failure, known by its label, or one the library creates, known by its type and part of its
 * message) and which failures must be attached to it by {@code addSuppressed}, in order.
 *
 * <p>Like a real {@code Throwable} it is mutable and shared: the model attaches to it exactly as
 * rule 5 of {@code docs/RULES.md} says the library attaches to the real one.
 */
final class ModelFailure {
  /** The label of a failure the scripts raise (identity known), or null. */
  final String label;
  /** For a failure the library creates: its type and a part of its message (or null). */
  final Class<? extends Throwable> type;
  final String messagePart;
  /** Failures attached in this order by {@code addSuppressed}. */
  final List<ModelFailure> suppressed = new ArrayList<>();
  /**
   * Whether docs/RULES.md leaves the shape below this failure open (only which failures reach it is
   * fixed, not the order or the nesting): then {@link #suppressed} lists what must be reachable.
   */
  final boolean loose;
  /** Whether the real failure has suppression disabled: nothing can be attached to it. */
  final boolean refusesAttachments;

  private ModelFailure(
      String label,
      Class<? extends Throwable> type,
      String messagePart,
      boolean loose,
      boolean refusesAttachments) {
    this.label = label;
    this.type = type;
    this.messagePart = messagePart;
    this.loose = loose;
    this.refusesAttachments = refusesAttachments;
  }

  private ModelFailure(
      String label, Class<? extends Throwable> type, String messagePart, boolean loose) {
    this(label, type, messagePart, loose, false);
  }

  /** A failure the scripts raised under {@code label}, of type {@code flavor}. */
  static ModelFailure raised(String label, Outcome.Flavor flavor) {
    return new ModelFailure(
        label, Throwable.class, null, false, flavor == Outcome.Flavor.UNSUPPRESSABLE);
  }

  /** Like {@link #raised} but only reachability below it is fixed. */
  static ModelFailure raisedLoose(String label, Outcome.Flavor flavor) {
    return new ModelFailure(
        label, Throwable.class, null, true, flavor == Outcome.Flavor.UNSUPPRESSABLE);
  }

  /**
   * A failure the library raises and a script observes and records under {@code label} (for
   * example, the "yielded twice" failure a generator's second yield receives).
   */
  static ModelFailure observed(
      String label, Class<? extends Throwable> type, String messagePart) {
    return new ModelFailure(label, type, messagePart, false);
  }

  /** A failure the library creates and nobody records: known by type and message only. */
  static ModelFailure created(Class<? extends Throwable> type, String messagePart) {
    return new ModelFailure(null, type, messagePart, false);
  }

  /**
   * Rule 5 of {@code docs/RULES.md}: attaches {@code other} unless it is null, is this failure, is
   * already reachable from it, or already reaches it.
   *
   * @return {@code other} when it should have been attached but this failure refuses attachments
   *     (rule 6: it then goes to the uncaught-exception handler), else {@code null}
   */
  ModelFailure attach(ModelFailure other) {
    // A failure never attached anywhere is reachable from nothing but itself: the walk through
    // other's (possibly 10,000 long) chain is needed only when this one hangs somewhere.
    if (other == null
        || other == this
        || reaches(other)
        || (attachedSomewhere && other.reaches(this))) {
      return null;
    }
    if (refusesAttachments) {
      return other;
    }
    suppressed.add(other);
    other.attachedSomewhere = true;
    return null;
  }

  /** Whether this failure is in some failure's {@link #suppressed} list. */
  private boolean attachedSomewhere;

  /** Whether {@code target} is this failure or attached below it. */
  boolean reaches(ModelFailure target) {
    return reachable().contains(target);
  }

  /** This failure and every failure attached below it. */
  Set<ModelFailure> reachable() {
    Set<ModelFailure> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<ModelFailure> pending = new ArrayList<>();
    pending.add(this);
    while (!pending.isEmpty()) {
      ModelFailure next = pending.remove(pending.size() - 1);
      if (seen.add(next)) {
        pending.addAll(next.suppressed);
      }
    }
    return seen;
  }

  /** Whether {@code actual} is the failure predicted (its identity, not its attachments). */
  boolean matches(Throwable actual, Map<String, Throwable> raised) {
    if (actual == null) {
      return false;
    }
    Throwable known = label == null ? null : raised.get(label);
    if (known != null) {
      return known == actual;
    }
    if (label != null && type == Throwable.class) {
      return false; // a scripted failure that was never raised matches nothing
    }
    return type.isInstance(actual)
        && (messagePart == null
            || (actual.getMessage() != null && actual.getMessage().contains(messagePart)));
  }

  @Override
  public String toString() {
    String name =
        label != null
            ? label
            : type.getSimpleName() + (messagePart == null ? "" : "(\"" + messagePart + "\")");
    return suppressed.isEmpty() ? name : name + (loose ? "~" : "") + suppressed;
  }
}
