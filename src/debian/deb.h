// Reading a Debian binary package (.deb, deb(5)): an ar archive holding
// debian-binary ("2.0"), control.tar[.gz|.xz|.zst] and data.tar[.gz|.xz|.zst|
// .bz2]. The package is read front to back in one pass, so it can come
// straight from a download or the cache: the control members first, then
// the data.tar entries, streamed through a TarReader without unpacking
// anything to disk.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "archive/tar_reader.h"
#include "debian/control.h"
#include "util/io.h"
#include "util/status.h"

namespace distill::debian {

// One member header of an ar archive.
struct ArMember {
  std::string name;  // without the GNU trailing '/'
  uint64_t size = 0;
};

// Streams the members of a (System V / GNU, no long-name table) ar archive.
class ArReader {
 public:
  ArReader(Reader* in, std::string source_name);
  // Advances to the next member, skipping what was not read of the current
  // one; false at the end of the archive.
  Result<bool> Next(ArMember* member);
  // The current member's bytes (valid until the next Next()).
  Reader* content() { return &content_; }

 private:
  class Content : public Reader {
   public:
    explicit Content(ArReader* r) : r_(r) {}
    Result<size_t> Read(void* buf, size_t len) override;

   private:
    ArReader* r_;
  };
  Result<size_t> ReadRaw(void* buf, size_t len);  // exact unless at end of stream
  Status Skip(uint64_t n);

  Reader* in_;
  std::string source_name_;
  Content content_;
  uint64_t offset_ = 0;
  uint64_t remaining_ = 0;  // unread bytes of the current member
  bool padded_ = false;     // the current member is followed by a '\n' pad byte
  bool started_ = false;
};

// Not thread-safe. Every error names the package (its file name or URL).
class DebReader {
 public:
  DebReader(Reader* in, std::string name);
  ~DebReader();

  // Reads debian-binary and the control archive, and stops in front of data.tar.
  Status ReadControl();
  // The control file's paragraph (Package, Version, Depends, ...).
  const Paragraph& control() const { return control_; }
  // md5sums: path (as in data.tar, without "./") → lowercase hex MD5.
  const std::map<std::string, std::string>& md5sums() const { return md5sums_; }
  // Conffiles, absolute paths.
  const std::vector<std::string>& conffiles() const { return conffiles_; }
  // Names of the other control members (preinst, postinst, triggers, ...).
  const std::vector<std::string>& control_members() const { return control_members_; }

  // The data.tar entries (after ReadControl). Paths come as stored, usually
  // "./usr/bin/...". Valid while this DebReader lives.
  Result<archive::TarReader*> Data();

 private:
  Status ReadControlTar(Reader* decompressed);

  Reader* in_;
  std::string name_;
  ArReader ar_;
  Paragraph control_;
  std::map<std::string, std::string> md5sums_;
  std::vector<std::string> conffiles_;
  std::vector<std::string> control_members_;
  bool control_read_ = false;
  std::unique_ptr<Reader> data_decompressor_;
  std::unique_ptr<archive::TarReader> data_tar_;
};

// "./usr/bin/x" → "usr/bin/x"; "." → "".
std::string StripDotSlash(std::string path);

}  // namespace distill::debian
