#include "builder/base_sources.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <vector>

#include "util/file_system.h"

namespace distill::builder {
namespace {

class BaseSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "distill-bases-XXXXXX";
    dir_ = ::mkdtemp(tmpl.data());
    store_ = std::move(store::Store::Open(dir_ + "/store", DefaultFileSystem())).value();
  }
  void TearDown() override {
    store_.reset();
    (void)DefaultFileSystem()->RemoveTree(dir_);
  }
  // A source that records its calls and knows only `known`.
  BaseMaker Source(const std::string& label, const std::string& known) {
    return [this, label, known](store::Store&, const std::string& name) -> Result<oci::Digest> {
      calls_.push_back(label + ":" + name);
      if (name == known) return oci::Digest::Of(label);
      return Status::NotFound(label + " has no " + name);
    };
  }
  std::vector<std::string> Run(const BaseMakers& m, const std::string& name, bool refresh) {
    calls_.clear();
    const BaseMaker& f = refresh ? m.refresh_base : m.make_base;
    if (f) (void)f(*store_, name);
    return calls_;
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::vector<std::string> calls_;
};

using Calls = std::vector<std::string>;

TEST_F(BaseSourcesTest, AutoTriesDebianThenTheRegistry) {
  auto m = ComposeBaseSources(BaseSource::kAuto, PullPolicy::kMissing, Source("deb", "debian:12"),
                              Source("reg", "alpine:3"));
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->refresh_base);
  EXPECT_EQ(Run(*m, "debian:12", false), (Calls{"deb:debian:12"}));
  EXPECT_EQ(Run(*m, "alpine:3", false), (Calls{"deb:alpine:3", "reg:alpine:3"}));
}

TEST_F(BaseSourcesTest, DebianErrorsOtherThanNotFoundStopTheChain) {
  BaseMaker broken = [](store::Store&, const std::string&) -> Result<oci::Digest> {
    return Status::Io("mirror down");
  };
  auto m = ComposeBaseSources(BaseSource::kAuto, PullPolicy::kMissing, broken,
                              Source("reg", "debian:12"));
  ASSERT_TRUE(m.ok());
  auto r = m->make_base(*store_, "debian:12");
  EXPECT_EQ(r.status().code(), Status::Code::kIo);
  EXPECT_TRUE(calls_.empty());
}

TEST_F(BaseSourcesTest, PolicyChoosesTheSources) {
  auto deb = Source("deb", "x"), reg = Source("reg", "x");
  auto never = ComposeBaseSources(BaseSource::kAuto, PullPolicy::kNever, deb, reg);
  ASSERT_TRUE(never.ok());
  EXPECT_EQ(Run(*never, "x", false), (Calls{"deb:x"}));
  auto registry = ComposeBaseSources(BaseSource::kRegistry, PullPolicy::kMissing, deb, reg);
  EXPECT_EQ(Run(*registry, "x", false), (Calls{"reg:x"}));
  auto store_only = ComposeBaseSources(BaseSource::kStore, PullPolicy::kMissing, deb, reg);
  EXPECT_FALSE(store_only->make_base);
  EXPECT_FALSE(store_only->refresh_base);
  auto debian = ComposeBaseSources(BaseSource::kDebian, PullPolicy::kMissing, deb, reg);
  EXPECT_EQ(Run(*debian, "x", false), (Calls{"deb:x"}));
  auto always = ComposeBaseSources(BaseSource::kAuto, PullPolicy::kAlways, deb, reg);
  ASSERT_TRUE(always.ok());
  EXPECT_EQ(Run(*always, "x", true), (Calls{"reg:x"}));
  EXPECT_EQ(Run(*always, "y", false), (Calls{"deb:y"}));  // the registry was asked already
}

TEST_F(BaseSourcesTest, ContradictionsAreRefused) {
  auto deb = Source("deb", "x"), reg = Source("reg", "x");
  EXPECT_FALSE(ComposeBaseSources(BaseSource::kStore, PullPolicy::kAlways, deb, reg).ok());
  EXPECT_FALSE(ComposeBaseSources(BaseSource::kDebian, PullPolicy::kAlways, deb, reg).ok());
  EXPECT_FALSE(ComposeBaseSources(BaseSource::kRegistry, PullPolicy::kNever, deb, reg).ok());
  EXPECT_FALSE(ParseBaseSource("docker").ok());
  EXPECT_EQ(*ParsePullPolicy("always"), PullPolicy::kAlways);
  EXPECT_FALSE(ParsePullPolicy("sometimes").ok());
}

}  // namespace
}  // namespace distill::builder
