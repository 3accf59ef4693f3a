#include "util/lazy_curl.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace distill {
namespace {

// The forwarding definitions reach the real libcurl: a transfer of a file://
// URL exercises init, setopt of every argument kind (long, pointer, function
// pointer, curl_off_t), perform, getinfo, slists, strerror and cleanup.
size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

TEST(LazyCurlTest, LoadsAndForwardsEveryCallKind) {
  std::string error;
  ASSERT_TRUE(LoadLibcurl(&error)) << error;
  ASSERT_EQ(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
  CURL* curl = curl_easy_init();
  ASSERT_NE(curl, nullptr);
  std::string body;
  const std::string url = std::string("file://") + DISTILL_SOURCE_DIR + "/CMakeLists.txt";
  curl_slist* headers = curl_slist_append(nullptr, "X-Test: 1");
  ASSERT_NE(headers, nullptr);
  EXPECT_EQ(curl_easy_setopt(curl, CURLOPT_URL, url.c_str()), CURLE_OK);
  EXPECT_EQ(curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers), CURLE_OK);
  EXPECT_EQ(curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Collect), CURLE_OK);
  EXPECT_EQ(curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body), CURLE_OK);
  EXPECT_EQ(curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L), CURLE_OK);
  EXPECT_EQ(curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(1) << 40),
            CURLE_OK);
  EXPECT_EQ(curl_easy_setopt(curl, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(10)),
            CURLE_OK);
  ASSERT_EQ(curl_easy_perform(curl), CURLE_OK);
  // Resumed at byte 10: the file's text without its first ten bytes.
  EXPECT_EQ(body.rfind("project(", 0), std::string::npos);
  EXPECT_NE(body.find("project(distill"), std::string::npos);
  curl_off_t downloaded = 0;
  EXPECT_EQ(curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &downloaded), CURLE_OK);
  EXPECT_EQ(downloaded, static_cast<curl_off_t>(body.size()));
  EXPECT_STREQ(curl_easy_strerror(CURLE_OK), "No error");
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
}

}  // namespace
}  // namespace distill
