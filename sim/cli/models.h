// Every model this binary can run, registered once in a fixed order.
#pragma once

#include "sim/scenario/model.h"

namespace faultline::cli {

const scenario::ModelRegistry& Models();

}  // namespace faultline::cli
