// ADD's local archives: a source file that is a tar — plain or compressed with
// gzip, bzip2, xz or zstd, recognised by its content as Docker does, never by
// its name — is unpacked at the destination instead of copied.
#pragma once

#include <string>

#include "util/io.h"
#include "util/status.h"

namespace distill::context {

// A Reader over a file descriptor (not owned), from its current offset.
class FdReader : public Reader {
 public:
  FdReader(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  Result<size_t> Read(void* buf, size_t len) override;

 private:
  int fd_;
  std::string name_;
};

// True when the file open at `fd` holds a tar archive: its (decompressed)
// first block is a tar header with a valid checksum. Reads from offset 0 and
// leaves the offset unspecified. Undecodable compressed data is "not a tar".
bool IsTarArchive(int fd, const std::string& name);

// Unpacks the tar at `fd` (from offset 0) into directory `dest_dir_fd` with
// archive::ExtractTar's safety rules (nothing lands outside that directory's
// root). `name` names the archive in errors.
Status ExtractArchive(int fd, const std::string& name, int dest_dir_fd);

}  // namespace distill::context
