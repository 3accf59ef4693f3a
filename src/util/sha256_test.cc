#include "util/sha256.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>
#include <string>

#include "util/sha256_compress.h"

namespace distill {
namespace {

std::string OpenSslHex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  std::string out;
  static const char kHex[] = "0123456789abcdef";
  for (unsigned i = 0; i < n; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

TEST(Sha256Test, KnownVectors) {
  // FIPS 180-4 examples and the NIST "million a".
  EXPECT_EQ(Sha256::HexOf(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256::HexOf("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256::HexOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256::HexOf("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                          "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(Sha256::HexOf(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, EmptyUpdatesWithoutDataChangeNothing) {
  Sha256 h;
  h.Update(nullptr, 0);
  h.Update("ab");
  h.Update(std::string_view());  // data() is null
  h.Update("c");
  EXPECT_EQ(h.FinishHex(), Sha256::HexOf("abc"));
}

TEST(Sha256Test, StreamingEqualsOneShotAndResets) {
  Sha256 h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(h.bytes(), 3u);
  EXPECT_EQ(h.FinishHex(), Sha256::HexOf("abc"));
  EXPECT_EQ(h.bytes(), 0u);
  EXPECT_EQ(h.FinishHex(), Sha256::HexOf(""));
}

// Every length around the padding boundaries (55/56/63/64 mod 64) and
// beyond, fed in random pieces, against OpenSSL.
TEST(Sha256Test, MatchesOpenSslForEveryLengthAndSplit) {
  std::mt19937 rng(7);
  std::string data(1200, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t len = 0; len <= data.size(); ++len) {
    std::string_view message(data.data(), len);
    Sha256 h;
    size_t at = 0;
    while (at < len) {
      size_t piece = std::min<size_t>(len - at, rng() % 150);
      h.Update(message.substr(at, piece));
      at += piece;
    }
    ASSERT_EQ(h.FinishHex(), OpenSslHex(message)) << "length " << len;
  }
}

// Both compression functions agree on many blocks (the SHA-extensions path
// only where this CPU has them).
TEST(Sha256Test, CompressionFunctionsAgree) {
  if (!sha256_internal::HasShaExtensions()) GTEST_SKIP() << "CPU without SHA extensions";
  std::mt19937 rng(11);
  std::string data(64 * 1000, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t blocks : {1, 2, 3, 17, 1000}) {
    uint32_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    sha256_internal::CompressPortable(a, reinterpret_cast<const uint8_t*>(data.data()), blocks);
    sha256_internal::CompressShaExtensions(b, reinterpret_cast<const uint8_t*>(data.data()),
                                           blocks);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(a), 32),
              std::string(reinterpret_cast<char*>(b), 32))
        << blocks << " blocks";
  }
}

}  // namespace
}  // namespace distill
