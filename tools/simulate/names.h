#pragma once

// Fixed name lists for people, companies and contacts (synthetic; the
// domains use the reserved .example TLD).

#include <string_view>
#include <vector>

namespace cs::simulate {

const std::vector<std::string_view>& FirstNames();
const std::vector<std::string_view>& LastNames();
// Company names are "<prefix> <suffix>", e.g. "Northwind Logistics".
const std::vector<std::string_view>& CompanyPrefixes();
const std::vector<std::string_view>& CompanySuffixes();
// Opportunity name tails: "<company> - <tail>".
const std::vector<std::string_view>& DealTails();

}  // namespace cs::simulate
