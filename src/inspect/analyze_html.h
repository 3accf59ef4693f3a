// `distill analyze --html`: the analysis as one self-contained web page — the
// layer breakdown as bars, a treemap of the filesystem by size, the findings,
// waste and duplicates. Nothing is fetched: CSS and JavaScript are inline and
// a Content-Security-Policy forbids every network request. The report is
// embedded as JSON and drawn by the page's own script into SVG.
//
// File names in an image are chosen by whoever built it, so they are treated
// as hostile: the JSON is escaped so it cannot end its <script> element, the
// page only ever inserts names as text, and the policy lets only the page's
// own script (pinned by its SHA-256) run.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "inspect/analyze.h"

namespace distill::inspect {

// The whole page (UTF-8).
std::string RenderReportHtml(const AnalyzeReport& report);

// JSON text that is safe between <script type="application/json"> and
// </script>: only ASCII, with '<', '>' and '&' written as \u escapes (so no
// "</script>" or "<!--" can appear), invalid UTF-8 replaced by U+FFFD.
std::string JsonForScriptElement(const nlohmann::json& value);

// The CSP source that allows exactly `script` to run: "'sha256-BASE64'".
std::string ScriptHashSource(const std::string& script);

}  // namespace distill::inspect
