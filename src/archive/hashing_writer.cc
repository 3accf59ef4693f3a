#include "archive/hashing_writer.h"

namespace distill::archive {

Status HashingWriter::Write(const void* data, size_t len) {
  if (closed_) return Status::Error("HashingWriter: write after close");
  if (len == 0) return Status::Ok();
  sha_.Update(data, len);
  bytes_ += len;
  if (out_ != nullptr) return out_->Write(data, len);
  return Status::Ok();
}

Status HashingWriter::Close() {
  if (closed_) return Status::Ok();
  closed_ = true;
  digest_ = oci::Digest::Sha256Hex(sha_.FinishHex());
  return Status::Ok();
}

}  // namespace distill::archive
