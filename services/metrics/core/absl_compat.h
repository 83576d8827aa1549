#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace cs::metrics {

// Debian's absl::string_view is its own type, not std::string_view: Abseil
// heterogeneous lookups and StrCat need this conversion.
inline absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

}  // namespace cs::metrics
