package dev.asyncwith.processor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A method's doc comment split into what the generated class can reuse: the main description, the
 * {@code @param} descriptions (for {@code of}'s parameters and type parameters, keyed by the name
 * as written: {@code pool}, {@code <T>}) and the {@code @deprecated} text. Other block tags
 * ({@code @return}, {@code @throws}, ...) describe the method, not the class, and are left out.
 *
 * <p>Texts keep the comment's own line breaks, so that carried-over prose keeps the author's
 * layout and a {@code <pre>} block its lines.
 */
record DocComment(String description, Map<String, String> parameters, Optional<String> deprecated) {
  // Compiled once: String.split compiles a pattern of more than one character on every call.
  private static final Pattern LINE_BREAK = Pattern.compile("\\R");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  /** Copies the map. */
  DocComment {
    parameters = Map.copyOf(parameters);
  }

  /**
   * Parses a doc comment as {@link javax.lang.model.util.Elements#getDocComment} returns it.
   *
   * <p>As in the javadoc tool, a block tag starts only at the beginning of a line and outside any
   * inline tag: an {@code @} that starts a line inside <code>{&#64;code ...}</code> (whose braces
   * may nest, balanced) is text.
   *
   * @param text the comment, or empty
   * @return its parts
   */
  static DocComment parse(Optional<String> text) {
    List<String> description = new ArrayList<>();
    List<List<String>> tags = new ArrayList<>();
    int inlineDepth = 0;
    for (String rawLine : LINE_BREAK.split(text.orElse(""), -1)) {
      // javac keeps the space that followed each line's '*'; the text starts after it.
      String line = rawLine.startsWith(" ") ? rawLine.substring(1) : rawLine;
      if (inlineDepth == 0 && startsBlockTag(line)) {
        tags.add(new ArrayList<>(List.of(line.strip())));
      } else if (!tags.isEmpty()) {
        tags.get(tags.size() - 1).add(line);
      } else {
        description.add(line);
      }
      inlineDepth = inlineDepthAfter(line, inlineDepth);
    }

    Map<String, String> parameters = new LinkedHashMap<>();
    String deprecated = null;
    for (List<String> tag : tags) {
      String whole = String.join("\n", tag).strip();
      String[] parts = WHITESPACE.split(whole, 3);
      if (parts[0].equals("@param") && parts.length == 3) {
        parameters.put(parts[1], parts[2]);
      } else if (parts[0].equals("@deprecated")) {
        deprecated = whole.substring("@deprecated".length()).strip();
      }
    }
    return new DocComment(
        String.join("\n", description).strip(), parameters, Optional.ofNullable(deprecated));
  }

  /** Whether {@code line}, outside inline tags, starts a block tag: {@code @} and a name. */
  private static boolean startsBlockTag(String line) {
    String trimmed = line.stripLeading();
    return trimmed.length() > 1
        && trimmed.charAt(0) == '@'
        && Character.isJavaIdentifierStart(trimmed.charAt(1));
  }

  /**
   * How deeply {@code line} leaves the text nested in inline tags: <code>{&#64;</code> opens one,
   * and inside it every <code>{</code> must be balanced by a <code>}</code> before the one that
   * closes the tag.
   */
  private static int inlineDepthAfter(String line, int depth) {
    int current = depth;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (current == 0) {
        if (c == '{' && i + 1 < line.length() && line.charAt(i + 1) == '@') {
          current = 1;
          i++;
        }
      } else if (c == '{') {
        current++;
      } else if (c == '}') {
        current--;
      }
    }
    return current;
  }
}
