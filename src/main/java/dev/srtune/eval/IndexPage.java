package dev.srtune.eval;

import java.util.Map;

/**
 * {@code index.html}: the conventions, the tables and each image's strip and curve. Plain HTML with an inline
 * style and relative links only, so the folder can be copied and opened offline.
 */
final class IndexPage {
  private final EvalReport report;

  IndexPage(EvalReport report) {
    this.report = report;
  }

  String html() {
    StringBuilder sb = new StringBuilder();
    String title = "srtune eval: " + report.datasetName() + " x" + report.settings().scale();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(TextTable.escape(title)).append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:1.5em;max-width:1100px}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:2px 8px;")
        .append("text-align:right}td:first-child,th:first-child{text-align:left}caption{font-weight:bold;")
        .append("text-align:left;padding:4px 0}img{max-width:100%;image-rendering:pixelated}")
        .append(".image{margin:2em 0}\n</style>\n</head>\n<body>\n<h1>").append(TextTable.escape(title))
        .append("</h1>\n<ul>\n");
    for (Map.Entry<String, String> e : report.conventions().entrySet()) {
      sb.append("<li><b>").append(TextTable.escape(e.getKey())).append("</b>: ")
          .append(TextTable.escape(e.getValue())).append("</li>\n");
    }
    sb.append("</ul>\n<p>Files: <a href=\"results.csv\">results.csv</a>, <a href=\"results.json\">results.json</a>, ")
        .append("<a href=\"results.md\">results.md</a>. PSNR in dB; PS = LPIPS distance (lower is better).</p>\n")
        .append(report.paperTable().html()).append(report.costTable().html()).append(report.perImageTable().html());
    for (ImageResult r : report.results()) {
      String dir = TextTable.escape("images/" + r.name() + "/");
      sb.append("<div class=\"image\">\n<h2>").append(TextTable.escape(r.name())).append("</h2>\n")
          .append("<p>bicubic | network before | network after | HR; the red box is enlarged below.</p>\n")
          .append("<img src=\"").append(dir).append("strip.png\" alt=\"").append(TextTable.escape(r.name()))
          .append(" comparison strip\"><br>\n<img src=\"").append(dir).append("curve.png\" alt=\"")
          .append(TextTable.escape(r.name())).append(" fine-tuning curve\">\n</div>\n");
    }
    return sb.append("</body>\n</html>\n").toString();
  }
}
