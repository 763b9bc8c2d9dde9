package dev.asyncwith.processor;

import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;

/**
 * Whether a method's body uses its yield parameter, read from javac's syntax tree of that one
 * method. The tree is only parsed, never attributed, so the answer is syntactic: any identifier
 * with the parameter's name counts as a use. Java forbids locals and lambda parameters that shadow
 * a method parameter, so only a local or anonymous class declaring the same name could make this
 * say "used" wrongly; it never says "unused" wrongly.
 */
final class YieldUsage {
  private final CompilerTrees trees;

  YieldUsage(CompilerTrees trees) {
    this.trees = trees;
  }

  /**
   * Reads the method's body once.
   *
   * @param method the annotated method
   * @param yield its yield parameter
   * @return whether the body uses {@code yield}; empty when unknown (no Tree API, no source, or no
   *     body)
   */
  Optional<Boolean> isUsed(ExecutableElement method, VariableElement yield) {
    Optional<Trees> api = trees.get();
    if (api.isEmpty()) {
      return Optional.empty();
    }
    MethodTree tree = api.get().getTree(method);
    if (tree == null || tree.getBody() == null) {
      return Optional.empty();
    }
    String name = yield.getSimpleName().toString();
    Boolean used = new IdentifierFinder(name).scan(tree.getBody(), null);
    return Optional.of(Boolean.TRUE.equals(used));
  }

  private static final class IdentifierFinder extends TreeScanner<Boolean, Void> {
    private final String name;

    IdentifierFinder(String name) {
      this.name = name;
    }

    @Override
    public Boolean visitIdentifier(IdentifierTree node, Void unused) {
      return node.getName().contentEquals(name);
    }

    @Override
    public Boolean reduce(Boolean first, Boolean second) {
      return Boolean.TRUE.equals(first) || Boolean.TRUE.equals(second);
    }
  }
}
