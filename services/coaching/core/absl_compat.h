#pragma once

// Debian's Abseil has its own absl::string_view (not an alias of
// std::string_view), so StrCat/StrJoin do not take std::string_view. Convert
// explicitly with Av().

#include <string_view>

#include "absl/strings/string_view.h"

namespace cs::coaching {

inline absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }

}  // namespace cs::coaching
