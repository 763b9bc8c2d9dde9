package dev.asyncwith.processor.generation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A method's doc comment split into what the generated class can reuse: the main description, the
 * {@code @param} descriptions (for {@code of}'s parameters) and the {@code @deprecated} text. Other
 * block tags ({@code @return}, {@code @throws}, ...) describe the method, not the class, and are
 * left out.
 */
record DocComment(String description, Map<String, String> parameters, Optional<String> deprecated) {

  /** Copies the map. */
  DocComment {
    parameters = Map.copyOf(parameters);
  }

  /**
   * Parses a doc comment as {@link javax.lang.model.util.Elements#getDocComment} returns it.
   *
   * @param text the comment, or empty
   * @return its parts
   */
  static DocComment parse(Optional<String> text) {
    StringBuilder description = new StringBuilder();
    Map<String, String> parameters = new LinkedHashMap<>();
    String deprecated = null;
    StringBuilder tag = null;
    for (String line : text.orElse("").split("\\R", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("@")) {
        String finished = finish(tag, parameters);
        deprecated = finished != null ? finished : deprecated;
        tag = new StringBuilder(trimmed);
      } else if (tag != null) {
        tag.append(' ').append(trimmed);
      } else {
        description.append(line.startsWith(" ") ? line.substring(1) : line).append('\n');
      }
    }
    String finished = finish(tag, parameters);
    deprecated = finished != null ? finished : deprecated;
    return new DocComment(
        description.toString().strip(), parameters, Optional.ofNullable(deprecated));
  }

  /** Stores a finished {@code @param} tag; returns the text of a finished {@code @deprecated}. */
  private static String finish(StringBuilder tag, Map<String, String> parameters) {
    if (tag == null) {
      return null;
    }
    String[] parts = tag.toString().strip().split("\\s+", 3);
    if (parts[0].equals("@param") && parts.length == 3) {
      parameters.put(parts[1], parts[2]);
    } else if (parts[0].equals("@deprecated")) {
      return parts.length == 1 ? "" : tag.substring("@deprecated".length()).strip();
    }
    return null;
  }
}
