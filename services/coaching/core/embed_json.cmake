# Compiles competencies.default.json into the coaching core, so the service
# runs without a library file (a customer's file replaces it at run time).
#   cmake -DINPUT=<json> -DOUTPUT=<cc> -P embed_json.cmake
file(READ "${INPUT}" content)
string(FIND "${content}" ")cs_json\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )cs_json\"")
endif()
set(head "// Generated from competencies.default.json by embed_json.cmake. Do not edit.\n")
string(APPEND head "#include \"services/coaching/core/competency_library.h\"\n\n")
string(APPEND head "namespace cs::coaching {\n\nstd::string_view DefaultCompetencyLibraryJson() {\n")
string(APPEND head "  static constexpr char kJson[] = R\"cs_json(")
set(tail ")cs_json\";\n  return std::string_view(kJson, sizeof(kJson) - 1);\n}\n\n}  // namespace cs::coaching\n")
file(WRITE "${OUTPUT}" "${head}${content}${tail}")
