// kv-append (shared/histories/README.md): a map from string keys to string
// values, every key initially "": get k returns the value, put k v sets
// it, append k v concatenates v. Keys are independent, so the history is
// checked key by key.
#pragma once

#include "sim/check/models.h"

namespace faultline {

ModelInfo KvAppendModel();

}  // namespace faultline
