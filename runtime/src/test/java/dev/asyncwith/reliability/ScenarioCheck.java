package dev.asyncwith.reliability;

import dev.asyncwith.reliability.ReferenceModel.Failed;
import dev.asyncwith.reliability.ReferenceModel.Result;
import dev.asyncwith.reliability.ReferenceModel.Value;
import dev.asyncwith.reliability.Scenario.Block;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one scenario against the library and against the {@link ReferenceModel}, and lists every
 * difference and every broken invariant:
 *
 * <ul>
 *   <li>the result is the model's (value, or failure by identity with exactly the attachments
 *       rule 5 predicts);
 *   <li>enters, block bodies and exits happen in the model's order, each teardown exactly once
 *       when its enter succeeded and never otherwise, each exit receiving the model's failure;
 *   <li>every failure raised anywhere is reachable from the result unless a {@code true} exit
 *       dropped it; nothing is attached twice and no attachment makes a cycle;
 *   <li>every blocking-generator thread has ended.
 * </ul>
 */
final class ScenarioCheck {
  /** How long a scenario may take before the check reports it as hung. */
  static final long TIMEOUT_SECONDS = 10;

  private ScenarioCheck() {}

  /** Runs {@code scenario} and returns the problems found; empty when it behaved as specified. */
  static List<String> problems(Block scenario) {
    return problems(scenario, false);
  }

  /**
   * Runs {@code scenario} through {@code use} or, if {@code throughCall}, through the synchronous
   * {@code call} ({@link CallScenarioRunner}), and returns the problems found against the same
   * model.
   */
  static List<String> problems(Block scenario, boolean throughCall) {
    // Failures the library could not attach go to the uncaught-exception handler of whichever
    // thread saw them: the test's, a later-step thread or a generator thread, none of which has
    // a handler of its own, so the default handler sees them all.
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> uncaught.add(failure));
    try {
      return problems(scenario, throughCall, uncaught);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  private static List<String> problems(
      Block scenario, boolean throughCall, List<Throwable> uncaught) {
    List<String> problems = new ArrayList<>();
    RunRecord run = new RunRecord();
    CompletableFuture<Object> result;
    try {
      result =
          throughCall
              ? new CallScenarioRunner(run).start(scenario)
              : new ScenarioRunner(run).start(scenario);
    } catch (Throwable t) {
      problems.add("rule 9: the statement threw synchronously: " + t);
      return problems;
    }
    if (result == null) {
      problems.add("rule 9: the statement returned null");
      return problems;
    }
    Object value = null;
    Throwable failure = null;
    try {
      value = result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      failure = FailureGraph.unwrap(e.getCause());
    } catch (java.util.concurrent.CancellationException e) {
      failure = result.handle((v, t) -> FailureGraph.unwrap(t)).join();
    } catch (TimeoutException e) {
      problems.add("the statement did not complete within " + TIMEOUT_SECONDS + " s; record: "
          + run.events());
      return problems;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problems.add("interrupted");
      return problems;
    }

    ReferenceModel model = new ReferenceModel();
    Result expected = model.run(scenario);
    Map<String, Throwable> raised = run.raised();

    if (expected instanceof Value expectedValue) {
      if (failure != null) {
        problems.add("result: expected value " + expectedValue.value() + ", got failure "
            + FailureGraph.describe(failure) + " " + tree(failure));
      } else if (!Objects.equals(expectedValue.value(), value)) {
        problems.add("result: expected value " + expectedValue.value() + ", got " + value);
      }
    } else {
      ModelFailure expectedFailure = ((Failed) expected).failure();
      if (failure == null) {
        problems.add("result: expected failure " + expectedFailure + ", got value " + value);
      } else {
        compare(expectedFailure, failure, "result", raised, problems);
      }
    }

    if (!model.events().equals(run.events())) {
      problems.add("order: expected " + model.events() + ", got " + run.events());
    }
    for (int id : Scenarios.ids(scenario)) {
      if (model.enters(id) != run.enters(id)) {
        problems.add("node " + id + " entered " + run.enters(id) + " times, expected "
            + model.enters(id));
      }
      if (model.teardowns(id) != run.teardowns(id)) {
        problems.add("node " + id + " torn down " + run.teardowns(id) + " times, expected "
            + model.teardowns(id));
      }
      Object expectedArgument = model.exitArgument(id);
      Object actualArgument = run.exitArgument(id);
      boolean argumentMatches =
          expectedArgument instanceof ModelFailure expectedExitFailure
              ? actualArgument instanceof Throwable actualThrowable
                  && expectedExitFailure.matches(actualThrowable, raised)
              : expectedArgument == actualArgument;
      if (!argumentMatches) {
        problems.add("node " + id + "'s teardown received "
            + (actualArgument instanceof Throwable t ? FailureGraph.describe(t) : actualArgument)
            + ", expected " + expectedArgument);
      }
    }

    // Rule 6: what could not be attached (suppression disabled) went to the handler, and only that.
    List<ModelFailure> refused = model.refused();
    Set<Throwable> reported = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable report : uncaught) {
      reported.addAll(FailureGraph.reachable(report));
      if (refused.stream().noneMatch(expectedReport -> expectedReport.matches(report, raised))) {
        problems.add("the uncaught-exception handler received " + FailureGraph.describe(report)
            + ", expected only " + refused);
      }
    }
    for (ModelFailure expectedReport : refused) {
      if (uncaught.stream().noneMatch(report -> expectedReport.matches(report, raised))) {
        problems.add(expectedReport + " could not be attached and did not reach the "
            + "uncaught-exception handler");
      }
    }

    Set<Throwable> reachable = FailureGraph.reachable(failure);
    for (Map.Entry<String, Throwable> entry : raised.entrySet()) {
      if (!reachable.contains(entry.getValue())
          && !reported.contains(entry.getValue())
          && !model.dropped(entry.getKey())) {
        problems.add("failure " + entry.getKey() + " was raised but is not reachable from the "
            + "result and no true exit suppressed it");
      }
    }
    if (failure != null) {
      problems.addAll(FailureGraph.attachmentProblems(failure));
    }
    problems.addAll(run.problems());
    problems.addAll(LibraryThreads.endedWithin(run.generatorThreads(), 5_000));
    return problems;
  }

  private static void compare(
      ModelFailure expected,
      Throwable actual,
      String path,
      Map<String, Throwable> raised,
      List<String> problems) {
    if (!expected.matches(actual, raised)) {
      problems.add(path + ": expected " + expected + ", got " + FailureGraph.describe(actual)
          + " " + tree(actual));
      return;
    }
    if (expected.loose) {
      Set<Throwable> below = FailureGraph.reachable(actual);
      for (ModelFailure must : expected.reachable()) {
        if (below.stream().noneMatch(t -> must.matches(t, raised))) {
          problems.add(path + ": " + must + " should be reachable from "
              + FailureGraph.describe(actual) + " " + tree(actual));
        }
      }
      return;
    }
    Throwable[] suppressed = actual.getSuppressed();
    if (suppressed.length != expected.suppressed.size()) {
      problems.add(path + ": expected " + expected + ", got " + FailureGraph.describe(actual)
          + " " + tree(actual));
      return;
    }
    for (int i = 0; i < suppressed.length; i++) {
      compare(expected.suppressed.get(i), suppressed[i], path + ".suppressed[" + i + "]", raised,
          problems);
    }
  }

  /** The suppressed tree below {@code failure}, for messages. */
  static String tree(Throwable failure) {
    StringBuilder out = new StringBuilder();
    tree(failure, out, 0);
    return out.toString();
  }

  private static void tree(Throwable failure, StringBuilder out, int depth) {
    if (depth > 8) {
      out.append("...");
      return;
    }
    Throwable[] suppressed = failure.getSuppressed();
    if (suppressed.length == 0) {
      return;
    }
    out.append('[');
    for (int i = 0; i < suppressed.length; i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(FailureGraph.describe(suppressed[i]));
      tree(suppressed[i], out, depth + 1);
    }
    out.append(']');
  }
}
