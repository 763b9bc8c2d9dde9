package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The runtime as a named module: its descriptor, and the virtual-thread lookup that reflects on
 * {@code java.lang.Thread} from inside it. These tests run on the module path (surefire patches
 * them into the module), so they see the module exactly as a modular application does.
 */
class RuntimeModuleTest {

  private final Module module = AsyncResource.class.getModule();

  @Test
  void theRuntimeIsTheNamedModuleDevAsyncwith() {
    assertTrue(module.isNamed(), "the tests should run on the module path");
    assertEquals("dev.asyncwith", module.getName());
  }

  @Test
  void itExportsItsOnePackageAndRequiresJavaBaseAlone() {
    ModuleDescriptor descriptor = module.getDescriptor();
    assertEquals(
        Set.of("dev.asyncwith"),
        descriptor.exports().stream()
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet()));
    assertTrue(descriptor.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
    assertEquals(
        Set.of("java.base"),
        descriptor.requires().stream()
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet()));
  }

  @Test
  void theGeneratedCodeMarkerIsExportedWithTheRuntime() {
    // Generated classes carry @AsyncWithGenerated; a consumer that reads dev.asyncwith must see it.
    assertEquals(module, AsyncWithGenerated.class.getModule());
    assertTrue(module.isExported(AsyncWithGenerated.class.getPackageName()));
  }

  @Test
  void virtualThreadsAreFoundFromInsideTheModule() {
    assertEquals(Generators.jdkHasVirtualThreads(), GeneratorThreads.virtual());
  }
}
