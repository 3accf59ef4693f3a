// End to end against the Debian mirror the host's apt uses: builds distroless
// images for Debian 12 into a temporary store, checks their structure, and runs
// payloads (python3, a C++ program) inside distill's sandbox on the extracted
// layers. Skipped, with the reason, when the mirror is unreachable; the
// sandbox runs need root. Packages are cached under the test temp dir (shared
// with the debian module's integration test), so reruns download nothing.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "archive/extract.h"
#include "archive/tar_reader.h"
#include "distroless/builder.h"
#include "exec/sandbox.h"
#include "store/image_store.h"
#include "util/file_system.h"

namespace distill::distroless {
namespace {

namespace fs = std::filesystem;

struct Node {
  archive::TarEntry entry;
  std::string content;  // for files under 4 MiB
};

class DistrolessBuildTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/distill-distroless-store-XXXXXX";
    root_ = new std::string(mkdtemp(tmpl));
    auto store = store::Store::Open(*root_, DefaultFileSystem());
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = store->release();
  }
  static void TearDownTestSuite() {
    delete store_;
    fs::remove_all(*root_);
    delete root_;
  }

  // Builds one image, or skips the test when the mirror cannot be reached.
  std::vector<BuiltImage> Build(Flavour flavour, std::vector<Variant> variants,
                                std::vector<std::string> tags = {}, int release = 12) {
    BuildRequest request;
    request.flavour = flavour;
    request.debian_release = release;
    request.variants = std::move(variants);
    request.tags = std::move(tags);
    request.cache_dir = ::testing::TempDir() + "/distill-debian-integration-cache";
    if (const char* mirror = std::getenv("DISTILL_DEBIAN_MIRROR")) request.mirror = mirror;
    auto built = BuildDistroless(*store_, request);
    if (!built.ok() && built.status().code() == Status::Code::kUnavailable) {
      skipped_ = "skipped: mirror unreachable: " + built.status().message();
      return {};
    }
    EXPECT_TRUE(built.ok()) << built.status().message();
    return built.ok() ? *built : std::vector<BuiltImage>{};
  }

  static store::StoredImage Image(const oci::Digest& digest) {
    auto image = store::ReadImageByDigest(*store_, digest, digest.str());
    EXPECT_TRUE(image.ok()) << image.status().message();
    return *image;
  }

  // Every entry of every layer (later layers win).
  static std::map<std::string, Node> Files(const oci::Digest& digest) {
    std::map<std::string, Node> files;
    auto image = Image(digest);
    auto layers = store::LayersOf(image);
    EXPECT_TRUE(layers.ok());
    for (const auto& layer : *layers) {
      auto tar_stream = store::OpenLayerTar(*store_, layer.descriptor);
      EXPECT_TRUE(tar_stream.ok());
      archive::TarReader tar(tar_stream->get());
      archive::TarEntry e;
      while (true) {
        auto more = tar.Next(&e);
        EXPECT_TRUE(more.ok()) << more.status().message();
        if (!more.ok() || !*more) break;
        Node node{e, {}};
        if (e.type == archive::TarEntryType::kFile && e.size < (4u << 20)) {
          char buf[65536];
          while (true) {
            auto n = tar.ReadContent(buf, sizeof buf);
            if (!n.ok() || *n == 0) break;
            node.content.append(buf, *n);
          }
        }
        files[e.path] = node;
      }
    }
    return files;
  }

  // The image's layers extracted into a fresh directory (removed by the caller).
  static std::string Extract(const oci::Digest& digest) {
    char tmpl[] = "/tmp/distill-distroless-rootfs-XXXXXX";
    std::string dir = mkdtemp(tmpl);
    chmod(dir.c_str(), 0755);
    auto image = Image(digest);
    auto layers = store::LayersOf(image);
    EXPECT_TRUE(layers.ok());
    for (const auto& layer : *layers) {
      auto tar_stream = store::OpenLayerTar(*store_, layer.descriptor);
      EXPECT_TRUE(tar_stream.ok()) << tar_stream.status().message();
      Status st = archive::ExtractTar(tar_stream->get(), dir);
      EXPECT_TRUE(st.ok()) << st.message();
    }
    return dir;
  }

  static exec::ExitStatus RunIn(const std::string& rootfs, std::vector<std::string> argv,
                                std::string* out, std::string* err,
                                std::vector<std::string> extra_env = {}) {
    exec::ProcessSpec spec;
    spec.rootfs = rootfs;
    spec.argv = std::move(argv);
    spec.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt", "LANG=C.UTF-8"};
    spec.env.insert(spec.env.end(), extra_env.begin(), extra_env.end());
    exec::RunOptions options;
    options.captured_stdout = out;
    options.captured_stderr = err;
    auto status = exec::Run(spec, options);
    EXPECT_TRUE(status.ok()) << status.status().message();
    return status.ok() ? *status : exec::ExitStatus{-1, 0};
  }

  // The payloads of the python3 flavour (which holds cc's libraries too):
  // python3 imports ssl, sqlite3, zlib, ctypes and makes a TLS context; a C++
  // program runs; the dynamic loader finds libraries through /etc/ld.so.cache.
  // `host_binary`: whether a program built by the host's g++ can run there
  // (not on bullseye, whose glibc 2.31 predates the host's symbol versions).
  static void CheckPython3Payloads(const oci::Digest& image, const std::string& python,
                                   bool host_binary) {
    auto config = Image(image).config;
    EXPECT_EQ(config.config.entrypoint, std::vector<std::string>{"/usr/bin/" + python});
    std::string rootfs = Extract(image);
    std::string out, err;
    auto status = RunIn(rootfs,
                        {"/usr/bin/python3", "-c",
                         "import ssl, sqlite3, zlib, ctypes, sys; ssl.create_default_context(); "
                         "sqlite3.connect(':memory:').execute('select 1'); "
                         "print(sys.version_info[:2])"},
                        &out, &err);
    EXPECT_TRUE(status.ok()) << err;
    std::string want = python.substr(std::string("python").size());  // "3.11"
    std::string major = want.substr(0, want.find('.')), minor = want.substr(want.find('.') + 1);
    EXPECT_EQ(out, "(" + major + ", " + minor + ")\n") << err;
    CheckLdSoCache(rootfs);
    if (host_binary && access("/usr/bin/g++", X_OK) == 0) {
      std::string src = ::testing::TempDir() + "/distroless-hello.cc";
      std::ofstream(src) << "#include <iostream>\n#include <string>\n#include <vector>\n"
                            "int main() { std::vector<std::string> v{\"cc\", \"ok\"};\n"
                            "  std::cout << v[0] + \" \" + v[1] << std::endl; }\n";
      std::string cmd = "/usr/bin/g++ -O1 -o " + rootfs + "/hello " + src;
      ASSERT_EQ(std::system(cmd.c_str()), 0);
      out.clear();
      err.clear();
      status = RunIn(rootfs, {"/hello"}, &out, &err);
      EXPECT_TRUE(status.ok()) << err;
      EXPECT_EQ(out, "cc ok\n") << err;
    }
    fs::remove_all(rootfs);
  }

  // /etc/ld.so.cache: glibc's ldconfig reads it and lists exactly what it
  // lists itself for the same tree, and the image's loader resolves a
  // library through it (LD_DEBUG shows no fallback to the search path —
  // which is what happens without the cache).
  static void CheckLdSoCache(const std::string& rootfs) {
    ASSERT_TRUE(fs::exists(rootfs + "/etc/ld.so.cache"));
    if (access("/sbin/ldconfig", X_OK) == 0) {
      // ldconfig -r reads ROOT/etc/ld.so.conf; distroless has none (no
      // libc-bin), and distill falls back to ld.so.conf.d/*.conf like this.
      std::ofstream(rootfs + "/etc/ld.so.conf") << "include /etc/ld.so.conf.d/*.conf\n";
      std::string ref = "/ldconfig-reference.cache";
      std::string cmd = "/sbin/ldconfig -X -r " + rootfs + " -C " + ref + " 2>/dev/null";
      EXPECT_EQ(std::system(cmd.c_str()), 0);
      std::string ours = LdconfigListing(rootfs + "/etc/ld.so.cache");
      EXPECT_GT(std::count(ours.begin(), ours.end(), '\n'), 10) << ours;
      EXPECT_EQ(ours, LdconfigListing(rootfs + ref));
      fs::remove(rootfs + ref);
      fs::remove(rootfs + "/etc/ld.so.conf");
    }
    std::string out, err;
    auto status = RunIn(
        rootfs,
        {"/usr/bin/python3", "-c", "import ctypes; ctypes.CDLL('libstdc++.so.6'); print('loaded')"},
        &out, &err, {"LD_DEBUG=libs"});
    EXPECT_TRUE(status.ok()) << err;
    EXPECT_EQ(out, "loaded\n") << err;
    EXPECT_NE(err.find("search cache=/etc/ld.so.cache"), std::string::npos) << err;
    EXPECT_EQ(err.find("system search path"), std::string::npos) << err;
  }

  static std::string LdconfigListing(const std::string& cache) {
    std::string cmd = "/sbin/ldconfig -p -C " + cache;
    FILE* pipe = popen(cmd.c_str(), "r");
    std::string out;
    if (pipe == nullptr) return out;
    char buf[512];
    while (fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
    pclose(pipe);
    // Only the entry lines: not the "N libs found" header, nor ldconfig's
    // own "Cache generated by" extension.
    std::string entries;
    size_t start = 0;
    while (start < out.size()) {
      size_t nl = out.find('\n', start);
      if (nl == std::string::npos) nl = out.size();
      if (out[start] == '\t') entries += out.substr(start, nl + 1 - start);
      start = nl + 1;
    }
    return entries;
  }

  static std::string* root_;
  static store::Store* store_;
  std::string skipped_;
};

std::string* DistrolessBuildTest::root_ = nullptr;
store::Store* DistrolessBuildTest::store_ = nullptr;

#define BUILD_OR_SKIP(var, ...)                    \
  auto var = Build(__VA_ARGS__);                   \
  if (!skipped_.empty()) GTEST_SKIP() << skipped_; \
  ASSERT_FALSE(var.empty())

TEST_F(DistrolessBuildTest, StaticStructure) {
  BUILD_OR_SKIP(built, Flavour::kStatic, {Variant::kLatest});
  EXPECT_EQ(built[0].tags, std::vector<std::string>{"gcr.io/distroless/static-debian12:latest"});
  std::cerr << "static-debian12: " << built[0].compressed_size << " bytes compressed\n";
  auto files = Files(built[0].manifest);
  EXPECT_EQ(files["etc/passwd"].content,
            "root:x:0:0:root:/root:/sbin/nologin\n"
            "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
            "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
  EXPECT_EQ(files["etc/group"].content,
            "root:x:0:\ntty:x:5:\nstaff:x:50:\nnobody:x:65534:\nnonroot:x:65532:\n");
  EXPECT_NE(files["etc/os-release"].content.find("PRETTY_NAME=\"Distroless\""), std::string::npos);
  EXPECT_TRUE(files.count("usr/share/zoneinfo/UTC"));
  EXPECT_TRUE(files.count("etc/services"));  // netbase
  EXPECT_TRUE(files.count("etc/mime.types"));
  EXPECT_EQ(files["tmp"].entry.mode, 01777u);
  EXPECT_EQ(files["root"].entry.mode, 0700u);
  EXPECT_EQ(files["home/nonroot"].entry.uid, 65532u);
  EXPECT_EQ(files["bin"].entry.type, archive::TarEntryType::kSymlink);
  EXPECT_EQ(files["bin"].entry.linkname, "usr/bin");
  for (const char* absent :
       {"bin/sh", "usr/bin/sh", "usr/bin/dash", "var/lib/dpkg/status", "usr/bin/dpkg",
        "usr/share/man", "usr/share/doc/tzdata/changelog.Debian.gz"}) {
    EXPECT_FALSE(files.count(absent)) << absent;
  }
  EXPECT_TRUE(files.count("usr/share/doc/tzdata/copyright"));
  int records = 0;
  for (const auto& [path, node] : files) {
    const std::string dir = "var/lib/dpkg/status.d/";
    if (path.rfind(dir, 0) != 0 || path.size() == dir.size()) continue;
    if (path.size() > 8 && path.substr(path.size() - 8) == ".md5sums") continue;
    ++records;
    EXPECT_EQ(node.content.rfind("Package: " + path.substr(dir.size()) + "\n", 0), 0u) << path;
    EXPECT_TRUE(files.count(path + ".md5sums")) << path;
  }
  EXPECT_GE(records, 4);
  for (const char* p : {"base-files", "netbase", "tzdata", "media-types"}) {
    EXPECT_TRUE(files.count(std::string("var/lib/dpkg/status.d/") + p)) << p;
  }
  // Google's static image: no C library, so no loader cache either.
  for (const char* p :
       {"var/lib/dpkg/status.d/libc6", "var/lib/dpkg/status.d/mawk", "etc/ld.so.cache"}) {
    EXPECT_FALSE(files.count(p)) << p;
  }
  // The CA bundle: many certificates, and openssl reads the first one.
  const std::string& bundle = files["etc/ssl/certs/ca-certificates.crt"].content;
  size_t count = 0;
  for (size_t at = bundle.find("-----BEGIN CERTIFICATE-----"); at != std::string::npos;
       at = bundle.find("-----BEGIN CERTIFICATE-----", at + 1)) {
    ++count;
  }
  EXPECT_GT(count, 100u);
  std::string pem_path = ::testing::TempDir() + "/distroless-bundle.pem";
  std::ofstream(pem_path) << bundle;
  if (access("/usr/bin/openssl", X_OK) == 0) {
    std::string cmd = "/usr/bin/openssl x509 -noout -subject -in " + pem_path + " >/dev/null";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
  }
  auto config = Image(built[0].manifest).config;
  EXPECT_EQ(config.config.user, "0");
  EXPECT_EQ(config.config.working_dir, "/");
  EXPECT_EQ(config.architecture, "amd64");
  EXPECT_EQ(config.os, "linux");
  EXPECT_EQ(config.config.env[1], "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt");
}

TEST_F(DistrolessBuildTest, StaticIsReproducible) {
  BUILD_OR_SKIP(first, Flavour::kStatic, {Variant::kNonroot}, {"repro:one"});
  BUILD_OR_SKIP(second, Flavour::kStatic, {Variant::kNonroot}, {"repro:two"});
  EXPECT_EQ(first[0].manifest, second[0].manifest);
  auto config = Image(first[0].manifest).config;
  EXPECT_EQ(config.config.user, "65532");
  EXPECT_EQ(config.config.working_dir, "/home/nonroot");
}

TEST_F(DistrolessBuildTest, BaseVariantsShareTheirLayer) {
  BUILD_OR_SKIP(built, Flavour::kBase, {Variant::kLatest, Variant::kNonroot, Variant::kDebug});
  ASSERT_EQ(built.size(), 3u);
  std::cerr << "base-debian12: " << built[0].compressed_size << " bytes compressed\n";
  auto latest = Image(built[0].manifest);
  auto nonroot = Image(built[1].manifest);
  auto debug = Image(built[2].manifest);
  EXPECT_EQ(latest.manifest.layers, nonroot.manifest.layers);
  ASSERT_EQ(debug.manifest.layers.size(), 2u);
  EXPECT_EQ(debug.manifest.layers[0], latest.manifest.layers[0]);
  EXPECT_EQ(nonroot.config.config.user, "65532");
  EXPECT_EQ(debug.config.config.entrypoint, std::vector<std::string>{"/busybox/sh"});
  auto files = Files(built[2].manifest);
  for (const char* p : {"var/lib/dpkg/status.d/libc6", "var/lib/dpkg/status.d/libssl3",
                        "usr/lib/x86_64-linux-gnu/libssl.so.3", "lib64", "busybox/busybox"}) {
    EXPECT_TRUE(files.count(p)) << p;
  }
  EXPECT_EQ(files["busybox/sh"].entry.linkname, "busybox");
  EXPECT_FALSE(files.count("usr/bin/sh"));
  if (geteuid() != 0) return;
  std::string rootfs = Extract(built[2].manifest);
  std::string out, err;
  auto status = RunIn(rootfs, {"/busybox/sh", "-c", "echo hi from busybox"}, &out, &err);
  EXPECT_TRUE(status.ok()) << err;
  EXPECT_EQ(out, "hi from busybox\n");
  fs::remove_all(rootfs);
}

TEST_F(DistrolessBuildTest, CcRunsADynamicCxxProgram) {
  if (geteuid() != 0) GTEST_SKIP() << "the sandbox needs root";
  if (access("/usr/bin/g++", X_OK) != 0) GTEST_SKIP() << "g++ is not installed";
  BUILD_OR_SKIP(built, Flavour::kCc, {Variant::kLatest});
  std::cerr << "cc-debian12: " << built[0].compressed_size << " bytes compressed\n";
  std::string rootfs = Extract(built[0].manifest);
  std::string src = ::testing::TempDir() + "/distroless-hello.cc";
  std::ofstream(src) << "#include <iostream>\n#include <string>\n#include <vector>\n"
                        "int main() { std::vector<std::string> v{\"cc\", \"ok\"};\n"
                        "  std::cout << v[0] + \" \" + v[1] << std::endl; }\n";
  std::string cmd = "/usr/bin/g++ -O1 -o " + rootfs + "/hello " + src;
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::string out, err;
  auto status = RunIn(rootfs, {"/hello"}, &out, &err);
  EXPECT_TRUE(status.ok()) << err;
  EXPECT_EQ(out, "cc ok\n");
  fs::remove_all(rootfs);
}

TEST_F(DistrolessBuildTest, Python3RunsWithSslAndSqlite) {
  if (geteuid() != 0) GTEST_SKIP() << "the sandbox needs root";
  BUILD_OR_SKIP(built, Flavour::kPython3, {Variant::kLatest});
  std::cerr << "python3-debian12: " << built[0].compressed_size << " bytes compressed\n";
  CheckPython3Payloads(built[0].manifest, "python3.11", true);
}

// Debian 11 and 13: static for the structure (merged /usr or not), python3
// for every payload (its closure holds cc's and base's libraries). The other
// flavours' package lists are the same recipe code with these packages.
class OtherReleaseTest : public DistrolessBuildTest, public ::testing::WithParamInterface<int> {};

TEST_P(OtherReleaseTest, StaticStructure) {
  const int release = GetParam();
  BUILD_OR_SKIP(built, Flavour::kStatic, {Variant::kNonroot, Variant::kDebug}, {}, release);
  ASSERT_EQ(built.size(), 2u);
  std::string name = "static-debian" + std::to_string(release);
  EXPECT_EQ(built[0].tags, std::vector<std::string>{"gcr.io/distroless/" + name + ":nonroot"});
  std::cerr << name << ": " << built[0].compressed_size << " bytes compressed\n";
  auto files = Files(built[0].manifest);
  EXPECT_EQ(files["etc/group"].content,
            "root:x:0:\ntty:x:5:\nstaff:x:50:\nnobody:x:65534:\nnonroot:x:65532:\n");
  EXPECT_NE(files["etc/os-release"].content.find("VERSION_ID=\"" + std::to_string(release) + "\""),
            std::string::npos)
      << files["etc/os-release"].content;
  EXPECT_TRUE(files.count("usr/share/zoneinfo/UTC"));
  EXPECT_TRUE(files.count("etc/services"));
  EXPECT_TRUE(files.count("etc/mime.types"));
  EXPECT_TRUE(files.count("var/lib/dpkg/status.d/media-types"));
  EXPECT_FALSE(files.count("var/lib/dpkg/status.d/perl-base"));
  EXPECT_FALSE(files.count("var/lib/dpkg/status.d/libc6"));
  EXPECT_FALSE(files.count("etc/ld.so.cache"));  // nothing to cache in a static image
  EXPECT_GT(files["etc/ssl/certs/ca-certificates.crt"].content.size(), 100000u);
  if (release >= 12) {
    EXPECT_EQ(files["bin"].entry.type, archive::TarEntryType::kSymlink);
    EXPECT_EQ(files["bin"].entry.linkname, "usr/bin");
  } else {
    EXPECT_NE(files["bin"].entry.type, archive::TarEntryType::kSymlink);
  }
  for (const char* absent : {"bin/sh", "usr/bin/sh", "var/lib/dpkg/status", "usr/share/man"}) {
    EXPECT_FALSE(files.count(absent)) << absent;
  }
  auto config = Image(built[0].manifest).config;
  EXPECT_EQ(config.config.user, "65532");
  EXPECT_EQ(config.config.working_dir, "/home/nonroot");
  // The debug variant's busybox (each release's own build of it) works.
  if (geteuid() != 0) return;
  std::string rootfs = Extract(built[1].manifest);
  std::string out, err;
  auto status = RunIn(rootfs, {"/busybox/sh", "-c", "echo debug ok"}, &out, &err);
  EXPECT_TRUE(status.ok()) << err;
  EXPECT_EQ(out, "debug ok\n");
  fs::remove_all(rootfs);
}

TEST_P(OtherReleaseTest, Python3Payloads) {
  if (geteuid() != 0) GTEST_SKIP() << "the sandbox needs root";
  const int release = GetParam();
  BUILD_OR_SKIP(built, Flavour::kPython3, {Variant::kLatest}, {}, release);
  std::cerr << "python3-debian" << release << ": " << built[0].compressed_size
            << " bytes compressed\n";
  CheckPython3Payloads(built[0].manifest, release == 11 ? "python3.9" : "python3.13",
                       release >= 12);
}

INSTANTIATE_TEST_SUITE_P(Debian, OtherReleaseTest, ::testing::Values(11, 13),
                         [](const auto& p) { return "debian" + std::to_string(p.param); });

}  // namespace
}  // namespace distill::distroless
