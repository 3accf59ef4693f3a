#include "inspect/analyze_html.h"

#include <gtest/gtest.h>

#include "inspect/analyze_html_page.h"

namespace distill::inspect {
namespace {

const char kEvil[] = "/</script><script>alert(1)</script>";

size_t Occurrences(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// The text between <script type="application/json" id="report-data"> and the
// next "</script>": what the browser will hand to JSON.parse.
std::string EmbeddedJson(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  size_t start = page.find(open);
  EXPECT_NE(start, std::string::npos);
  start += open.size();
  return page.substr(start, page.find("</script>", start) - start);
}

AnalyzeReport EvilReport() {
  AnalyzeReport r;
  r.image = "evil:<b>1</b>";
  r.digest = "sha256:00";
  LayerInfo layer;
  layer.created_by = "RUN echo '</script><!--' && touch x";
  r.layers.push_back(layer);
  r.largest_files.push_back({kEvil, 100, 0});
  r.findings.push_back({"secrets", kEvil, 0, "looks like a key"});
  r.verdict = "1 finding: secrets";
  FsView fs;
  fs.BeginLayer(0);
  archive::TarEntry e;
  e.path = kEvil;
  e.size = 100;
  fs.Apply(e);
  r.tree = BuildSizeTree(fs);
  return r;
}

TEST(AnalyzeHtmlTest, JsonCannotCloseItsScriptElement) {
  nlohmann::json value = {{"a", "</script><script>alert(1)</script>"},
                          {"b", "<!-- & -->"},
                          {"c", "line\xe2\x80\xa8sep"}};
  std::string text = JsonForScriptElement(value);
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(text.find('>'), std::string::npos);
  EXPECT_EQ(text.find('&'), std::string::npos);
  EXPECT_NE(text.find("\\u2028"), std::string::npos);
  for (char c : text) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
  EXPECT_EQ(nlohmann::json::parse(text), value);  // same data once parsed
}

TEST(AnalyzeHtmlTest, InvalidUtf8IsReplacedNotThrown) {
  nlohmann::json value = {{"name", std::string("bad\xff\xfe")}};
  std::string text = JsonForScriptElement(value);
  EXPECT_EQ(nlohmann::json::parse(text)["name"], "bad\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(AnalyzeHtmlTest, ScriptHashIsBase64OfSha256) {
  // SHA-256 of the empty string, base64: a published test vector.
  EXPECT_EQ(ScriptHashSource(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
  EXPECT_EQ(ScriptHashSource("abc"), "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='");
}

TEST(AnalyzeHtmlTest, HostileNamesStayInsideTheData) {
  std::string page = RenderReportHtml(EvilReport());
  // Exactly two script elements: the data and the page's own script.
  EXPECT_EQ(Occurrences(page, "<script"), 2u);
  EXPECT_EQ(Occurrences(page, "</script>"), 2u);
  EXPECT_EQ(page.find("alert(1)</script>"), std::string::npos);
  EXPECT_EQ(page.find("<b>1</b>"), std::string::npos);
  EXPECT_EQ(page.find("<!--"), std::string::npos);
  nlohmann::json data = nlohmann::json::parse(EmbeddedJson(page));
  EXPECT_EQ(data["image"], "evil:<b>1</b>");
  EXPECT_EQ(data["largestFiles"][0]["path"], kEvil);
  EXPECT_EQ(data["findings"][0]["path"], kEvil);
  EXPECT_EQ(data["layers"][0]["createdBy"], "RUN echo '</script><!--' && touch x");
  EXPECT_EQ(data["tree"]["size"], 100);
  EXPECT_EQ(data["tree"]["children"][0]["name"], "<");
}

TEST(AnalyzeHtmlTest, PageIsSelfContainedAndPinsItsScript) {
  std::string page = RenderReportHtml(EvilReport());
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(page.find("script-src " + ScriptHashSource(ReportPageScript())), std::string::npos);
  EXPECT_NE(page.find("<script>" + ReportPageScript() + "</script>"), std::string::npos);
  // Nothing refers to another document or server (the SVG namespace is a name).
  std::string without_ns = page;
  without_ns.erase(without_ns.find("http://www.w3.org/2000/svg"), 26);
  for (const char* fetch : {"http://", "https://", "src=", "href=", "@import", "url("}) {
    EXPECT_EQ(without_ns.find(fetch), std::string::npos) << fetch;
  }
  for (const char* id : {"id=\"layers\"", "id=\"treemap\"", "id=\"findings\"", "id=\"verdict\""}) {
    EXPECT_NE(page.find(id), std::string::npos) << id;
  }
}

}  // namespace
}  // namespace distill::inspect
