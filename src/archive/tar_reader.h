// TarReader: streams the entries of a tar archive (ustar, pax, GNU long names)
// out of a Reader, one header at a time; content is read through the reader
// and never buffered whole.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "archive/tar_entry.h"
#include "util/io.h"
#include "util/status.h"

namespace distill::archive {

// Not thread-safe. Every error names `source_name` (e.g. the layer digest), the
// entry index and the byte offset, so a corrupt layer can be found again.
class TarReader {
 public:
  explicit TarReader(Reader* in, std::string source_name = "tar archive");

  // Advances to the next entry, skipping whatever content of the current one
  // was not read. Returns false at the end-of-archive marker (or a clean end of
  // stream between entries). Paths come without a trailing '/'. `size` is the
  // number of content bytes (0 for every type but kFile).
  Result<bool> Next(TarEntry* entry);

  // Reads content of the current entry; returns 0 at its end.
  Result<size_t> ReadContent(void* buf, size_t len);

  // The current entry's content as a Reader (valid until the next Next()).
  Reader* content() { return &content_reader_; }

 private:
  class ContentReader : public Reader {
   public:
    explicit ContentReader(TarReader* r) : r_(r) {}
    Result<size_t> Read(void* buf, size_t len) override { return r_->ReadContent(buf, len); }

   private:
    TarReader* r_;
  };

  Result<size_t> ReadFull(void* buf, size_t len);
  Status Skip(uint64_t n);
  Result<std::string> ReadSmallBody(uint64_t size, const char* what);
  Status ParsePax(const std::string& body, std::map<std::string, std::string>* out);
  Status Error(const std::string& what) const;

  Reader* in_;
  std::string source_name_;
  ContentReader content_reader_;
  uint64_t offset_ = 0;     // bytes consumed from `in_`
  uint64_t remaining_ = 0;  // unread content bytes of the current entry
  uint64_t padding_ = 0;    // padding after the current entry's content
  uint64_t entry_index_ = 0;
  uint64_t header_offset_ = 0;
  bool done_ = false;
};

}  // namespace distill::archive
