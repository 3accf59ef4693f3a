// The fixed text of the `analyze --html` page (analyze_html_page.cc).
#pragma once

#include <string>

namespace distill::inspect {

const char* ReportPageStyle();  // CSS
const char* ReportPageBody();   // the elements the script fills
const std::string& ReportPageScript();

}  // namespace distill::inspect
