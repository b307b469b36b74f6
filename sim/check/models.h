// The models the linearizability checker knows, by name (design §7,
// docs/checkers.md). A model is pure: Init, Step, Hash, Describe over a
// small State (wgl.h). Adding one is one file in sim/check/models/ with a
// Register call in models.cc.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/check/result.h"
#include "sim/core/status.h"
#include "sim/history/history.h"

namespace faultline {

struct ModelOptions {
  std::optional<Value> init;  // --init: the initial value, where the model has one
};

// Checks operations of one partition with one model. Errors: an operation
// the model does not understand (kInvalidArgument naming it).
using PartitionChecker = std::function<Result<PartitionResult>(
    const std::vector<const Operation*>& ops, const ModelOptions& options,
    const CheckBudget& budget)>;

struct ModelInfo {
  std::string name;
  std::string summary;   // one line for --help and docs
  bool partition_by_key; // P-compositionality: keys are independent
  PartitionChecker check;
};

const std::vector<ModelInfo>& Models();
// Error lists the known names.
Result<const ModelInfo*> FindModel(std::string_view name);

// Checks `ops` for linearizability with `model`: split by key if the model
// allows, each partition searched separately, every partition decided
// unless budget.fail_fast.
Result<CheckResult> CheckLinearizable(const std::vector<Operation>& ops, const ModelInfo& model,
                                      const ModelOptions& options, const CheckBudget& budget);

// "op 12 (process 3): cas [0 4] -> ok" for evidence.
std::string DescribeOperation(const Operation& op);

}  // namespace faultline
