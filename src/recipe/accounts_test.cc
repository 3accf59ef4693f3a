#include "recipe/accounts.h"

#include <gtest/gtest.h>

namespace distill::recipe {
namespace {

const AccountFiles kDistroless = {
    "root:x:0:0:root:/root:/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
    "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n",
    "root:x:0:\ntty:x:5:\nstaff:x:50:\nnobody:x:65534:\nnonroot:x:65532:\n"};

ImageRecipe WithAccounts(std::vector<RecipeGroup> groups, std::vector<RecipeUser> users) {
  ImageRecipe r;
  r.path = "r.yaml";
  r.groups = std::move(groups);
  r.users = std::move(users);
  return r;
}

TEST(AccountsTest, AppendsGroupsThenUsers) {
  RecipeUser app{"app", 1000, 1000, "/home/app", "/sbin/nologin"};
  RecipeUser solo{"solo", 1001, std::nullopt, "/srv/solo", "/bin/false"};
  RecipeUser staffer{"staffer", 1002, 50, "/home/staffer", "/sbin/nologin"};
  auto out = AddAccounts(kDistroless, WithAccounts({{"app", 1000}}, {app, solo, staffer}));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->passwd, kDistroless.passwd +
                             "app:x:1000:1000:app:/home/app:/sbin/nologin\n"
                             "solo:x:1001:1001:solo:/srv/solo:/bin/false\n"
                             "staffer:x:1002:50:staffer:/home/staffer:/sbin/nologin\n");
  EXPECT_EQ(out->group, kDistroless.group + "app:x:1000:\nsolo:x:1001:\n");
}

TEST(AccountsTest, ClashesWithTheBaseAreErrors) {
  struct Case {
    ImageRecipe recipe;
    const char* want;
  } cases[] = {
      {WithAccounts({}, {{"nonroot", 7, std::nullopt, "/h", "/s"}}), "user nonroot already exists"},
      {WithAccounts({}, {{"x", 65532, std::nullopt, "/h", "/s"}}), "uid 65532 of user x is taken"},
      {WithAccounts({{"staff", 9}}, {}), "group staff already exists"},
      {WithAccounts({{"g", 5}}, {}), "gid 5 of group g is taken by group tty"},
      {WithAccounts({}, {{"x", 9, 4242, "/h", "/s"}}), "no group has gid 4242"},
  };
  for (const auto& c : cases) {
    auto out = AddAccounts(kDistroless, c.recipe);
    ASSERT_FALSE(out.ok()) << c.want;
    EXPECT_NE(out.status().message().find(c.want), std::string::npos) << out.status().message();
    EXPECT_EQ(out.status().message().rfind("r.yaml: ", 0), 0u);
  }
}

TEST(AccountsTest, LookupOwner) {
  using P = std::pair<uint32_t, uint32_t>;
  EXPECT_EQ(*LookupOwner("", kDistroless), P(0, 0));
  EXPECT_EQ(*LookupOwner("nonroot", kDistroless), P(65532, 65532));
  EXPECT_EQ(*LookupOwner("nonroot:staff", kDistroless), P(65532, 50));
  EXPECT_EQ(*LookupOwner("65534", kDistroless), P(65534, 65534));
  EXPECT_EQ(*LookupOwner("4000", kDistroless), P(4000, 4000));
  EXPECT_EQ(*LookupOwner("4000:5", kDistroless), P(4000, 5));
  auto nobody = LookupOwner("ghost", kDistroless);
  ASSERT_FALSE(nobody.ok());
  EXPECT_NE(nobody.status().message().find("user \"ghost\""), std::string::npos);
  EXPECT_FALSE(LookupOwner("root:ghosts", kDistroless).ok());
}

}  // namespace
}  // namespace distill::recipe
