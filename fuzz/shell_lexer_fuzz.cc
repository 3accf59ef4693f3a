// Fuzzes shell-word expansion: the first byte picks the escape character and
// the mode (one word or split words); the rest is the word. Must never crash,
// hang or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dockerfile/shell_lexer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char escape = (data[0] & 1) ? '`' : '\\';
  const bool split = (data[0] & 2) != 0;
  std::string_view word(reinterpret_cast<const char*>(data + 1), size - 1);
  static const distill::dockerfile::Environment env{
      {"PWD", "/home"}, {"SHELL", "bash"}, {"EMPTY", ""}, {"LIST", "a b  c"}, {"X", "x*y?z"}};
  distill::dockerfile::ShellLexer lexer(escape);
  if (split) {
    (void)lexer.ProcessWords(word, env);
  } else {
    (void)lexer.ProcessWord(word, env);
  }
  return 0;
}
