#include "inspect/analyze_html.h"

#include "inspect/analyze_html_page.h"
#include "inspect/size_tree.h"
#include "util/sha256.h"

namespace distill::inspect {

namespace {

std::string Base64(const std::string& bytes) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(v >> shift) & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t v = uint8_t(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string BytesOfHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

}  // namespace

std::string JsonForScriptElement(const nlohmann::json& value) {
  // ensure_ascii: every non-ASCII character (U+2028 included) becomes \uXXXX.
  std::string text = value.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  // Outside strings JSON has no '<', '>' or '&', so escaping them everywhere
  // only touches string contents, where \u escapes mean the same characters.
  for (char c : text) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string ScriptHashSource(const std::string& script) {
  return "'sha256-" + Base64(BytesOfHex(Sha256::HexOf(script))) + "'";
}

std::string RenderReportHtml(const AnalyzeReport& report) {
  nlohmann::json data = ReportToJson(report);
  data["tree"] = SizeTreeToJson(report.tree);
  const std::string& script = ReportPageScript();
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // No fetches of any kind; only the script below (by hash) may run.
  page +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:; script-src " +
      ScriptHashSource(script) + "\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<title>distill analyze</title>\n<style>\n";
  page += ReportPageStyle();
  page += "</style>\n</head>\n<body>\n";
  page += ReportPageBody();
  page += "<script type=\"application/json\" id=\"report-data\">";
  page += JsonForScriptElement(data);
  page += "</script>\n<script>";
  page += script;
  page += "</script>\n</body>\n</html>\n";
  return page;
}

}  // namespace distill::inspect
