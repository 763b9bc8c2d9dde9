package dev.asyncwith.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

/** Questions about the graph a failure spans through its causes and suppressed failures. */
final class FailureGraph {
  private FailureGraph() {}

  /** Strips every layer of {@code CompletionException} that has a cause (DESIGN rule 3). */
  static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while (current instanceof CompletionException && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  /** Every throwable reachable from {@code root} through causes and suppressed ones. */
  static Set<Throwable> reachable(Throwable root) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> pending = new ArrayList<>();
    if (root != null) {
      pending.add(root);
    }
    while (!pending.isEmpty()) {
      Throwable next = pending.remove(pending.size() - 1);
      if (seen.add(next)) {
        if (next.getCause() != null) {
          pending.add(next.getCause());
        }
        Collections.addAll(pending, next.getSuppressed());
      }
    }
    return seen;
  }

  /**
   * Problems with how failures were attached below {@code root}: a failure attached twice to the
   * same parent, a failure attached to two parents, or a cycle (DESIGN rule 5: nothing is
   * attached twice, and attaching never makes a cycle).
   */
  static List<String> attachmentProblems(Throwable root) {
    List<String> problems = new ArrayList<>();
    Map<Throwable, Throwable> parentOf = new IdentityHashMap<>();
    for (Throwable parent : reachable(root)) {
      Set<Throwable> children = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Throwable child : parent.getSuppressed()) {
        if (!children.add(child)) {
          problems.add(describe(child) + " is attached twice to " + describe(parent));
        }
        Throwable other = parentOf.putIfAbsent(child, parent);
        if (other != null && other != parent) {
          problems.add(
              describe(child) + " is attached to both " + describe(other) + " and "
                  + describe(parent));
        }
      }
    }
    if (hasCycle(root, Collections.newSetFromMap(new IdentityHashMap<>()),
        Collections.newSetFromMap(new IdentityHashMap<>()))) {
      problems.add("the failure graph below " + describe(root) + " has a cycle");
    }
    return problems;
  }

  private static boolean hasCycle(Throwable node, Set<Throwable> onPath, Set<Throwable> done) {
    if (node == null || done.contains(node)) {
      return false;
    }
    if (!onPath.add(node)) {
      return true;
    }
    List<Throwable> next = new ArrayList<>();
    if (node.getCause() != null) {
      next.add(node.getCause());
    }
    Collections.addAll(next, node.getSuppressed());
    for (Throwable child : next) {
      if (hasCycle(child, onPath, done)) {
        return true;
      }
    }
    onPath.remove(node);
    done.add(node);
    return false;
  }

  /** A short description: type and message. */
  static String describe(Throwable failure) {
    return failure == null
        ? "null"
        : failure.getClass().getSimpleName() + "(" + failure.getMessage() + ")";
  }
}
