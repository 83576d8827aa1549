#pragma once

// HTML text escaping for the 1:1 pack: every piece of data that reaches the
// page (names, rationales, deal names, notes) goes through HtmlEscape.

#include <string>
#include <string_view>

namespace cs::coachctl {

// Escapes & < > " ' so the result is safe in element content and in quoted
// attribute values (also inside inline SVG).
std::string HtmlEscape(std::string_view text);

}  // namespace cs::coachctl
