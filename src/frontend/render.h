// Human and machine views of a Plan (`distill build --dry-run`).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "dockerfile/instructions.h"
#include "frontend/plan.h"

namespace distill::frontend {

// One step as it would run, arguments expanded: "COPY --from=build /out ./".
std::string DescribeCommand(const dockerfile::Command& command);

// Stages in run order (with what each needs and which may run together), each
// step with its line and expanded arguments; then the skipped stages and why,
// and any warnings.
std::string RenderPlanText(const Plan& plan);

nlohmann::json CommandToJson(const dockerfile::Command& command);
nlohmann::json ConfigToJson(const ImageConfig& config);
nlohmann::json PlanToJson(const Plan& plan);

}  // namespace distill::frontend
