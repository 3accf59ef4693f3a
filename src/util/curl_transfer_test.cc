#include "util/curl_transfer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace distill {
namespace {

size_t Collect(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// A one-connection HTTP server on 127.0.0.1: records the request head, then
// answers `reply` (or, when empty, holds the connection open silently).
class OneShotServer {
 public:
  explicit OneShotServer(std::string reply) : reply_(std::move(reply)) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    socklen_t len = sizeof(a);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    listen(fd_, 1);
    thread_ = std::thread([this] {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      char buf[4096];
      while (request_.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = read(c, buf, sizeof(buf));
        if (n <= 0) break;
        request_.append(buf, static_cast<size_t>(n));
      }
      if (!reply_.empty()) {
        ssize_t ignored = write(c, reply_.data(), reply_.size());
        (void)ignored;
      } else {
        ssize_t ignored = read(c, buf, sizeof(buf));  // until the client gives up
        (void)ignored;
      }
      close(c);
    });
  }
  ~OneShotServer() {
    shutdown(fd_, SHUT_RDWR);
    thread_.join();
    close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/x"; }
  const std::string& request() const { return request_; }

 private:
  std::string reply_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string request_;
};

TEST(CurlTransferTest, SendsTheUserAgentAndReportsTheStatus) {
  OneShotServer server("HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
  CurlTransferOptions options;
  options.user_agent = "distill-test/1";
  Result<CurlTransfer> t = CurlTransfer::Start(server.url(), options);
  ASSERT_TRUE(t.ok()) << t.status().message();
  std::string body;
  curl_easy_setopt(t->handle(), CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(t->handle(), CURLOPT_WRITEDATA, &body);
  ASSERT_EQ(t->Perform(), CURLE_OK);
  EXPECT_EQ(t->ResponseCode(), 201);
  EXPECT_EQ(body, "ok");
  EXPECT_NE(server.request().find("User-Agent: distill-test/1\r\n"), std::string::npos)
      << server.request();
}

TEST(CurlTransferTest, AStalledTransferIsAbortedAfterTheStallTimeout) {
  OneShotServer server("");  // accepts, never answers
  CurlTransferOptions options;
  options.stall_timeout_seconds = 1;
  Result<CurlTransfer> t = CurlTransfer::Start(server.url(), options);
  ASSERT_TRUE(t.ok()) << t.status().message();
  auto start = std::chrono::steady_clock::now();
  CURLcode rc = t->Perform();
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(rc, CURLE_OPERATION_TIMEDOUT);
  EXPECT_LT(took, std::chrono::seconds(10));
  Status s = t->Error(rc, "GET " + server.url());
  EXPECT_EQ(s.code(), Status::Code::kUnavailable);
  EXPECT_EQ(s.message().rfind("GET " + server.url() + ": ", 0), 0u) << s.message();
  EXPECT_GT(s.message().size(), ("GET " + server.url() + ": ").size());
}

TEST(CurlTransferTest, AMovedTransferKeepsItsErrorBuffer) {
  std::string missing = "file://" + std::filesystem::temp_directory_path().string() +
                        "/distill-curl-transfer-missing-" + std::to_string(getpid());
  Result<CurlTransfer> started = CurlTransfer::Start(missing, {});
  ASSERT_TRUE(started.ok()) << started.status().message();
  CurlTransfer t = std::move(*started);
  CURLcode rc = t.Perform();
  EXPECT_EQ(rc, CURLE_FILE_COULDNT_READ_FILE);
  Status s = t.Error(rc, "GET " + missing);
  // libcurl's own message names the file: it wrote into the moved-to buffer.
  EXPECT_NE(s.message().find("distill-curl-transfer-missing"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace distill
