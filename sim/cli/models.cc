#include "sim/cli/models.h"

#include "models/kit/kv_model.h"
#include "models/matching/matching_model.h"

namespace faultline::cli {

const scenario::ModelRegistry& Models() {
  static const scenario::ModelRegistry* registry = [] {
    auto* r = new scenario::ModelRegistry;
    kit::RegisterKvModel(*r);
    matching::RegisterMatchingModel(*r);  // fraud and healthcare join here
    return r;
  }();
  return *registry;
}

}  // namespace faultline::cli
