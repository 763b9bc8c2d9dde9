package dev.asyncwith.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;

/**
 * The one place that finds and reports {@code @AsyncContextManager} on methods of local and
 * anonymous classes. javac never hands such methods to a processor (it does not enter method
 * bodies before processing), so without this scan the annotation would be silently ignored. The scan is syntactic (nothing is attributed),
 * reads each compilation unit once, and only units whose text mentions the annotation; it needs
 * javac's Tree API and is skipped where that is not offered.
 *
 * <p>Limit: javac calls a processor only in a compilation where its annotation appears on an
 * element it can see, so a compilation whose only uses are inside local or anonymous classes never
 * runs the processor, and no error is reported there.
 */
final class LocalClassScanner {
  private static final String SIMPLE_NAME = RuntimeTypes.ASYNC_CONTEXT_MANAGER.simpleName();
  private static final String QUALIFIED_NAME = RuntimeTypes.ASYNC_CONTEXT_MANAGER.canonicalName();
  private static final String PACKAGE_NAME = RuntimeTypes.ASYNC_CONTEXT_MANAGER.packageName();

  private final CompilerTrees trees;
  private final Reporter reporter;
  private final Set<CompilationUnitTree> scanned =
      Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * Creates the scanner.
   *
   * @param trees the optional Tree API
   * @param reporter where errors go
   */
  LocalClassScanner(CompilerTrees trees, Reporter reporter) {
    this.trees = trees;
    this.reporter = reporter;
  }

  /**
   * Checks a method handed to the processor (no compiler does today, but nothing forbids it):
   * reports it when a local or anonymous class declares it.
   *
   * @param method an annotated method
   * @return whether the method is in a local or anonymous class
   */
  boolean isInLocalClass(ExecutableElement method) {
    for (Element e = method.getEnclosingElement();
        e instanceof TypeElement type;
        e = e.getEnclosingElement()) {
      if (type.getNestingKind() == NestingKind.LOCAL
          || type.getNestingKind() == NestingKind.ANONYMOUS) {
        reporter.error(method, Message.LOCAL_CLASS, MethodNames.sourceName(method));
        return true;
      }
    }
    return false;
  }

  /**
   * Reports an error on each annotated method of a local or anonymous class in the compilation unit
   * declaring {@code rootElement}, unless that unit was already scanned.
   *
   * @param rootElement a root element of the round
   */
  void scan(Element rootElement) {
    Optional<Trees> api = trees.get();
    if (api.isEmpty() || !(rootElement instanceof TypeElement)) {
      return;
    }
    TreePath path = api.get().getPath(rootElement);
    if (path == null) {
      return;
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    if (!scanned.add(unit) || !mentionsAnnotation(unit)) {
      return;
    }
    boolean simpleNameResolves = simpleNameResolvesToAnnotation(unit);
    new LocalMethodFinder(api.get(), unit, simpleNameResolves, reporter).scan(unit, false);
  }

  private static boolean mentionsAnnotation(CompilationUnitTree unit) {
    try {
      return unit.getSourceFile().getCharContent(true).toString().contains(SIMPLE_NAME);
    } catch (IOException unreadable) {
      return true;
    }
  }

  private static boolean simpleNameResolvesToAnnotation(CompilationUnitTree unit) {
    if (unit.getPackageName() != null && unit.getPackageName().toString().equals(PACKAGE_NAME)) {
      return true;
    }
    for (ImportTree importTree : unit.getImports()) {
      String imported = importTree.getQualifiedIdentifier().toString();
      if (!importTree.isStatic()
          && (imported.equals(QUALIFIED_NAME) || imported.equals(PACKAGE_NAME + ".*"))) {
        return true;
      }
    }
    return false;
  }

  /** Walks a unit; the Boolean parameter says whether the current tree is inside code. */
  private static final class LocalMethodFinder extends TreeScanner<Void, Boolean> {
    private final Trees trees;
    private final CompilationUnitTree unit;
    private final boolean simpleNameResolves;
    private final Reporter reporter;

    LocalMethodFinder(
        Trees trees, CompilationUnitTree unit, boolean simpleNameResolves, Reporter reporter) {
      this.trees = trees;
      this.unit = unit;
      this.simpleNameResolves = simpleNameResolves;
      this.reporter = reporter;
    }

    @Override
    public Void visitClass(ClassTree node, Boolean insideCode) {
      for (Tree member : node.getMembers()) {
        if (member instanceof MethodTree method) {
          if (insideCode && isAnnotated(method)) {
            report(node, method);
          }
          scan(method.getBody(), true);
        } else if (member instanceof VariableTree field) {
          scan(field.getInitializer(), true);
        } else if (member instanceof BlockTree initializer) {
          scan(initializer, true);
        } else {
          scan(member, insideCode);
        }
      }
      return null;
    }

    private boolean isAnnotated(MethodTree method) {
      for (AnnotationTree annotation : method.getModifiers().getAnnotations()) {
        String name = annotation.getAnnotationType().toString();
        if (name.equals(QUALIFIED_NAME) || (simpleNameResolves && name.equals(SIMPLE_NAME))) {
          return true;
        }
      }
      return false;
    }

    private void report(ClassTree owner, MethodTree method) {
      String ownerName =
          owner.getSimpleName().length() == 0 ? "<anonymous>" : owner.getSimpleName().toString();
      reporter.error(
          trees, method, unit, Message.LOCAL_CLASS, ownerName + "." + method.getName());
    }
  }
}
