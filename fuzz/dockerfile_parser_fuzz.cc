// Fuzzes the Dockerfile syntax layer: parsing and the conformance dump must
// never crash, hang or trip a sanitizer, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dockerfile/dump.h"
#include "dockerfile/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  auto parsed = distill::dockerfile::Parse(source, "Dockerfile");
  if (parsed.ok()) (void)distill::dockerfile::DumpForConformance(*parsed);
  return 0;
}
