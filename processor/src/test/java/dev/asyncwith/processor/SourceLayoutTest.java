package dev.asyncwith.processor;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;

/** The layout rules applied to JavaPoet's output, each on the shape it is for and no other. */
class SourceLayoutTest {

  private static String lines(String... lines) {
    return String.join("\n", lines);
  }

  @Test
  void longClassDeclarationBreaksBeforeImplements() {
    String declaration =
        "public final class AsyncFilesOpen extends AsyncGenerator<AsynchronousFileChannel>"
            + " implements AsyncResource<AsynchronousFileChannel> {";
    assertThat(SourceLayout.apply(declaration))
        .isEqualTo(
            lines(
                "public final class AsyncFilesOpen extends AsyncGenerator<AsynchronousFileChannel>",
                "    implements AsyncResource<AsynchronousFileChannel> {"));
  }

  @Test
  void veryLongClassDeclarationAlsoBreaksBeforeTheExtendsAfterItsTypeParameters() {
    String declaration =
        "final class ManagerWithALongName<T extends Comparable<? super T>, R extends T>"
            + " extends AsyncGenerator<R> implements AsyncResource<R> {";
    assertThat(SourceLayout.apply(declaration))
        .isEqualTo(
            lines(
                "final class ManagerWithALongName<T extends Comparable<? super T>, R extends T>",
                "    extends AsyncGenerator<R>",
                "    implements AsyncResource<R> {"));
  }

  @Test
  void classDeclarationThatFitsIsLeftAlone() {
    String declaration =
        "public final class BoxOpen extends AsyncGenerator<Connection>"
            + " implements AsyncResource<Connection> {";
    assertThat(declaration.length()).isAtMost(SourceLayout.WIDTH);
    assertThat(SourceLayout.apply(declaration)).isEqualTo(declaration);
  }

  @Test
  void throwsMovesToTheLineOfTheExceptionsItNames() {
    String header =
        lines(
            "  protected CompletionStage<?> generate(AsyncYield<AsynchronousFileChannel> yield)"
                + " throws",
            "      IOException, SQLException {",
            "    return null;",
            "  }");
    assertThat(SourceLayout.apply(header))
        .isEqualTo(
            lines(
                "  protected CompletionStage<?> generate("
                    + "AsyncYield<AsynchronousFileChannel> yield)",
                "      throws IOException, SQLException {",
                "    return null;",
                "  }"));
  }

  @Test
  void throwsAtTheEndOfACommentLineIsProse() {
    String javadoc = lines(" * Opens the file, which throws", " * IOException if it is missing.");
    assertThat(SourceLayout.apply(javadoc)).isEqualTo(javadoc);
  }

  @Test
  void oneLineDocCommentsAndOneMemberAnnotationsBecomeOneLine() {
    assertThat(
            SourceLayout.apply(
                lines(
                    "  /**",
                    "   * The method's {@code path} argument.",
                    "   */",
                    "  private final Path path;",
                    "@AsyncWithGenerated(",
                    "    from = \"AsyncFiles.open\"",
                    ")")))
        .isEqualTo(
            lines(
                "  /** The method's {@code path} argument. */",
                "  private final Path path;",
                "@AsyncWithGenerated(from = \"AsyncFiles.open\")"));
  }

  @Test
  void longerDocCommentsAndAnnotationsStayAsTheyAre() {
    String twoLines = lines("/**", " * One.", " *", " * Two.", " */");
    String twoMembers = lines("@Deprecated(", "    since = \"0.1\",", "    forRemoval = true", ")");
    String tooWide = lines("/**", " * " + "x".repeat(SourceLayout.WIDTH - 5), " */");
    assertThat(SourceLayout.apply(twoLines)).isEqualTo(twoLines);
    assertThat(SourceLayout.apply(twoMembers)).isEqualTo(twoMembers);
    assertThat(SourceLayout.apply(tooWide)).isEqualTo(tooWide);
  }
}
