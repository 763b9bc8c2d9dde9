package dev.asyncwith.processor;

import static com.google.common.truth.Truth.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Splitting a doc comment, as {@code Elements.getDocComment} returns it, into its parts. */
class DocCommentTest {

  /** Lines as javac returns them: each keeps the space that followed its {@code *}. */
  private static DocComment parse(String... lines) {
    return DocComment.parse(Optional.of(String.join("\n", lines)));
  }

  @Test
  void atSignsInsideCodeInAPreBlockAreTextNotTags() {
    DocComment doc =
        parse(
            " Runs a transaction. Its Python twin:",
            "",
            " <pre>{@code",
            " @asynccontextmanager",
            " async def tx(db):",
            "     options = {\"isolation\": {\"level\": \"serializable\"}}",
            " @param not a tag either, still inside the braces",
            " }</pre>",
            "",
            " <p>Written {@literal @}AsyncContextManager in Java.",
            " {@literal @}param is text too.",
            "",
            " @param db the database, and a description",
            "     that goes on",
            " @param yield hands the connection over",
            " @return the stage");

    assertThat(doc.description())
        .isEqualTo(
            String.join(
                "\n",
                "Runs a transaction. Its Python twin:",
                "",
                "<pre>{@code",
                "@asynccontextmanager",
                "async def tx(db):",
                "    options = {\"isolation\": {\"level\": \"serializable\"}}",
                "@param not a tag either, still inside the braces",
                "}</pre>",
                "",
                "<p>Written {@literal @}AsyncContextManager in Java.",
                "{@literal @}param is text too."));
    assertThat(doc.parameters())
        .containsExactly(
            "db", "the database, and a description\n    that goes on",
            "yield", "hands the connection over");
    assertThat(doc.deprecated()).isEmpty();
  }

  @Test
  void aBlockTagStartsOnlyAfterTheInlineTagCloses() {
    DocComment doc =
        parse(" Text {@code a {", " @param x inside", " } still inside} after.", " @param y why");
    assertThat(doc.description())
        .isEqualTo("Text {@code a {\n@param x inside\n} still inside} after.");
    assertThat(doc.parameters()).isEqualTo(Map.of("y", "why"));
  }

  @Test
  void anUnclosedInlineTagKeepsEverythingAfterItAsText() {
    DocComment doc = parse(" Text {@code never closed", " @param x not a tag");
    assertThat(doc.description()).isEqualTo("Text {@code never closed\n@param x not a tag");
    assertThat(doc.parameters()).isEmpty();
  }

  @Test
  void typeParametersDeprecationAndOtherTags() {
    DocComment doc =
        parse(
            " Does it.",
            "",
            " @param <T> the element type",
            " @param value the value",
            " @throws IllegalStateException never",
            " @deprecated use {@code other}",
            "     instead",
            " @see Object");
    assertThat(doc.description()).isEqualTo("Does it.");
    assertThat(doc.parameters()).containsExactly("<T>", "the element type", "value", "the value");
    assertThat(doc.deprecated()).hasValue("use {@code other}\n    instead");
  }

  @Test
  void aLoneAtSignOrAnEmptyCommentIsNoTag() {
    assertThat(parse(" An e-mail", " @ home").description()).isEqualTo("An e-mail\n@ home");
    DocComment empty = DocComment.parse(Optional.empty());
    assertThat(empty.description()).isEmpty();
    assertThat(empty.parameters()).isEmpty();
    assertThat(empty.deprecated()).isEmpty();
    assertThat(parse(" @deprecated").deprecated()).hasValue("");
  }
}
