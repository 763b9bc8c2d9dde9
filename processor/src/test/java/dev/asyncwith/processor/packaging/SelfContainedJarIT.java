package dev.asyncwith.processor.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncwith.AsyncResource;
import dev.asyncwith.annotations.AsyncContextManager;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor jar as it is published, after the package phase shaded it: the unit tests run
 * against target/classes, so only this integration test (run by failsafe in {@code verify}) sees
 * the jar. Plain javac runs in a process of its own, with that one jar on its processor path and
 * nothing of the test class path, so a class the jar lacks fails here as it would for a user.
 */
class SelfContainedJarIT {

  private static final Path JAR = Path.of(System.getProperty("asyncwith.processor.jar"));

  @Test
  void holdsOnlyItsOwnClassesAndRelocatedOnes() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> strays =
          jar.stream()
              .map(JarEntry::getName)
              .filter(name -> !name.startsWith("META-INF/"))
              .filter(name -> !name.startsWith("dev/asyncwith/processor/"))
              .filter(name -> !name.equals("dev/") && !name.equals("dev/asyncwith/"))
              .collect(Collectors.toList());
      assertEquals(List.of(), strays, "classes outside dev.asyncwith.processor: not relocated");
      assertNotNull(jar.getEntry("dev/asyncwith/processor/shaded/javapoet/ClassName.class"));
      assertEquals(
          "dev.asyncwith.processor",
          jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
    }
  }

  @Test
  void itsServiceAndGradleDeclarationsNameClassesInIt() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> declared = new ArrayList<>();
      declared.addAll(lines(jar, "META-INF/services/javax.annotation.processing.Processor"));
      declared.addAll(lines(jar, "META-INF/gradle/incremental.annotation.processors"));
      assertEquals(2, declared.size(), declared::toString);
      for (String line : declared) {
        String className = line.replaceAll("[#,].*", "").trim();
        assertEquals("dev.asyncwith.processor.AsyncContextManagerProcessor", className);
        assertNotNull(jar.getEntry(className.replace('.', '/') + ".class"), className);
      }
    }
  }

  @Test
  void plainJavacGeneratesAManagerWithThisJarAloneOnTheProcessorPath(@TempDir Path dir)
      throws Exception {
    Path source = dir.resolve("src/com/example/Tickets.java");
    Files.createDirectories(source.getParent());
    Files.writeString(
        source,
        String.join(
            "\n",
            "package com.example;",
            "",
            "import dev.asyncwith.AsyncYield;",
            "import dev.asyncwith.annotations.AsyncContextManager;",
            "import java.util.concurrent.CompletionStage;",
            "",
            "public class Tickets {",
            "  @AsyncContextManager",
            "  public static CompletionStage<Void> ticket(int n, AsyncYield<String> yield) {",
            "    return yield.yield(\"ticket \" + n).thenApply(ignored -> null);",
            "  }",
            "",
            "  static AsyncResource<String> seven() {",
            "    return TicketsTicket.of(7);",
            "  }",
            "}",
            "")
            .replace("import java.util", "import dev.asyncwith.AsyncResource;\nimport java.util"));
    Path classes = dir.resolve("classes");
    Path generated = dir.resolve("generated");
    Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
    ProcessBuilder command =
        new ProcessBuilder(
                javac.toString(),
                "-Xlint:all,-processing",
                "-Werror",
                "-processorpath",
                JAR.toString(),
                "-classpath",
                location(AsyncResource.class) + File.pathSeparator
                    + location(AsyncContextManager.class),
                "-d",
                classes.toString(),
                "-s",
                generated.toString(),
                source.toString())
            .redirectErrorStream(true);
    Process process = command.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "javac did not finish");

    assertEquals(0, process.exitValue(), () -> "javac failed:\n" + output);
    assertFalse(output.contains("warning"), output);
    assertTrue(Files.exists(generated.resolve("com/example/TicketsTicket.java")));
    assertTrue(Files.exists(classes.resolve("com/example/TicketsTicket.class")));
  }

  private static List<String> lines(JarFile jar, String name) throws IOException {
    JarEntry entry = jar.getJarEntry(name);
    assertNotNull(entry, name);
    try (InputStream in = jar.getInputStream(entry)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .collect(Collectors.toList());
    }
  }

  /** The jar or class folder a type was loaded from: the runtime or the annotations, as built. */
  private static String location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
