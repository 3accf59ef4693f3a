#include "frontend/stage_graph.h"

#include <gtest/gtest.h>

namespace distill::frontend {
namespace {

TEST(StageGraphTest, ReachableFollowsDependencies) {
  // 0 <- 1 <- 3, 2 alone.
  std::vector<std::vector<int>> deps = {{}, {0}, {}, {1}};
  EXPECT_EQ(ReachableStages(deps, 3), (std::vector<bool>{true, true, false, true}));
  EXPECT_EQ(ReachableStages(deps, 2), (std::vector<bool>{false, false, true, false}));
  EXPECT_EQ(ReachableStages(deps, 7), (std::vector<bool>{false, false, false, false}));
}

TEST(StageGraphTest, OrderPutsDependenciesFirst) {
  std::vector<std::vector<int>> deps = {{2}, {}, {1}, {0, 1}};
  std::vector<std::string> names = {"a", "b", "c", "d"};
  auto order = TopologicalOrder(deps, {true, true, true, true}, names);
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(*order, (std::vector<int>{1, 2, 0, 3}));
  EXPECT_EQ(StageWaves(deps, *order), (std::vector<int>{2, 0, 1, 3}));
}

TEST(StageGraphTest, OrderSkipsExcludedStages) {
  std::vector<std::vector<int>> deps = {{}, {}, {0}};
  auto order = TopologicalOrder(deps, {true, false, true}, {"a", "b", "c"});
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(*order, (std::vector<int>{0, 2}));
}

TEST(StageGraphTest, IndependentStagesShareAWave) {
  std::vector<std::vector<int>> deps = {{}, {}, {}, {0, 1, 2}};
  auto order = TopologicalOrder(deps, {true, true, true, true}, {"a", "b", "c", "d"});
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(StageWaves(deps, *order), (std::vector<int>{0, 0, 0, 1}));
}

TEST(StageGraphTest, CycleIsAnErrorNamingTheStages) {
  std::vector<std::vector<int>> deps = {{}, {2}, {3}, {1}};
  auto order = TopologicalOrder(deps, {true, true, true, true}, {"a", "b", "c", "d"});
  ASSERT_FALSE(order.ok());
  EXPECT_EQ(order.status().message(), "cycle between build stages: b -> c -> d -> b");
  auto self = TopologicalOrder({{0}}, {true}, {"x"});
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.status().message(), "cycle between build stages: x -> x");
}

}  // namespace
}  // namespace distill::frontend
