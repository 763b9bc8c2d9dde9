import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Lists the dependencies a POM passes on to its users at run time (scope compile, runtime or
 * system, or none given), and exits 1 if there is any. Run as a single-file program:
 * {@code java RuntimeDependencies.java path/to/pom.xml}.
 */
public final class RuntimeDependencies {
  private RuntimeDependencies() {}

  public static void main(String[] args) throws Exception {
    Element project =
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File(args[0]))
            .getDocumentElement();
    List<String> passedOn = new ArrayList<>();
    Element dependencies = child(project, "dependencies");
    if (dependencies != null) {
      NodeList nodes = dependencies.getChildNodes();
      for (int i = 0; i < nodes.getLength(); i++) {
        if (nodes.item(i) instanceof Element dependency
            && dependency.getTagName().equals("dependency")) {
          String scope = text(dependency, "scope", "compile");
          boolean optional = text(dependency, "optional", "false").equals("true");
          if (!optional && List.of("compile", "runtime", "system").contains(scope)) {
            passedOn.add(
                text(dependency, "groupId", "?") + ":" + text(dependency, "artifactId", "?")
                    + " (" + scope + ")");
          }
        }
      }
    }
    if (passedOn.isEmpty()) {
      System.out.println("no runtime dependency in " + args[0]);
    } else {
      System.out.println("runtime dependencies in " + args[0] + ": " + passedOn);
      System.exit(1);
    }
  }

  private static Element child(Element parent, String name) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        return element;
      }
    }
    return null;
  }

  private static String text(Element parent, String name, String absent) {
    Element element = child(parent, name);
    return element == null ? absent : element.getTextContent().trim();
  }
}
