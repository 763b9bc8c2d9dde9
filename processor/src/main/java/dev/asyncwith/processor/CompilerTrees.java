package dev.asyncwith.processor;

import com.sun.source.util.Trees;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;

/**
 * javac's Tree API, when this compilation offers it. It is an optional extra: other compilers, and
 * javac wrapped by a build tool (Gradle's incremental mode), do not offer it, and then the checks
 * that need method bodies are skipped, never failed.
 *
 * <p>Looked up lazily, once: the first check that needs it pays for it.
 */
final class CompilerTrees {
  private final ProcessingEnvironment environment;
  private Optional<Trees> trees;

  /**
   * Creates the lazy accessor.
   *
   * @param environment the processing environment
   */
  CompilerTrees(ProcessingEnvironment environment) {
    this.environment = environment;
  }

  /**
   * The Tree API, or empty when this compilation does not offer it.
   *
   * @return javac's trees
   */
  Optional<Trees> get() {
    if (trees == null) {
      trees = lookUp(environment);
    }
    return trees;
  }

  private static Optional<Trees> lookUp(ProcessingEnvironment environment) {
    try {
      return Optional.of(Trees.instance(environment));
    } catch (IllegalArgumentException | LinkageError notJavac) {
      // A wrapped environment or a compiler without jdk.compiler: the optional checks are off.
      return Optional.empty();
    }
  }
}
