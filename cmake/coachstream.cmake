# One way to make every coachstream target (after redpanda's v_library):
# C++20, our warnings as errors, a namespaced alias, include root at the repo.
#
#   cs_library(NAME base SRCS a.cc b.cc DEPS absl::status)   -> cs::base
#   cs_executable(NAME ingest SRCS main.cc DEPS cs::ingest_core)
#   cs_test(NAME base_test SRCS x_test.cc DEPS cs::base [LABELS unit])

set(CS_WARNINGS -Wall -Wextra -Werror -Wno-unused-parameter)

function(_cs_common target)
  target_compile_options(${target} PRIVATE ${CS_WARNINGS})
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()

function(cs_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  set(target cs_${ARG_NAME})
  if(ARG_SRCS)
    add_library(${target} STATIC ${ARG_SRCS})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} PUBLIC ${ARG_DEPS})
    _cs_common(${target})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} INTERFACE ${ARG_DEPS})
  endif()
  add_library(cs::${ARG_NAME} ALIAS ${target})
endfunction()

function(cs_executable)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS})
  target_include_directories(${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
  _cs_common(${ARG_NAME})
endfunction()

# Tests run from the build tree; integration tests find binaries through
# the CS_BIN_DIR environment variable set here.
function(cs_test)
  cmake_parse_arguments(ARG "" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_include_directories(${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
  _cs_common(${ARG_NAME})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
  set_tests_properties(${ARG_NAME} PROPERTIES
    LABELS "${ARG_LABELS}"
    TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "CS_BIN_DIR=${PROJECT_BINARY_DIR}/bin;CS_SOURCE_DIR=${PROJECT_SOURCE_DIR};CS_FIXTURES_DIR=${CS_FIXTURES_DIR}")
endfunction()

set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
