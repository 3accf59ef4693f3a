#include "lint/check_directive.h"

#include <cctype>

namespace distill::lint {

namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Result<CheckDirective> ParseCheckDirective(std::string_view value) {
  CheckDirective out;
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find(';', start);
    if (end == std::string_view::npos) end = value.size();
    std::string part = Trim(value.substr(start, end - start));
    start = end + 1;
    if (part.empty()) continue;
    size_t eq = part.find('=');
    if (eq == std::string::npos) {
      return Status::Invalid("check directive: \"" + part + "\" is not key=value");
    }
    std::string key = Lower(Trim(std::string_view(part).substr(0, eq)));
    std::string val = Trim(std::string_view(part).substr(eq + 1));
    if (key == "skip") {
      size_t s = 0;
      while (s <= val.size()) {
        size_t e = val.find(',', s);
        if (e == std::string::npos) e = val.size();
        std::string rule = Trim(std::string_view(val).substr(s, e - s));
        s = e + 1;
        if (rule.empty()) continue;
        if (Lower(rule) == "all") {
          out.skip_all = true;
        } else {
          out.skip.insert(rule);
        }
      }
    } else if (key == "error") {
      std::string v = Lower(val);
      if (v == "true" || v == "1") {
        out.error = true;
      } else if (v == "false" || v == "0") {
        out.error = false;
      } else {
        return Status::Invalid("check directive: error=" + val + " is not true or false");
      }
    } else {
      return Status::Invalid("check directive: unknown key \"" + key + "\" (skip or error)");
    }
  }
  return out;
}

}  // namespace distill::lint
