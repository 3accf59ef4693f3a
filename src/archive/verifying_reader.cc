#include "archive/verifying_reader.h"

namespace distill::archive {

VerifyingReader::VerifyingReader(Reader* source, oci::Digest expected, std::string name,
                                 std::optional<uint64_t> expected_size)
    : source_(source),
      expected_(std::move(expected)),
      name_(std::move(name)),
      expected_size_(expected_size) {}

Result<size_t> VerifyingReader::Read(void* buf, size_t len) {
  if (at_end_) {
    DISTILL_RETURN_IF_ERROR(end_status_);
    return size_t{0};
  }
  DISTILL_ASSIGN_OR_RETURN(size_t n, source_->Read(buf, len));
  if (n == 0 && len > 0) {
    at_end_ = true;
    end_status_ = CheckAtEnd();
    DISTILL_RETURN_IF_ERROR(end_status_);
    return size_t{0};
  }
  sha_.Update(buf, n);
  bytes_ += n;
  if (expected_size_.has_value() && bytes_ > *expected_size_) {
    at_end_ = true;
    end_status_ = Status::Corrupt(name_ + ": more than the expected " +
                                  std::to_string(*expected_size_) + " bytes");
    return end_status_;
  }
  return n;
}

Status VerifyingReader::CheckAtEnd() {
  if (expected_size_.has_value() && bytes_ != *expected_size_) {
    return Status::Corrupt(name_ + ": size mismatch: expected " + std::to_string(*expected_size_) +
                           " bytes, got " + std::to_string(bytes_));
  }
  if (expected_.algorithm() != "sha256") {
    return Status::Invalid(name_ + ": cannot verify digest algorithm \"" + expected_.algorithm() +
                           "\" (only sha256)");
  }
  oci::Digest actual = oci::Digest::Sha256Hex(sha_.FinishHex());
  if (actual != expected_) {
    return Status::Corrupt(name_ + ": digest mismatch: expected " + expected_.str() + ", got " +
                           actual.str());
  }
  verified_ = true;
  return Status::Ok();
}

}  // namespace distill::archive
