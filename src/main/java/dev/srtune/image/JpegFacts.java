package dev.srtune.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGQTable;
import org.w3c.dom.Node;

/**
 * What a JPEG file says about how it was compressed: per component its sampling factors and quantisation table,
 * whether it is progressive, and its colour transform. A JPEG-aware image formation model is built from these
 * (the file carries its own tables, so no quality guess is needed).
 *
 * @param components in frame order; for a YCbCr file Y, Cb, Cr
 * @param progressive true for a progressive (SOF2) file
 * @param adobeTransform the Adobe APP14 marker's transform (0 none/CMYK/RGB, 1 YCbCr, 2 YCCK), or -1 without one
 */
public record JpegFacts(List<Component> components, boolean progressive, int adobeTransform) {
  /**
   * One colour component.
   *
   * @param hSampling horizontal sampling factor (1..4)
   * @param vSampling vertical sampling factor (1..4)
   * @param table its quantisation table, 64 values in natural (row-major) order
   */
  public record Component(int hSampling, int vSampling, int[] table) {}

  public JpegFacts {
    components = List.copyOf(components);
  }

  /** Reads the facts from the JDK reader's native metadata tree ({@code javax_imageio_jpeg_image_1.0}). */
  static JpegFacts fromMetadata(IIOMetadataNode root) {
    Map<Integer, int[]> tables = new LinkedHashMap<>();
    List<Component> comps = new ArrayList<>();
    boolean progressive = false;
    int transform = -1;
    IIOMetadataNode markers = child(root, "markerSequence");
    List<int[]> specs = new ArrayList<>(); // h, v, table selector
    for (Node n = markers == null ? null : markers.getFirstChild(); n != null; n = n.getNextSibling()) {
      IIOMetadataNode m = (IIOMetadataNode) n;
      switch (m.getNodeName()) {
        case "dqt" -> {
          for (Node t = m.getFirstChild(); t != null; t = t.getNextSibling()) {
            IIOMetadataNode q = (IIOMetadataNode) t;
            tables.put(Integer.parseInt(q.getAttribute("qtableId")), ((JPEGQTable) q.getUserObject()).getTable());
          }
        }
        case "sof" -> {
          progressive = "2".equals(m.getAttribute("process"));
          for (Node c = m.getFirstChild(); c != null; c = c.getNextSibling()) {
            IIOMetadataNode cs = (IIOMetadataNode) c;
            specs.add(new int[] {Integer.parseInt(cs.getAttribute("HsamplingFactor")),
                Integer.parseInt(cs.getAttribute("VsamplingFactor")),
                Integer.parseInt(cs.getAttribute("QtableSelector"))});
          }
        }
        case "app14Adobe" -> transform = Integer.parseInt(m.getAttribute("transform"));
        default -> { }
      }
    }
    for (int[] s : specs) {
      int[] table = tables.get(s[2]);
      comps.add(new Component(s[0], s[1], table == null ? null : table.clone()));
    }
    return new JpegFacts(comps, progressive, transform);
  }

  private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeName().equals(name)) {
        return (IIOMetadataNode) n;
      }
    }
    return null;
  }

  /** True for a JFIF-style YCbCr file (three components, not marked as RGB by an Adobe marker). */
  public boolean ycbcr() {
    return components.size() == 3 && adobeTransform != 0;
  }

  public boolean grey() {
    return components.size() == 1;
  }

  /** True for a CMYK or YCCK file (four components). */
  public boolean cmyk() {
    return components.size() == 4;
  }

  /** E.g. {@code 4:2:0} for Y sampled 2×2 and the chroma 1×1; {@code 4:4:4} without subsampling; "grey". */
  public String subsampling() {
    if (grey()) {
      return "grey";
    }
    Component y = components.get(0);
    Component c = components.get(1);
    if (y.hSampling() % c.hSampling() != 0 || y.vSampling() % c.vSampling() != 0) {
      return y.hSampling() + "x" + y.vSampling() + "," + c.hSampling() + "x" + c.vSampling();
    }
    int h = y.hSampling() / c.hSampling();
    int v = y.vSampling() / c.vSampling();
    return h == 1 && v == 1 ? "4:4:4" : h == 2 && v == 1 ? "4:2:2" : h == 2 && v == 2 ? "4:2:0"
        : h == 1 && v == 2 ? "4:4:0" : h == 4 && v == 1 ? "4:1:1" : h + "x" + v;
  }

  /** What report.json records of the file. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("components", components.size());
    m.put("colour", grey() ? "grey" : cmyk() ? (adobeTransform == 2 ? "YCCK" : "CMYK") : ycbcr() ? "YCbCr" : "RGB");
    m.put("subsampling", subsampling());
    m.put("progressive", progressive);
    List<int[]> tables = new ArrayList<>();
    components.forEach(c -> tables.add(c.table()));
    m.put("quantisation_tables", tables);
    return m;
  }
}
