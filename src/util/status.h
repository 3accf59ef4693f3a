// Status and Result<T>: errors as values, never exceptions across module
// boundaries (DESIGN.md). A Status carries one human-readable line that already
// names the file/line/image it is about; the CLI prints it as is.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace distill {

class Status {
 public:
  // Error kinds the CLI and callers branch on; the message is for humans.
  enum class Code {
    kOk,
    kInvalidArgument,
    kNotFound,
    kAlreadyExists,
    kIo,
    kCorrupt,
    kUnavailable,
    kPermission,
    kCancelled,
    kInternal
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(Code::kInternal, std::move(message)); }
  static Status Invalid(std::string message) {
    return Status(Code::kInvalidArgument, std::move(message));
  }
  static Status NotFound(std::string message) {
    return Status(Code::kNotFound, std::move(message));
  }
  static Status Io(std::string message) { return Status(Code::kIo, std::move(message)); }
  static Status Corrupt(std::string message) { return Status(Code::kCorrupt, std::move(message)); }
  // An I/O error from errno, formatted as "what: strerror(errno)".
  static Status FromErrno(const std::string& what, int err);

  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "prefix: message" (adds context on the way up).
  Status Prefixed(const std::string& prefix) const {
    if (ok()) return *this;
    return Status(code_, prefix + ": " + message_);
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T> holds either a value or a non-ok Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result built from an ok Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

inline const Status& StatusOf(const Status& s) {
  return s;
}
template <typename T>
const Status& StatusOf(const Result<T>& r) {
  return r.status();
}

}  // namespace distill

// Propagates a non-ok Status (or the Status of a failed Result) to the caller.
#define DISTILL_RETURN_IF_ERROR(expr)                               \
  do {                                                              \
    const auto& _distill_st = (expr);                               \
    if (!_distill_st.ok()) return ::distill::StatusOf(_distill_st); \
  } while (0)

#define DISTILL_CONCAT_INNER(a, b) a##b
#define DISTILL_CONCAT(a, b) DISTILL_CONCAT_INNER(a, b)
// DISTILL_ASSIGN_OR_RETURN(auto x, MakeX()); declares x from a Result or returns its error.
#define DISTILL_ASSIGN_OR_RETURN(decl, expr) \
  DISTILL_ASSIGN_OR_RETURN_IMPL(DISTILL_CONCAT(_distill_r, __LINE__), decl, expr)
#define DISTILL_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  decl = std::move(tmp).value()
