#include "archive/tar_writer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <tuple>
#include <vector>

#include "archive/tar_format.h"

namespace distill::archive {
namespace {

namespace tf = tar_format;
using Block = std::array<unsigned char, tf::kBlockSize>;

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80 || c == 0) return false;
  }
  return true;
}

void PutString(Block& b, tf::Field f, std::string_view s) {
  std::memcpy(b.data() + f.offset, s.data(), std::min(s.size(), f.width));
}

// Largest value that fits in the field as octal digits plus a NUL terminator.
uint64_t OctalLimit(tf::Field f) {
  return f.width - 1 >= 21 ? UINT64_MAX : (uint64_t{1} << (3 * (f.width - 1))) - 1;
}

void PutOctal(Block& b, tf::Field f, uint64_t v) {
  size_t digits = f.width - 1;
  for (size_t i = digits; i > 0; --i) {
    b[f.offset + i - 1] = static_cast<unsigned char>('0' + (v & 7));
    v >>= 3;
  }
  b[f.offset + digits] = '\0';
}

// GNU base-256: high bit of the first byte set, then a big-endian number.
void PutBase256(Block& b, tf::Field f, uint64_t v) {
  for (size_t i = f.width; i > 1; --i) {
    b[f.offset + i - 1] = static_cast<unsigned char>(v & 0xff);
    v >>= 8;
  }
  b[f.offset] = 0x80;
}

// Writes v as octal, or records it in pax (and leaves 0 in the header) when too big.
void PutNumber(Block& b, tf::Field f, uint64_t v, const char* pax_key,
               std::map<std::string, std::string>& pax) {
  if (v <= OctalLimit(f)) {
    PutOctal(b, f, v);
  } else {
    PutOctal(b, f, 0);
    pax[pax_key] = std::to_string(v);
  }
}

std::string PaxTime(int64_t sec, uint32_t nsec) {
  if (nsec == 0) return std::to_string(sec);
  std::string whole;
  uint32_t frac = nsec;
  if (sec < 0) {  // -2 s + 0.5 s is -1.5 s
    whole = "-" + std::to_string(-(sec + 1));
    frac = 1000000000u - nsec;
  } else {
    whole = std::to_string(sec);
  }
  std::string digits = std::to_string(frac);
  digits.insert(0, 9 - digits.size(), '0');
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return whole + "." + digits;
}

// One pax record: "<len> <key>=<value>\n", where <len> counts the whole record.
std::string PaxRecord(const std::string& key, const std::string& value) {
  size_t body = key.size() + value.size() + 3;  // ' ', '=', '\n'
  size_t len = body + 1;
  while (std::to_string(len).size() + body != len) len = std::to_string(len).size() + body;
  return std::to_string(len) + " " + key + "=" + value + "\n";
}

// Splits a path into ustar prefix and name; false when it cannot fit.
bool SplitUstarPath(const std::string& path, std::string* prefix, std::string* name) {
  if (path.size() <= tf::kName.width) {
    prefix->clear();
    *name = path;
    return true;
  }
  if (path.size() > tf::kPrefix.width + 1 + tf::kName.width) return false;
  // The first '/' that leaves a name short enough gives the shortest prefix.
  size_t start = path.size() - tf::kName.width - 1;
  size_t slash = path.find('/', start);
  if (slash == std::string::npos || slash == 0 || slash > tf::kPrefix.width ||
      slash + 1 == path.size()) {
    return false;
  }
  *prefix = path.substr(0, slash);
  *name = path.substr(slash + 1);
  return true;
}

char TypeFlag(TarEntryType type) {
  switch (type) {
    case TarEntryType::kFile:
      return tf::kTypeFile;
    case TarEntryType::kDirectory:
      return tf::kTypeDirectory;
    case TarEntryType::kSymlink:
      return tf::kTypeSymlink;
    case TarEntryType::kHardlink:
      return tf::kTypeHardlink;
    case TarEntryType::kCharDevice:
      return tf::kTypeChar;
    case TarEntryType::kBlockDevice:
      return tf::kTypeBlock;
    case TarEntryType::kFifo:
      return tf::kTypeFifo;
  }
  return tf::kTypeFile;
}

void FinishHeader(Block& b) {
  PutString(b, tf::kMagic, std::string_view("ustar\0", 6));
  PutString(b, tf::kVersion, "00");
  uint64_t sum = tf::HeaderChecksum(b.data(), nullptr);
  // Six octal digits, NUL, space: the form every tar implementation accepts.
  for (size_t i = 6; i > 0; --i) {
    b[tf::kChecksum.offset + i - 1] = static_cast<unsigned char>('0' + (sum & 7));
    sum >>= 3;
  }
  b[tf::kChecksum.offset + 6] = '\0';
  b[tf::kChecksum.offset + 7] = ' ';
}

Status Validate(const TarEntry& e) {
  auto where = [&] { return "tar entry '" + e.path + "'"; };
  if (e.path.empty()) return Status::Invalid("tar entry with an empty path");
  if (e.path.find('\0') != std::string::npos) return Status::Invalid(where() + ": NUL in path");
  if (e.linkname.find('\0') != std::string::npos) {
    return Status::Invalid(where() + ": NUL in link target");
  }
  if ((e.type == TarEntryType::kSymlink || e.type == TarEntryType::kHardlink) &&
      e.linkname.empty()) {
    return Status::Invalid(where() + ": " + TarEntryTypeName(e.type) + " without a target");
  }
  for (const auto& [name, value] : e.xattrs) {
    if (name.empty() || name.find('\0') != std::string::npos ||
        name.find('=') != std::string::npos) {
      return Status::Invalid(where() + ": invalid xattr name '" + name + "'");
    }
  }
  return Status::Ok();
}

}  // namespace

TarWriter::TarWriter(Writer* out, TarWriterOptions options) : out_(out), options_(options) {}

Status TarWriter::WriteBlocks(const void* data, size_t len) {
  DISTILL_RETURN_IF_ERROR(out_->Write(data, len));
  static const Block kZero{};
  size_t pad = tf::PaddedSize(len) - len;
  if (pad > 0) DISTILL_RETURN_IF_ERROR(out_->Write(kZero.data(), pad));
  bytes_written_ += len + pad;
  return Status::Ok();
}

Status TarWriter::WriteEntry(const TarEntry& entry, Reader* content) {
  if (finished_) return Status::Error("tar entry '" + entry.path + "' written after Finish()");
  DISTILL_RETURN_IF_ERROR(Validate(entry));

  std::map<std::string, std::string> pax;  // sorted: a fixed record order
  Block h{};

  std::string path = entry.path;
  if (entry.type == TarEntryType::kDirectory && path.back() != '/') path += '/';
  std::string prefix, name;
  if (IsAscii(path) && SplitUstarPath(path, &prefix, &name)) {
    PutString(h, tf::kName, name);
    PutString(h, tf::kPrefix, prefix);
  } else {
    pax["path"] = path;
    PutString(h, tf::kName, path.substr(0, tf::kName.width));
  }

  if (!entry.linkname.empty()) {
    if (entry.linkname.size() > tf::kLinkname.width || !IsAscii(entry.linkname)) {
      pax["linkpath"] = entry.linkname;
    }
    PutString(h, tf::kLinkname, entry.linkname);
  }

  PutOctal(h, tf::kMode, entry.mode & 07777);
  PutNumber(h, tf::kUid, entry.uid, "uid", pax);
  PutNumber(h, tf::kGid, entry.gid, "gid", pax);
  uint64_t size = entry.type == TarEntryType::kFile ? entry.size : 0;
  PutNumber(h, tf::kSize, size, "size", pax);

  bool subsecond = options_.subsecond_mtime && entry.mtime_nsec != 0;
  if (entry.mtime_sec < 0 || subsecond) {
    pax["mtime"] = PaxTime(entry.mtime_sec, subsecond ? entry.mtime_nsec : 0);
    PutOctal(h, tf::kMtime, entry.mtime_sec < 0 ? 0 : static_cast<uint64_t>(entry.mtime_sec));
  } else {
    PutNumber(h, tf::kMtime, static_cast<uint64_t>(entry.mtime_sec), "mtime", pax);
  }

  h[tf::kTypeflag.offset] = static_cast<unsigned char>(TypeFlag(entry.type));

  for (auto [field, value, key] : {std::tuple{tf::kUname, &entry.uname, "uname"},
                                   std::tuple{tf::kGname, &entry.gname, "gname"}}) {
    if (value->size() > field.width || !IsAscii(*value)) {
      pax[key] = *value;
    } else {
      PutString(h, field, *value);
    }
  }

  if (entry.type == TarEntryType::kCharDevice || entry.type == TarEntryType::kBlockDevice) {
    for (auto [field, v] :
         {std::pair{tf::kDevmajor, entry.devmajor}, std::pair{tf::kDevminor, entry.devminor}}) {
      if (v <= OctalLimit(field)) {
        PutOctal(h, field, v);
      } else {
        PutBase256(h, field, v);  // pax has no device keys
      }
    }
  }

  for (const auto& [xname, xvalue] : entry.xattrs) {
    pax[std::string(tf::kPaxXattrPrefix) + xname] = xvalue;
  }

  if (!pax.empty()) {
    std::string records;
    for (const auto& [k, v] : pax) records += PaxRecord(k, v);
    Block ph{};
    // A stable name that tools without pax support extract harmlessly.
    std::string base = path;
    while (!base.empty() && base.back() == '/') base.pop_back();
    base =
        base.substr(base.find_last_of('/') == std::string::npos ? 0 : base.find_last_of('/') + 1);
    for (char& c : base) {
      if (static_cast<unsigned char>(c) >= 0x80) c = '_';
    }
    PutString(ph, tf::kName, ("PaxHeaders/" + base).substr(0, tf::kName.width));
    PutOctal(ph, tf::kMode, 0644);
    PutOctal(ph, tf::kUid, 0);
    PutOctal(ph, tf::kGid, 0);
    PutOctal(ph, tf::kSize, records.size());
    PutOctal(ph, tf::kMtime, 0);
    ph[tf::kTypeflag.offset] = tf::kTypePaxEntry;
    FinishHeader(ph);
    DISTILL_RETURN_IF_ERROR(WriteBlocks(ph.data(), ph.size()));
    DISTILL_RETURN_IF_ERROR(WriteBlocks(records.data(), records.size()));
  }

  FinishHeader(h);
  DISTILL_RETURN_IF_ERROR(WriteBlocks(h.data(), h.size()));
  if (entry.type == TarEntryType::kFile) DISTILL_RETURN_IF_ERROR(WriteContent(entry, content));
  return Status::Ok();
}

Status TarWriter::WriteContent(const TarEntry& entry, Reader* content) {
  if (entry.size == 0) return Status::Ok();
  if (content == nullptr) {
    return Status::Invalid("tar entry '" + entry.path + "': no content for a " +
                           std::to_string(entry.size) + "-byte file");
  }
  constexpr size_t kChunk = 64 * 1024;  // bounded: files are streamed, never loaded
  std::vector<char> buf(kChunk);
  uint64_t left = entry.size;
  while (left > 0) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(left, kChunk));
    DISTILL_ASSIGN_OR_RETURN(size_t n, content->Read(buf.data(), want));
    if (n == 0) {
      return Status::Io("tar entry '" + entry.path + "': content ended after " +
                        std::to_string(entry.size - left) + " of " + std::to_string(entry.size) +
                        " bytes (file changed while being archived?)");
    }
    DISTILL_RETURN_IF_ERROR(out_->Write(buf.data(), n));
    left -= n;
  }
  char extra;
  DISTILL_ASSIGN_OR_RETURN(size_t more, content->Read(&extra, 1));
  if (more != 0) {
    return Status::Io("tar entry '" + entry.path + "': content is longer than " +
                      std::to_string(entry.size) + " bytes (file changed while being archived?)");
  }
  static const Block kZero{};
  size_t pad = tf::PaddedSize(entry.size) - entry.size;
  if (pad > 0) DISTILL_RETURN_IF_ERROR(out_->Write(kZero.data(), pad));
  bytes_written_ += entry.size + pad;
  return Status::Ok();
}

Status TarWriter::Finish() {
  if (finished_) return Status::Ok();
  static const std::array<unsigned char, 2 * tf::kBlockSize> kEnd{};
  DISTILL_RETURN_IF_ERROR(out_->Write(kEnd.data(), kEnd.size()));
  bytes_written_ += kEnd.size();
  finished_ = true;
  return Status::Ok();
}

}  // namespace distill::archive
