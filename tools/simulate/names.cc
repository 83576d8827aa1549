#include "tools/simulate/names.h"

namespace cs::simulate {

const std::vector<std::string_view>& FirstNames() {
  static const auto* v = new std::vector<std::string_view>{
      "Avery",  "Blake",   "Camila", "Dana",    "Elena",  "Farid",  "Grace",   "Hiro",
      "Imani",  "Jonas",   "Keira",  "Liam",    "Maya",   "Nikhil", "Olivia",  "Pavel",
      "Quinn",  "Rosa",    "Sami",   "Tariq",   "Uma",    "Victor", "Wren",    "Ximena",
      "Yusuf",  "Zoe",     "Aiden",  "Bianca",  "Carlos", "Divya",  "Ethan",   "Fatima",
      "Gabriel", "Hannah", "Ian",    "Jasmine", "Kofi",   "Lena",   "Mateo",   "Nora",
      "Omar",   "Priya",   "Rafael", "Sofia",   "Theo",   "Valeria", "Wei",    "Yara",
      "Andre",  "Beatriz", "Chen",   "Daniela", "Emeka",  "Freya",  "Gustavo", "Hana",
      "Isaac",  "Julia",   "Kenji",  "Lucia",
  };
  return *v;
}

const std::vector<std::string_view>& LastNames() {
  static const auto* v = new std::vector<std::string_view>{
      "Abbott",   "Banerjee", "Castillo", "Dubois",  "Eriksen",  "Fischer", "Garcia",  "Haddad",
      "Ibrahim",  "Jensen",   "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov",
      "Quintero", "Rossi",    "Schmidt",  "Tanaka",  "Umarov",   "Varga",   "Walsh",   "Xu",
      "Yilmaz",   "Zhang",    "Almeida",  "Brennan", "Costa",    "Delgado", "Evans",   "Ferreira",
      "Gallagher", "Horvath", "Iversen",  "Jovanovic", "Kim",    "Larsen",  "Mendes",  "Novak",
      "Olsen",    "Patel",    "Reyes",    "Sato",    "Torres",   "Usman",   "Vasquez", "Weber",
      "Young",    "Zimmerman", "Akhtar",  "Bauer",   "Chopra",   "Dimitrov", "Eze",    "Fontaine",
      "Greco",    "Hughes",   "Ivanova",  "Keller",
  };
  return *v;
}

const std::vector<std::string_view>& CompanyPrefixes() {
  static const auto* v = new std::vector<std::string_view>{
      "Northwind", "Bluefin",  "Cedar",    "Driftwood", "Evergreen", "Foxglove", "Granite",
      "Harbor",    "Ironwood", "Juniper",  "Keystone",  "Lakeside",  "Meridian", "Nimbus",
      "Oakridge",  "Pinnacle", "Quarry",   "Redwood",   "Summit",    "Tidewater", "Umber",
      "Vantage",   "Willow",   "Yellowtail", "Zephyr",  "Aspen",     "Beacon",   "Copper",
      "Delta",     "Ember",    "Falcon",   "Glacier",   "Horizon",   "Indigo",   "Jasper",
      "Kestrel",   "Lumen",    "Maple",    "Nova",      "Orchid",
  };
  return *v;
}

const std::vector<std::string_view>& CompanySuffixes() {
  static const auto* v = new std::vector<std::string_view>{
      "Logistics", "Health",   "Foods",     "Analytics", "Robotics",  "Energy",   "Retail",
      "Capital",   "Labs",     "Freight",   "Systems",   "Dental",    "Insurance", "Media",
      "Pharma",    "Holdings", "Software",  "Brewing",   "Outdoors",  "Textiles", "Motors",
      "Clinics",   "Partners", "Manufacturing", "Telecom", "Apparel", "Biotech",  "Hotels",
      "Security",  "Education",
  };
  return *v;
}

const std::vector<std::string_view>& DealTails() {
  static const auto* v = new std::vector<std::string_view>{
      "New Business", "Platform Expansion", "Pilot", "Annual Renewal Upsell", "Team Rollout",
      "Enterprise Tier", "Multi-year Agreement", "Department Add-on", "Starter Package",
      "Analytics Module",
  };
  return *v;
}

}  // namespace cs::simulate
