// Byte-stream interfaces that every streaming pipeline in distill is built from
// (tar writer → compressor → hasher → file; network → decompressor → extractor).
// Streams never hold a whole layer in memory: data moves in bounded chunks.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "util/status.h"

namespace distill {

// A sink of bytes. Close() flushes and finalizes; no Write() may follow it.
class Writer {
 public:
  virtual ~Writer() = default;
  virtual Status Write(const void* data, size_t len) = 0;
  Status Write(std::string_view s) { return Write(s.data(), s.size()); }
  virtual Status Close() = 0;
};

// A source of bytes. Read returns the number of bytes read, 0 at end of stream.
class Reader {
 public:
  virtual ~Reader() = default;
  virtual Result<size_t> Read(void* buf, size_t len) = 0;
};

// Writer that appends to a string (tests, small documents).
class StringWriter : public Writer {
 public:
  using Writer::Write;
  Status Write(const void* data, size_t len) override {
    out_.append(static_cast<const char*>(data), len);
    return Status::Ok();
  }
  Status Close() override { return Status::Ok(); }
  const std::string& str() const { return out_; }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

// Reader over a string (tests, small documents).
class StringReader : public Reader {
 public:
  explicit StringReader(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(void* buf, size_t len) override {
    size_t n = std::min(len, data_.size() - pos_);
    data_.copy(static_cast<char*>(buf), n, pos_);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

}  // namespace distill
