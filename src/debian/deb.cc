#include "debian/deb.h"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "archive/decompress.h"

namespace distill::debian {
namespace {

constexpr char kArMagic[] = "!<arch>\n";
constexpr size_t kArMagicSize = 8;
constexpr size_t kArHeaderSize = 60;

std::string TrimRight(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

Result<std::string> ReadAll(Reader* in, size_t limit, const std::string& what) {
  std::string out;
  char buf[16 * 1024];
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, in->Read(buf, sizeof buf));
    if (n == 0) return out;
    if (out.size() + n > limit) {
      return Status::Corrupt(what + " is larger than " + std::to_string(limit) + " bytes");
    }
    out.append(buf, n);
  }
}

// Member names dpkg accepts: "<base>" or "<base>.<gz|xz|zst|bz2|lzma>".
bool IsMember(const std::string& name, const std::string& base) {
  return name == base || (name.starts_with(base + ".") && name.size() > base.size() + 1);
}

}  // namespace

std::string StripDotSlash(std::string path) {
  if (path == ".") return "";
  if (path.starts_with("./")) path.erase(0, 2);
  while (path.starts_with("/")) path.erase(0, 1);
  return path;
}

ArReader::ArReader(Reader* in, std::string source_name)
    : in_(in), source_name_(std::move(source_name)), content_(this) {}

Result<size_t> ArReader::ReadRaw(void* buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, in_->Read(static_cast<char*>(buf) + got, len - got));
    if (n == 0) break;
    got += n;
  }
  offset_ += got;
  return got;
}

Status ArReader::Skip(uint64_t n) {
  char buf[16 * 1024];
  while (n > 0) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(n, sizeof buf));
    DISTILL_ASSIGN_OR_RETURN(size_t got, ReadRaw(buf, want));
    if (got < want) {
      return Status::Corrupt(source_name_ + ": truncated ar archive at byte " +
                             std::to_string(offset_));
    }
    n -= got;
  }
  return Status::Ok();
}

Result<size_t> ArReader::Content::Read(void* buf, size_t len) {
  if (r_->remaining_ == 0 || len == 0) return size_t{0};
  size_t want = static_cast<size_t>(std::min<uint64_t>(len, r_->remaining_));
  DISTILL_ASSIGN_OR_RETURN(size_t n, r_->ReadRaw(buf, want));
  if (n == 0) {
    return Status::Corrupt(r_->source_name_ + ": truncated ar member at byte " +
                           std::to_string(r_->offset_));
  }
  r_->remaining_ -= n;
  return n;
}

Result<bool> ArReader::Next(ArMember* member) {
  if (!started_) {
    started_ = true;
    char magic[kArMagicSize];
    DISTILL_ASSIGN_OR_RETURN(size_t n, ReadRaw(magic, kArMagicSize));
    if (n != kArMagicSize || std::memcmp(magic, kArMagic, kArMagicSize) != 0) {
      return Status::Corrupt(source_name_ + ": not an ar archive (bad magic)");
    }
  }
  DISTILL_RETURN_IF_ERROR(Skip(remaining_ + (padded_ ? 1 : 0)));
  remaining_ = 0;
  padded_ = false;
  char header[kArHeaderSize];
  uint64_t header_offset = offset_;
  DISTILL_ASSIGN_OR_RETURN(size_t n, ReadRaw(header, kArHeaderSize));
  if (n == 0) return false;
  std::string where = source_name_ + ": ar header at byte " + std::to_string(header_offset);
  if (n != kArHeaderSize) return Status::Corrupt(where + " is truncated");
  if (header[58] != '`' || header[59] != '\n') return Status::Corrupt(where + " is malformed");
  std::string name = TrimRight(std::string(header, 16));
  if (name.ends_with("/") && name != "/" && name != "//") name.pop_back();
  std::string size_text = TrimRight(std::string(header + 48, 10));
  if (size_text.empty() || size_text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Corrupt(where + " has a bad size \"" + size_text + "\"");
  }
  member->name = name;
  member->size = std::stoull(size_text);
  remaining_ = member->size;
  padded_ = member->size % 2 == 1;
  return true;
}

DebReader::DebReader(Reader* in, std::string name)
    : in_(in), name_(std::move(name)), ar_(in_, name_) {}

DebReader::~DebReader() = default;

Status DebReader::ReadControlTar(Reader* decompressed) {
  archive::TarReader tar(decompressed, name_ + " control.tar");
  archive::TarEntry entry;
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(bool more, tar.Next(&entry));
    if (!more) break;
    if (entry.type != archive::TarEntryType::kFile) continue;
    std::string path = StripDotSlash(entry.path);
    if (path == "control") {
      DISTILL_ASSIGN_OR_RETURN(std::string text,
                               ReadAll(tar.content(), 4 << 20, name_ + " control"));
      DISTILL_ASSIGN_OR_RETURN(auto paragraphs, ParseControl(text, name_ + " control"));
      if (paragraphs.size() != 1) {
        return Status::Corrupt(name_ + ": control has " + std::to_string(paragraphs.size()) +
                               " paragraphs, expected 1");
      }
      control_ = std::move(paragraphs.front());
    } else if (path == "md5sums") {
      DISTILL_ASSIGN_OR_RETURN(std::string text,
                               ReadAll(tar.content(), 64 << 20, name_ + " md5sums"));
      std::istringstream lines(text);
      std::string line;
      size_t number = 0;
      while (std::getline(lines, line)) {
        ++number;
        if (line.empty()) continue;
        size_t space = line.find(' ');
        size_t start = line.find_first_not_of(' ', space);
        if (space != 32 || start == std::string::npos) {
          return Status::Corrupt(name_ + " md5sums:" + std::to_string(number) +
                                 ": expected \"<md5>  <path>\"");
        }
        md5sums_[StripDotSlash(line.substr(start))] = line.substr(0, 32);
      }
    } else if (path == "conffiles") {
      DISTILL_ASSIGN_OR_RETURN(std::string text,
                               ReadAll(tar.content(), 4 << 20, name_ + " conffiles"));
      std::istringstream lines(text);
      std::string line;
      while (std::getline(lines, line)) {
        if (!line.empty()) conffiles_.push_back(line);
      }
    } else if (!path.empty()) {
      control_members_.push_back(path);
    }
  }
  if (control_.empty()) return Status::Corrupt(name_ + ": control.tar has no control file");
  return Status::Ok();
}

Status DebReader::ReadControl() {
  if (control_read_) return Status::Ok();
  ArMember m;
  DISTILL_ASSIGN_OR_RETURN(bool got, ar_.Next(&m));
  if (!got || m.name != "debian-binary") {
    return Status::Corrupt(name_ + ": first member is not debian-binary; not a .deb");
  }
  DISTILL_ASSIGN_OR_RETURN(std::string version,
                           ReadAll(ar_.content(), 64, name_ + " debian-binary"));
  if (!version.starts_with("2.")) {
    return Status::Corrupt(name_ + ": unsupported .deb format version \"" +
                           TrimRight(version.substr(0, version.find('\n'))) + "\"");
  }
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(got, ar_.Next(&m));
    if (!got) return Status::Corrupt(name_ + ": no control.tar member");
    if (m.name.starts_with("_")) continue;  // reserved for extensions; dpkg skips them
    if (!IsMember(m.name, "control.tar")) {
      return Status::Corrupt(name_ + ": expected control.tar, found member \"" + m.name + "\"");
    }
    break;
  }
  auto control_stream = archive::NewDecompressor(ar_.content(), name_ + " " + m.name);
  DISTILL_RETURN_IF_ERROR(ReadControlTar(control_stream.get()));
  control_read_ = true;
  return Status::Ok();
}

Result<archive::TarReader*> DebReader::Data() {
  if (data_tar_ != nullptr) return data_tar_.get();
  DISTILL_RETURN_IF_ERROR(ReadControl());
  ArMember m;
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(bool got, ar_.Next(&m));
    if (!got) return Status::Corrupt(name_ + ": no data.tar member");
    if (m.name.starts_with("_")) continue;
    if (!IsMember(m.name, "data.tar")) {
      return Status::Corrupt(name_ + ": expected data.tar, found member \"" + m.name + "\"");
    }
    break;
  }
  if (m.name.ends_with(".lzma")) {
    return Status::Corrupt(name_ + ": data.tar.lzma (legacy lzma) is not supported");
  }
  data_decompressor_ = archive::NewDecompressor(ar_.content(), name_ + " " + m.name);
  data_tar_ = std::make_unique<archive::TarReader>(data_decompressor_.get(), name_ + " " + m.name);
  return data_tar_.get();
}

}  // namespace distill::debian
