#pragma once

namespace distill {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace distill
