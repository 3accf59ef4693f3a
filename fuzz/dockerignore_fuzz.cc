// Fuzzes .dockerignore parsing and matching: the input is split at the first
// NUL into the ignore file's text and a path to test against it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dockerfile/dockerignore.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nul = input.find('\0');
  std::string_view text = input.substr(0, nul);
  std::string_view path = nul == std::string_view::npos ? "a/b/c" : input.substr(nul + 1);
  auto ignore = distill::dockerfile::DockerIgnore::Parse(text, ".dockerignore");
  if (ignore.ok()) {
    (void)ignore->Excluded(path);
    (void)ignore->CanSkipDirectory(path);
  }
  return 0;
}
