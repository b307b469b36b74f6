// Models for histories other than registers and kv-append (docs/checkers.md).
#pragma once

#include "sim/check/models.h"

namespace faultline {

ModelInfo CounterModel();
ModelInfo FifoQueueModel();
ModelInfo KvModel();
ModelInfo MutexModel();
ModelInfo SetModel();

}  // namespace faultline
