// A client node of the kit's `crdt` mode: a closed loop over registers
// ("reg:K": write, read), add-wins sets ("set:K": add, remove, read) and
// counters ("ctr:K": incr, read), recorded as the crdt-merge checker reads
// them (sim/check/crdt_merge.h). Written values and added elements are
// unique, so the final state names the operations it came from.
#pragma once

#include "models/kit/kv_workload.h"

namespace faultline::kit {

class CrdtWorkload final : public KitClient {
 public:
  CrdtWorkload(Env& env, HistoryRecorder& history, KitConfig config, int index, KvWorkloadOptions options)
      : KitClient(env, history, config, index, options) {}
  void Run() override;

 private:
  absl::btree_map<std::string, std::vector<std::string>> added_;  // set key -> elements this client added
};

}  // namespace faultline::kit
