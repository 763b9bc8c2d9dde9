package dev.asyncwith.processor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Keeps two annotated methods from generating the same class: within a round, all methods that
 * would generate one name are rejected (none wins by accident of order); across rounds, a name
 * already generated is taken. Collisions with existing types are found by the analyzer.
 */
final class NameCollisions {
  private final Reporter reporter;
  private final Map<String, String> generated = new HashMap<>();

  /**
   * Creates the registry, empty.
   *
   * @param reporter where collisions go
   */
  public NameCollisions(Reporter reporter) {
    this.reporter = reporter;
  }

  /**
   * Reports every collision among {@code models} and with names claimed in earlier rounds.
   *
   * @param models this round's valid models, in a stable order
   * @return the models free to generate, in the same order; their names are now claimed
   */
  public List<ManagerModel> claim(List<ManagerModel> models) {
    Map<String, List<ManagerModel>> byName = new LinkedHashMap<>();
    for (ManagerModel model : models) {
      byName
          .computeIfAbsent(model.generatedClass().canonicalName(), name -> new ArrayList<>())
          .add(model);
    }
    List<ManagerModel> free = new ArrayList<>();
    for (Map.Entry<String, List<ManagerModel>> entry : byName.entrySet()) {
      String name = entry.getKey();
      List<ManagerModel> claimants = entry.getValue();
      if (generated.containsKey(name)) {
        claimants.forEach(model -> report(model, "the class generated for " + generated.get(name)));
      } else if (claimants.size() > 1) {
        for (ManagerModel model : claimants) {
          String others =
              claimants.stream()
                  .filter(other -> other != model)
                  .map(ManagerModel::sourceName)
                  .collect(Collectors.joining(", "));
          report(model, "the class generated for " + others);
        }
      } else {
        ManagerModel model = claimants.get(0);
        generated.put(name, model.sourceName());
        free.add(model);
      }
    }
    return free;
  }

  private void report(ManagerModel model, String collidesWith) {
    Object[] arguments = {model.sourceName(), model.generatedClass().canonicalName(), collidesWith};
    if (model.nameValue().isPresent()) {
      reporter.error(
          model.method(),
          model.annotation(),
          model.nameValue().get(),
          Message.NAME_COLLISION,
          arguments);
    } else {
      reporter.error(model.method(), Message.NAME_COLLISION, arguments);
    }
  }
}
