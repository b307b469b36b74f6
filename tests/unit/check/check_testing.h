// For the checker's tests: a history's text to a checker result, as
// `faultline check` does it (read, pair, find the model, check).
#pragma once

#include <string>
#include <string_view>

#include "sim/check/models.h"
#include "sim/history/formats.h"

namespace faultline::testing {

inline Result<CheckResult> CheckText(std::string_view text, std::string source,
                                     std::string_view model_name, const CheckBudget& budget = {}) {
  Result<History> h = ReadHistory(text, std::move(source));
  if (!h.ok()) return h.status();
  Result<std::vector<Operation>> ops = PairOperations(*h);
  if (!ops.ok()) return ops.status();
  Result<const ModelInfo*> model = FindModel(model_name);
  if (!model.ok()) return model.status();
  return CheckLinearizable(*ops, **model, {}, budget);
}

}  // namespace faultline::testing
