package dev.asyncwith.processor;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * A class loader over the class files a compile-testing compilation wrote, so that the classes
 * compiled from a test's sources (and those the processor generated) can be loaded and run. The
 * parent is the test's own loader, which has the runtime.
 */
final class CompiledClasses extends ClassLoader {
  private static final String CLASS_OUTPUT = "/CLASS_OUTPUT/";

  private final Map<String, byte[]> classes = new HashMap<>();

  CompiledClasses(Compilation compilation) {
    super(CompiledClasses.class.getClassLoader());
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      String path = file.toUri().getPath();
      int at = path.indexOf(CLASS_OUTPUT);
      String relative = at >= 0 ? path.substring(at + CLASS_OUTPUT.length()) : path;
      if (relative.startsWith("/")) {
        relative = relative.substring(1);
      }
      String binaryName = relative.substring(0, relative.length() - ".class".length())
          .replace('/', '.');
      try (InputStream in = file.openInputStream()) {
        classes.put(binaryName, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Whether the compilation wrote a class of this binary name. */
  boolean has(String binaryName) {
    return classes.containsKey(binaryName);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes = classes.get(name);
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    return defineClass(name, bytes, 0, bytes.length);
  }
}
