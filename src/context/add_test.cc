// ADD: local archives unpacked by content, remote files downloaded from a tiny
// HTTP server run by the test on 127.0.0.1.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "archive/compress.h"
#include "archive/tar_writer.h"
#include "context/copy_into.h"
#include "context/test_util.h"
#include "util/sha256.h"

namespace distill::context {
namespace {

using testing::TempTree;

// Builds a tar (optionally compressed) of `files` (path → content); a path
// may be anything, "../escape" included.
std::string MakeTar(const std::vector<std::pair<std::string, std::string>>& files,
                    archive::Compression compression = archive::Compression::kNone) {
  StringWriter raw;
  std::unique_ptr<Writer> compressor;
  Writer* out = &raw;
  if (compression != archive::Compression::kNone) {
    auto c = archive::NewCompressor(compression, &raw);
    EXPECT_TRUE(c.ok());
    compressor = std::move(c).value();
    out = compressor.get();
  }
  archive::TarWriter tar(out);
  for (const auto& [path, content] : files) {
    archive::TarEntry e;
    e.path = path;
    e.size = content.size();
    StringReader r(content);
    EXPECT_TRUE(tar.WriteEntry(e, &r).ok()) << path;
  }
  EXPECT_TRUE(tar.Finish().ok());
  if (compressor) {
    EXPECT_TRUE(compressor->Close().ok());
  }
  return raw.str();
}

class AddTest : public ::testing::Test {
 protected:
  Status Add(std::vector<std::string> sources, std::string dest, std::string checksum = "",
             UrlFetcher* fetcher = nullptr) {
    CopyRequest r;
    r.is_add = true;
    r.sources = std::move(sources);
    r.dest = std::move(dest);
    r.checksum = std::move(checksum);
    auto ctx = BuildContext::Open(ctx_.root(), {});
    EXPECT_TRUE(ctx.ok());
    CopyEnv env;
    env.fetcher = fetcher;
    return CopyInto(*ctx, r, root_.root(), env);
  }
  TempTree ctx_;
  TempTree root_;
};

TEST_F(AddTest, LocalTarsAreUnpackedWhateverTheirName) {
  ctx_.Write("plain.tar", MakeTar({{"a/one.txt", "1"}}));
  ctx_.Write("data.bin", MakeTar({{"two.txt", "2"}}, archive::Compression::kGzip));
  ctx_.Write("z.tar.zst", MakeTar({{"three.txt", "3"}}, archive::Compression::kZstd));
  ASSERT_TRUE(Add({"plain.tar"}, "/x").ok());
  EXPECT_EQ(root_.Read("x/a/one.txt"), "1");
  ASSERT_TRUE(Add({"data.bin"}, "/y/").ok());
  EXPECT_EQ(root_.Read("y/two.txt"), "2");
  ASSERT_TRUE(Add({"z.tar.zst"}, "/y/").ok());
  EXPECT_EQ(root_.Read("y/three.txt"), "3");
}

TEST_F(AddTest, NonArchivesAreCopiedEvenWithAnArchiveName) {
  ctx_.Write("fake.tar.gz", "just text, not gzip");
  ASSERT_TRUE(Add({"fake.tar.gz"}, "/f/").ok());
  EXPECT_EQ(root_.Read("f/fake.tar.gz"), "just text, not gzip");
}

TEST_F(AddTest, EscapingTarIsRejected) {
  TempTree outside;
  ctx_.Write("evil.tar", MakeTar({{"../../../../../../.." + outside.root() + "/pwned", "x"}}));
  Status s = Add({"evil.tar"}, "/dst/");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("evil.tar"), std::string::npos) << s.message();
  EXPECT_FALSE(outside.Exists("pwned"));
}

// A one-thread HTTP/1.0 server answering a few fixed paths.
class TinyHttpServer {
 public:
  TinyHttpServer() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(fd_, 8), 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~TinyHttpServer() {
    shutdown(fd_, SHUT_RDWR);
    thread_.join();
    close(fd_);
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  static constexpr const char* kBody = "remote content\n";

 private:
  void Serve() {
    for (;;) {
      int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      std::string req;
      char buf[1024];
      while (req.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0) break;
        req.append(buf, static_cast<size_t>(n));
      }
      std::string path = req.substr(4, req.find(' ', 4) - 4);
      std::string resp;
      std::string body = kBody;
      if (path == "/files/app.txt") {
        resp = "HTTP/1.0 200 OK\r\nLast-Modified: Wed, 21 Oct 2015 07:28:00 GMT\r\n";
      } else if (path == "/download?id=7") {
        resp = "HTTP/1.0 200 OK\r\nContent-Disposition: attachment; filename=\"named.bin\"\r\n";
      } else {
        resp = "HTTP/1.0 404 Not Found\r\n";
        body = "no";
      }
      resp += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
      (void)!write(c, resp.data(), resp.size());
      close(c);
    }
  }
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(AddTest, UrlDownloadWithGoodChecksum) {
  TinyHttpServer server;
  std::string sum = "sha256:" + Sha256::HexOf(TinyHttpServer::kBody);
  Status s = Add({server.Url("/files/app.txt")}, "/opt/", sum);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(root_.Read("opt/app.txt"), TinyHttpServer::kBody);
  struct stat st = root_.Lstat("opt/app.txt");
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(st.st_mtim.tv_sec, 1445412480);
}

TEST_F(AddTest, UrlDownloadWithBadChecksumWritesNothing) {
  TinyHttpServer server;
  Status s = Add({server.Url("/files/app.txt")}, "/opt/", "sha256:" + std::string(64, '0'));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("checksum mismatch"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("/files/app.txt"), std::string::npos);
  EXPECT_FALSE(root_.Exists("opt"));
  EXPECT_FALSE(Add({server.Url("/files/app.txt")}, "/opt/", "md5:abc").ok());
}

TEST_F(AddTest, UrlFilenameFromContentDispositionAndExplicitDestination) {
  TinyHttpServer server;
  ASSERT_TRUE(Add({server.Url("/download?id=7")}, "/dl/").ok());
  EXPECT_EQ(root_.Read("dl/named.bin"), TinyHttpServer::kBody);
  ASSERT_TRUE(Add({server.Url("/files/app.txt")}, "/etc/app.conf").ok());
  EXPECT_EQ(root_.Read("etc/app.conf"), TinyHttpServer::kBody);
}

TEST_F(AddTest, BadChecksumWithLocalSourcesWritesNothingAtAll) {
  TinyHttpServer server;
  ctx_.Write("local.txt", "local");
  Status s =
      Add({"local.txt", server.Url("/files/app.txt")}, "/mix/", "sha256:" + std::string(64, '1'));
  ASSERT_FALSE(s.ok());
  EXPECT_FALSE(root_.Exists("mix"));
}

// A fetcher that answers from memory, for what a real server rarely does.
class FakeFetcher : public UrlFetcher {
 public:
  Result<FetchedFile> Fetch(const std::string&, int out_fd) override {
    EXPECT_EQ(write(out_fd, "body", 4), 4);
    FetchedFile f;
    f.filename = filename;
    f.size = 4;
    f.sha256_hex = Sha256::HexOf("body");
    return f;
  }
  std::string filename;
};

TEST_F(AddTest, UrlWithoutFileNameNeedsAFileDestination) {
  FakeFetcher fetcher;
  Status s = Add({"https://example.com/"}, "/dir/", "", &fetcher);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot determine a file name"), std::string::npos);
  ASSERT_TRUE(Add({"https://example.com/"}, "/dir/file", "", &fetcher).ok());
  EXPECT_EQ(root_.Read("dir/file"), "body");
}

TEST_F(AddTest, UrlHttpErrorNamesTheUrl) {
  TinyHttpServer server;
  Status s = Add({server.Url("/missing")}, "/x/");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(server.Url("/missing")), std::string::npos) << s.message();
  EXPECT_FALSE(root_.Exists("x"));
}

TEST(UrlFilenameTest, FromHeadersAndPaths) {
  EXPECT_EQ(FilenameFromContentDisposition("attachment; filename=\"a.tar.gz\""), "a.tar.gz");
  EXPECT_EQ(FilenameFromContentDisposition(" inline; filename=x.bin; size=3"), "x.bin");
  EXPECT_EQ(FilenameFromContentDisposition("attachment; filename=\"../../etc/passwd\""), "passwd");
  EXPECT_EQ(FilenameFromContentDisposition("attachment"), "");
  EXPECT_EQ(FilenameFromUrl("https://host/a/b/file.tgz?x=1#frag"), "file.tgz");
  EXPECT_EQ(FilenameFromUrl("https://host/dir/"), "dir");
  EXPECT_EQ(FilenameFromUrl("https://host"), "");
  EXPECT_EQ(FilenameFromUrl("https://host/.."), "");
}

}  // namespace
}  // namespace distill::context
