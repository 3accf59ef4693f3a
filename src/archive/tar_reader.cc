#include "archive/tar_reader.h"

#include <array>
#include <cstring>
#include <vector>

#include "archive/tar_format.h"

namespace distill::archive {
namespace {

namespace tf = tar_format;
using Block = std::array<unsigned char, tf::kBlockSize>;

// Bodies of pax and GNU long-name headers are metadata, held in memory: cap them.
constexpr uint64_t kMaxMetadataBody = 8 * 1024 * 1024;

std::string GetString(const Block& b, tf::Field f) {
  const char* p = reinterpret_cast<const char*>(b.data() + f.offset);
  return std::string(p, strnlen(p, f.width));
}

bool IsZeroBlock(const Block& b) {
  for (unsigned char c : b) {
    if (c != 0) return false;
  }
  return true;
}

// Parses an octal (optionally space/NUL padded) or GNU base-256 number field.
bool ParseNumber(const Block& b, tf::Field f, uint64_t* out) {
  const unsigned char* p = b.data() + f.offset;
  if (p[0] & 0x80) {
    if (p[0] == 0xff) return false;  // negative: never valid for the fields we read
    uint64_t v = p[0] & 0x7f;
    for (size_t i = 1; i < f.width; ++i) {
      if (v >> 56) return false;
      v = (v << 8) | p[i];
    }
    *out = v;
    return true;
  }
  size_t i = 0;
  while (i < f.width && (p[i] == ' ' || p[i] == '\0')) ++i;
  uint64_t v = 0;
  for (; i < f.width && p[i] != ' ' && p[i] != '\0'; ++i) {
    if (p[i] < '0' || p[i] > '7' || (v >> 61)) return false;
    v = v * 8 + (p[i] - '0');
  }
  for (; i < f.width; ++i) {
    if (p[i] != ' ' && p[i] != '\0') return false;
  }
  *out = v;
  return true;
}

bool ParseDecimal(const std::string& s, uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

// pax "mtime": [-]seconds[.fraction]
bool ParsePaxTime(const std::string& s, int64_t* sec, uint32_t* nsec) {
  bool negative = !s.empty() && s[0] == '-';
  std::string body = negative ? s.substr(1) : s;
  size_t dot = body.find('.');
  uint64_t whole;
  if (!ParseDecimal(body.substr(0, dot), &whole) || whole > INT64_MAX / 2) return false;
  uint64_t frac = 0;
  if (dot != std::string::npos) {
    std::string digits = body.substr(dot + 1, 9);
    for (char c : body.substr(dot + 1)) {
      if (c < '0' || c > '9') return false;
    }
    digits.append(9 - digits.size(), '0');
    if (!ParseDecimal(digits, &frac)) return false;
  }
  if (!negative) {
    *sec = static_cast<int64_t>(whole);
    *nsec = static_cast<uint32_t>(frac);
  } else if (frac == 0) {
    *sec = -static_cast<int64_t>(whole);
    *nsec = 0;
  } else {  // -1.5 s is -2 s + 0.5 s
    *sec = -static_cast<int64_t>(whole) - 1;
    *nsec = static_cast<uint32_t>(1000000000u - frac);
  }
  return true;
}

}  // namespace

TarReader::TarReader(Reader* in, std::string source_name)
    : in_(in), source_name_(std::move(source_name)), content_reader_(this) {}

Status TarReader::Error(const std::string& what) const {
  return Status::Corrupt(source_name_ + ": tar entry #" + std::to_string(entry_index_) +
                         " (header at byte " + std::to_string(header_offset_) + "): " + what);
}

Result<size_t> TarReader::ReadFull(void* buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, in_->Read(static_cast<char*>(buf) + got, len - got));
    if (n == 0) break;
    got += n;
  }
  offset_ += got;
  return got;
}

Status TarReader::Skip(uint64_t n) {
  std::array<char, 16 * 1024> scratch;
  while (n > 0) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(n, scratch.size()));
    DISTILL_ASSIGN_OR_RETURN(size_t got, ReadFull(scratch.data(), want));
    if (got != want) return Error("truncated: the archive ends inside an entry's content");
    n -= got;
  }
  return Status::Ok();
}

Result<std::string> TarReader::ReadSmallBody(uint64_t size, const char* what) {
  if (size > kMaxMetadataBody) {
    return Error(std::string(what) + " of " + std::to_string(size) + " bytes is too large");
  }
  std::string body(static_cast<size_t>(size), '\0');
  DISTILL_ASSIGN_OR_RETURN(size_t got, ReadFull(body.data(), body.size()));
  if (got != body.size()) return Error(std::string("truncated: the archive ends inside a ") + what);
  DISTILL_RETURN_IF_ERROR(Skip(tf::PaddedSize(size) - size));
  return body;
}

Status TarReader::ParsePax(const std::string& body, std::map<std::string, std::string>* out) {
  size_t pos = 0;
  while (pos < body.size()) {
    size_t space = body.find(' ', pos);
    uint64_t len;
    if (space == std::string::npos || !ParseDecimal(body.substr(pos, space - pos), &len) ||
        len <= space - pos + 1 || pos + len > body.size() || body[pos + len - 1] != '\n') {
      return Error("malformed pax record at byte " + std::to_string(pos) + " of the pax header");
    }
    std::string record = body.substr(space + 1, pos + len - space - 2);
    size_t eq = record.find('=');
    if (eq == std::string::npos || eq == 0) return Error("pax record without 'key=value'");
    (*out)[record.substr(0, eq)] = record.substr(eq + 1);
    pos += len;
  }
  return Status::Ok();
}

Result<size_t> TarReader::ReadContent(void* buf, size_t len) {
  size_t want = static_cast<size_t>(std::min<uint64_t>(len, remaining_));
  if (want == 0) return size_t{0};
  DISTILL_ASSIGN_OR_RETURN(size_t got, ReadFull(buf, want));
  if (got != want) return Error("truncated: the archive ends inside an entry's content");
  remaining_ -= got;
  return got;
}

Result<bool> TarReader::Next(TarEntry* entry) {
  if (done_) return false;
  DISTILL_RETURN_IF_ERROR(Skip(remaining_ + padding_));
  remaining_ = padding_ = 0;

  std::map<std::string, std::string> pax;
  std::string long_name, long_link;
  bool have_long_name = false, have_long_link = false;
  for (;;) {
    header_offset_ = offset_;
    Block b;
    DISTILL_ASSIGN_OR_RETURN(size_t got, ReadFull(b.data(), b.size()));
    if (got == 0 && pax.empty() && !have_long_name && !have_long_link) {
      done_ = true;  // a clean end between entries, as Go's and libarchive's readers allow
      return false;
    }
    if (got != b.size()) return Error("truncated: the archive ends inside a header");
    if (IsZeroBlock(b)) {
      DISTILL_ASSIGN_OR_RETURN(size_t got2, ReadFull(b.data(), b.size()));
      if (got2 != 0 && (got2 != b.size() || !IsZeroBlock(b))) {
        return Error("a single zero block followed by more data (corrupt end-of-archive marker)");
      }
      done_ = true;
      return false;
    }

    uint64_t stored_sum;
    int64_t signed_sum;
    uint64_t sum = tf::HeaderChecksum(b.data(), &signed_sum);
    if (!ParseNumber(b, tf::kChecksum, &stored_sum) ||
        (stored_sum != sum && static_cast<int64_t>(stored_sum) != signed_sum)) {
      return Error("header checksum mismatch (not a tar archive, or corrupt)");
    }

    uint64_t size;
    if (!ParseNumber(b, tf::kSize, &size)) return Error("invalid size field");
    char type = static_cast<char>(b[tf::kTypeflag.offset]);

    if (type == tf::kTypePaxEntry || type == tf::kTypePaxGlobal) {
      DISTILL_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(size, "pax header"));
      if (type == tf::kTypePaxEntry) {
        DISTILL_RETURN_IF_ERROR(ParsePax(body, &pax));
      } else {
        std::map<std::string, std::string> ignored;  // global headers: validated, then ignored
        DISTILL_RETURN_IF_ERROR(ParsePax(body, &ignored));
      }
      continue;
    }
    if (type == tf::kTypeGnuLongName || type == tf::kTypeGnuLongLink) {
      DISTILL_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(size, "GNU long name"));
      body.resize(strnlen(body.data(), body.size()));
      if (type == tf::kTypeGnuLongName) {
        long_name = body;
        have_long_name = true;
      } else {
        long_link = body;
        have_long_link = true;
      }
      continue;
    }

    TarEntry e;
    std::string name = GetString(b, tf::kName);
    std::string magic(reinterpret_cast<const char*>(b.data() + tf::kMagic.offset), 6);
    if (magic == std::string("ustar\0", 6)) {
      std::string prefix = GetString(b, tf::kPrefix);
      if (!prefix.empty()) name = prefix + "/" + name;
    }
    e.path = have_long_name ? long_name : name;
    e.linkname = have_long_link ? long_link : GetString(b, tf::kLinkname);
    e.uname = GetString(b, tf::kUname);
    e.gname = GetString(b, tf::kGname);
    uint64_t mode, mtime, major = 0, minor = 0;
    if (!ParseNumber(b, tf::kMode, &mode)) return Error("invalid mode field");
    if (!ParseNumber(b, tf::kUid, &e.uid)) return Error("invalid uid field");
    if (!ParseNumber(b, tf::kGid, &e.gid)) return Error("invalid gid field");
    if (!ParseNumber(b, tf::kMtime, &mtime)) return Error("invalid mtime field");
    e.mode = static_cast<uint32_t>(mode & 07777);
    e.mtime_sec = static_cast<int64_t>(mtime);

    bool header_only = true;
    switch (type) {
      case tf::kTypeFile:
      case tf::kTypeFileOld:
      case tf::kTypeContiguous:
        // Pre-POSIX archives mark directories with a trailing slash only.
        if (type == tf::kTypeFileOld && !e.path.empty() && e.path.back() == '/') {
          e.type = TarEntryType::kDirectory;
        } else {
          e.type = TarEntryType::kFile;
          header_only = false;
        }
        break;
      case tf::kTypeHardlink:
        e.type = TarEntryType::kHardlink;
        break;
      case tf::kTypeSymlink:
        e.type = TarEntryType::kSymlink;
        break;
      case tf::kTypeChar:
      case tf::kTypeBlock:
        e.type = type == tf::kTypeChar ? TarEntryType::kCharDevice : TarEntryType::kBlockDevice;
        if (!ParseNumber(b, tf::kDevmajor, &major) || !ParseNumber(b, tf::kDevminor, &minor) ||
            major > UINT32_MAX || minor > UINT32_MAX) {
          return Error("invalid device number fields");
        }
        break;
      case tf::kTypeDirectory:
        e.type = TarEntryType::kDirectory;
        break;
      case tf::kTypeFifo:
        e.type = TarEntryType::kFifo;
        break;
      default:
        return Error(std::string("unsupported entry type '") +
                     (type >= 0x20 && type < 0x7f ? std::string(1, type)
                                                  : "\\x" + std::to_string(type & 0xff)) +
                     "' for '" + e.path + "'");
    }
    e.devmajor = static_cast<uint32_t>(major);
    e.devminor = static_cast<uint32_t>(minor);

    for (const auto& [key, value] : pax) {
      uint64_t n;
      if (key == "path") {
        e.path = value;
      } else if (key == "linkpath") {
        e.linkname = value;
      } else if (key == "uname") {
        e.uname = value;
      } else if (key == "gname") {
        e.gname = value;
      } else if (key == "size" || key == "uid" || key == "gid") {
        if (!ParseDecimal(value, &n)) return Error("invalid pax " + key + " '" + value + "'");
        (key == "size" ? size : key == "uid" ? e.uid : e.gid) = n;
      } else if (key == "mtime") {
        if (!ParsePaxTime(value, &e.mtime_sec, &e.mtime_nsec)) {
          return Error("invalid pax mtime '" + value + "'");
        }
      } else if (key.starts_with(tf::kPaxXattrPrefix)) {
        e.xattrs[key.substr(tf::kPaxXattrPrefix.size())] = value;
      } else if (key.starts_with("GNU.sparse.")) {
        return Error("GNU sparse entries are not supported ('" + e.path + "')");
      }
      // Other keys (atime, ctime, comment, charset, vendor extensions) carry
      // nothing a layer needs.
    }

    while (e.path.size() > 1 && e.path.back() == '/') e.path.pop_back();
    if (e.path.empty()) return Error("entry with an empty path");
    if (e.path.find('\0') != std::string::npos) return Error("NUL byte in path");

    // Like Go's reader: only regular files carry content; any size given for
    // links, directories and devices still occupies the stream and is skipped.
    e.size = header_only ? 0 : size;
    remaining_ = e.size;
    padding_ = tf::PaddedSize(size) - e.size;
    ++entry_index_;
    *entry = std::move(e);
    return true;
  }
}

}  // namespace distill::archive
