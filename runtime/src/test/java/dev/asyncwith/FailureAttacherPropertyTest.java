package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link FailureAttacher} is {@link Failures#attach} made linear, not a second rule: on random
 * failure graphs (causes and suppressed ones, cycles included, some failures refusing suppression),
 * a run of attachments through it leaves the very graph, and reports the very failures as
 * uncaught, that the same run through {@code Failures.attach} does (rule 5, docs/RULES.md). Both
 * shapes the runtime uses: every failure attached to the first (a task group's outcome), and each
 * attached to the next (an exit stack's chain).
 */
class FailureAttacherPropertyTest {

  /** A failure graph built from a seed, so that the same graph can be built twice. */
  static final class Graph {
    final List<Node> nodes = new ArrayList<>();
    final Map<Throwable, Integer> index = new IdentityHashMap<>();

    Graph(long seed, int size) {
      Random random = new Random(seed);
      for (int i = 0; i < size; i++) {
        boolean refuses = random.nextInt(8) == 0;
        Node node = new Node("f" + i, !refuses);
        nodes.add(node);
        index.put(node, i);
      }
      for (int i = 0; i < size; i++) {
        if (random.nextInt(2) == 0) {
          int cause = random.nextInt(size);
          if (cause != i) {
            nodes.get(i).causedBy(nodes.get(cause)); // cycles of causes included
          }
        }
        if (random.nextInt(3) == 0) {
          int suppressed = random.nextInt(size);
          if (suppressed != i) {
            nodes.get(i).addSuppressed(nodes.get(suppressed));
          }
        }
      }
    }

    /** Each failure's cause and suppressed ones, as indexes. */
    List<String> shape() {
      List<String> shape = new ArrayList<>();
      for (Throwable node : nodes) {
        StringBuilder line = new StringBuilder();
        line.append(node.getCause() == null ? "-" : index.get(node.getCause())).append(':');
        for (Throwable suppressed : node.getSuppressed()) {
          line.append(' ').append(index.get(suppressed));
        }
        shape.add(line.toString());
      }
      return shape;
    }

    List<Integer> indexes(List<Throwable> failures) {
      List<Integer> indexes = new ArrayList<>();
      failures.forEach(failure -> indexes.add(index.get(failure)));
      return indexes;
    }
  }

  /** A failure whose cause can be set whatever its constructor (suppression disabled too). */
  static final class Node extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private transient Throwable cause;

    Node(String message, boolean takesSuppressed) {
      super(message, null, takesSuppressed, false);
    }

    void causedBy(Throwable cause) {
      this.cause = cause;
    }

    @Override
    public synchronized Throwable getCause() {
      return cause;
    }
  }

  /** One way to attach: {@code Failures::attach} or a {@code FailureAttacher}. */
  interface Attach {
    Throwable attach(Throwable winner, Throwable other);
  }

  @Property(tries = 1000)
  void attachingEveryFailureToTheFirstMatchesFailuresAttach(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 14) int size,
      @ForAll @IntRange(min = 0, max = 20) int attachments) {
    compare(seed, size, attachments, false);
  }

  @Property(tries = 1000)
  void attachingEachFailureToTheNextMatchesFailuresAttach(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 14) int size,
      @ForAll @IntRange(min = 0, max = 20) int attachments) {
    compare(seed, size, attachments, true);
  }

  private void compare(long seed, int size, int attachments, boolean chain) {
    Graph expected = new Graph(seed, size);
    List<Throwable> expectedUncaught = run(expected, seed, attachments, chain, Failures::attach);
    Graph actual = new Graph(seed, size);
    FailureAttacher attacher = new FailureAttacher();
    List<Throwable> actualUncaught = run(actual, seed, attachments, chain, attacher::attach);
    assertEquals(expected.shape(), actual.shape());
    assertEquals(expected.indexes(expectedUncaught), actual.indexes(actualUncaught));
  }

  /** The attachments the seed picks, through {@code attach}; returns what went to the handler. */
  private List<Throwable> run(Graph graph, long seed, int attachments, boolean chain, Attach attach) {
    Random picks = new Random(~seed);
    List<Throwable> uncaught = new ArrayList<>();
    Thread thread = Thread.currentThread();
    Thread.UncaughtExceptionHandler previous = thread.getUncaughtExceptionHandler();
    thread.setUncaughtExceptionHandler((t, failure) -> uncaught.add(failure));
    try {
      Throwable head = graph.nodes.get(picks.nextInt(graph.nodes.size()));
      for (int i = 0; i < attachments; i++) {
        Throwable next = graph.nodes.get(picks.nextInt(graph.nodes.size()));
        if (chain) {
          assertSame(next, attach.attach(next, head));
          head = next;
        } else {
          assertSame(head, attach.attach(head, next));
        }
      }
    } finally {
      thread.setUncaughtExceptionHandler(previous);
    }
    return uncaught;
  }
}
