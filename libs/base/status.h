#pragma once

// Status propagation helpers for absl::Status / absl::StatusOr.

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CS_CONCAT_INNER_(a, b) a##b
#define CS_CONCAT_(a, b) CS_CONCAT_INNER_(a, b)

// Returns from the current function if `expr` is not OK.
#define CS_RETURN_IF_ERROR(expr)                     \
  do {                                               \
    ::absl::Status cs_status_ = (expr);              \
    if (!cs_status_.ok()) return cs_status_;         \
  } while (0)

// `lhs` = value of the StatusOr `rexpr`, or returns its status.
#define CS_ASSIGN_OR_RETURN(lhs, rexpr) \
  CS_ASSIGN_OR_RETURN_IMPL_(CS_CONCAT_(cs_statusor_, __LINE__), lhs, rexpr)
#define CS_ASSIGN_OR_RETURN_IMPL_(var, lhs, rexpr) \
  auto var = (rexpr);                              \
  if (!var.ok()) return std::move(var).status();   \
  lhs = std::move(var).value()
