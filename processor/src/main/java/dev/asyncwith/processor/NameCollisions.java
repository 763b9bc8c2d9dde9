package dev.asyncwith.processor;

import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.annotation.processing.FilerException;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * Every name collision, found and reported here alone: with a type that exists already (checked
 * during validation), among this round's methods (all that would generate one name are rejected;
 * none wins by accident of order), with a name generated in an earlier round, and with a file
 * another processor wrote under the same name.
 */
final class NameCollisions {
  private final Reporter reporter;
  private final PackageTypes packageTypes;
  private final Map<String, String> generated = new HashMap<>();

  /**
   * Creates the registry, empty.
   *
   * @param reporter where collisions go
   * @param packageTypes the types each package has this round
   */
  NameCollisions(Reporter reporter, PackageTypes packageTypes) {
    this.reporter = reporter;
    this.packageTypes = packageTypes;
  }

  /**
   * Who claims a name: the method, where to point at, and the class it would generate.
   *
   * @param method the annotated method
   * @param annotation its {@code @AsyncContextManager}
   * @param explicitName the {@code name} value, when written: errors point at it
   * @param generatedClass the class the method would generate
   */
  record Claim(
      ExecutableElement method,
      AnnotationMirror annotation,
      Optional<AnnotationValue> explicitName,
      ClassName generatedClass) {
    static Claim of(ManagerModel model) {
      return new Claim(
          model.method(), model.annotation(), model.explicitName(), model.generatedClass());
    }
  }

  /**
   * Checks that no type of that name exists already, reporting it when one does.
   *
   * @param claim the method and the class it would generate
   * @return whether the name is free
   */
  boolean isFree(Claim claim) {
    ClassName name = claim.generatedClass();
    Optional<TypeElement> existing = packageTypes.find(name.packageName(), name.simpleName());
    existing.ifPresent(type -> report(claim, describeExisting(type)));
    return existing.isEmpty();
  }

  /**
   * Reports every collision among {@code models} and with names claimed in earlier rounds.
   *
   * @param models this round's valid models, in a stable order
   * @return the models free to generate, in the same order; their names are now claimed
   */
  List<ManagerModel> claim(List<ManagerModel> models) {
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
        claimants.forEach(
            model -> report(Claim.of(model), "the class generated for " + generated.get(name)));
      } else if (claimants.size() > 1) {
        for (ManagerModel model : claimants) {
          String others =
              claimants.stream()
                  .filter(other -> other != model)
                  .map(ManagerModel::sourceName)
                  .collect(Collectors.joining(", "));
          report(Claim.of(model), "the class generated for " + others);
        }
      } else {
        ManagerModel model = claimants.get(0);
        generated.put(name, model.sourceName());
        free.add(model);
      }
    }
    return free;
  }

  /**
   * Reports that another processor already created a file of the generated class's name.
   *
   * @param model the method whose file could not be created
   * @param refused the Filer's refusal
   */
  void alreadyWritten(ManagerModel model, FilerException refused) {
    report(
        Claim.of(model),
        "a file already generated in this compilation (" + refused.getMessage() + ")");
  }

  private void report(Claim claim, String collidesWith) {
    reporter.error(
        claim.method(),
        claim.annotation(),
        claim.explicitName(),
        Message.NAME_COLLISION,
        MethodNames.sourceName(claim.method()),
        claim.generatedClass().canonicalName(),
        collidesWith);
  }

  private static String describeExisting(TypeElement existing) {
    return Annotations.generatedFrom(existing)
        .map(from -> "the class generated for " + from)
        .orElse("the existing type " + existing.getQualifiedName());
  }
}
