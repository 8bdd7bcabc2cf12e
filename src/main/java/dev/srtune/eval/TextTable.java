package dev.srtune.eval;

import java.util.ArrayList;
import java.util.List;

/** A table of already formatted cells, rendered as Markdown or HTML so both show the same numbers. */
record TextTable(String caption, List<String> header, List<List<String>> rows) {

  TextTable {
    header = List.copyOf(header);
    rows = rows.stream().map(List::copyOf).toList();
  }

  static TextTable of(String caption, List<String> header) {
    return new TextTable(caption, header, new ArrayList<>());
  }

  TextTable with(List<String> row) {
    List<List<String>> r = new ArrayList<>(rows);
    r.add(row);
    return new TextTable(caption, header, r);
  }

  String markdown() {
    StringBuilder sb = new StringBuilder();
    if (caption != null) {
      sb.append("**").append(caption).append("**\n\n");
    }
    sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
    header.forEach(h -> sb.append("---|"));
    sb.append('\n');
    for (List<String> row : rows) {
      sb.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    return sb.toString();
  }

  String html() {
    StringBuilder sb = new StringBuilder("<table>\n");
    if (caption != null) {
      sb.append("<caption>").append(escape(caption)).append("</caption>\n");
    }
    sb.append("<tr>");
    header.forEach(h -> sb.append("<th>").append(escape(h)).append("</th>"));
    sb.append("</tr>\n");
    for (List<String> row : rows) {
      sb.append("<tr>");
      row.forEach(c -> sb.append("<td>").append(escape(c)).append("</td>"));
      sb.append("</tr>\n");
    }
    return sb.append("</table>\n").toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
