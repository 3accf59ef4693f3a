#include "builder/context_tar.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "archive/decompress.h"
#include "archive/extract.h"

namespace distill::builder {

namespace {

class FdReader : public Reader {
 public:
  explicit FdReader(int fd) : fd_(fd) {}
  Result<size_t> Read(void* buf, size_t len) override {
    for (;;) {
      ssize_t n = read(fd_, buf, len);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) return Status::FromErrno("read the context tar from stdin", errno);
    }
  }

 private:
  int fd_;
};

}  // namespace

Result<ContextDir> ContextDir::FromTar(int fd, const std::string& parent) {
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) return Status::Io("mkdir " + parent + ": " + ec.message());
  std::string dir = parent + "/context-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) return Status::FromErrno("mkdtemp " + dir, errno);
  ContextDir out(dir);
  FdReader in(fd);
  std::unique_ptr<Reader> tar = archive::NewDecompressor(&in, "the context tar on stdin");
  archive::ExtractOptions options;
  options.source_name = "the context tar on stdin";
  DISTILL_RETURN_IF_ERROR(archive::ExtractTar(tar.get(), dir, options));
  return out;
}

ContextDir::~ContextDir() {
  if (dir_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace distill::builder
