#include "archive/layer_writer.h"

namespace distill::archive {

Result<std::unique_ptr<LayerWriter>> LayerWriter::Create(Compression compression,
                                                         Writer* destination,
                                                         const CompressOptions& options) {
  std::unique_ptr<LayerWriter> w(new LayerWriter());
  if (compression == Compression::kNone) {
    // Uncompressed: one hash serves as both diffID and digest.
    w->uncompressed_ = std::make_unique<HashingWriter>(destination);
    return w;
  }
  w->compressed_ = std::make_unique<HashingWriter>(destination);
  DISTILL_ASSIGN_OR_RETURN(w->compressor_,
                           NewCompressor(compression, w->compressed_.get(), options));
  w->uncompressed_ = std::make_unique<HashingWriter>(w->compressor_.get());
  return w;
}

Status LayerWriter::Write(const void* data, size_t len) {
  if (closed_) return Status::Error("layer writer: write after close");
  return uncompressed_->Write(data, len);
}

Status LayerWriter::Close() {
  if (closed_) return close_status_;
  closed_ = true;
  close_status_ = [&]() -> Status {
    DISTILL_RETURN_IF_ERROR(uncompressed_->Close());
    digests_.diff_id = uncompressed_->digest();
    digests_.uncompressed_size = uncompressed_->bytes();
    if (compressor_ == nullptr) {
      digests_.digest = digests_.diff_id;
      digests_.compressed_size = digests_.uncompressed_size;
      return Status::Ok();
    }
    DISTILL_RETURN_IF_ERROR(compressor_->Close());
    DISTILL_RETURN_IF_ERROR(compressed_->Close());
    digests_.digest = compressed_->digest();
    digests_.compressed_size = compressed_->bytes();
    return Status::Ok();
  }();
  return close_status_;
}

Result<LayerDigests> LayerWriter::Finish() {
  DISTILL_RETURN_IF_ERROR(Close());
  return digests_;
}

}  // namespace distill::archive
