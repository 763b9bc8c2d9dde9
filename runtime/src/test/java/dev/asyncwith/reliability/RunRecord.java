package dev.asyncwith.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What actually happened during one run of a scenario, recorded by the scripted resources from
 * whatever threads they run on: the failures raised (by label), the order of enters, exits and
 * leaf bodies, how often each node was entered and torn down, what each exit and each yield
 * received, the generator threads, and anything a script found wrong on the spot.
 */
final class RunRecord {
  /** Marks "this exit or yield received no failure" in {@link #exitArguments}. */
  static final Object NO_FAILURE = new Object() {
    @Override
    public String toString() {
      return "no failure";
    }
  };

  private final Map<String, Throwable> raised = new ConcurrentHashMap<>();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final Map<Integer, AtomicInteger> enters = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> teardowns = new ConcurrentHashMap<>();
  private final Map<Integer, Object> exitArguments = new ConcurrentHashMap<>();
  private final List<Thread> generatorThreads = Collections.synchronizedList(new ArrayList<>());
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

  /** Records that the failure labelled {@code label} was raised, {@code failure} its identity. */
  void raised(String label, Throwable failure) {
    Throwable previous = raised.putIfAbsent(label, failure);
    if (previous != null && previous != failure) {
      problem("failure " + label + " raised twice: the step ran twice");
    }
  }

  void event(String event) {
    events.add(event);
  }

  void entered(int id) {
    enters.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
  }

  /** Records a teardown of node {@code id} and the failure it received (null for none). */
  void tornDown(int id, Throwable received) {
    int count = teardowns.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    if (count == 1) {
      exitArguments.put(id, received == null ? NO_FAILURE : received);
    }
  }

  void generatorThread(Thread thread) {
    generatorThreads.add(thread);
  }

  void problem(String problem) {
    problems.add(problem);
  }

  Map<String, Throwable> raised() {
    return raised;
  }

  List<String> events() {
    synchronized (events) {
      return new ArrayList<>(events);
    }
  }

  int enters(int id) {
    AtomicInteger count = enters.get(id);
    return count == null ? 0 : count.get();
  }

  int teardowns(int id) {
    AtomicInteger count = teardowns.get(id);
    return count == null ? 0 : count.get();
  }

  /** What node {@code id}'s exit or yield received, {@link #NO_FAILURE}, or null if never run. */
  Object exitArgument(int id) {
    return exitArguments.get(id);
  }

  List<Thread> generatorThreads() {
    synchronized (generatorThreads) {
      return new ArrayList<>(generatorThreads);
    }
  }

  List<String> problems() {
    synchronized (problems) {
      return new ArrayList<>(problems);
    }
  }
}
