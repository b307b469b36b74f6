// A client node of the kit's `crdt` mode: a closed loop over registers
// ("reg:K": write, read), add-wins sets ("set:K": add, remove, read) and
// counters ("ctr:K": incr, read), recorded as the crdt-merge checker reads
// them (sim/check/crdt_merge.h). Written values and added elements are
// unique, so the final state names the operations it came from.
#pragma once

#include "models/kit/kv_workload.h"

namespace faultline::kit {

class CrdtWorkload final : public Service {
 public:
  CrdtWorkload(Env& env, HistoryRecorder& history, KitConfig config, int index, KvWorkloadOptions options);
  void Run() override;

 private:
  Env& env_;
  KvWorkloadOptions options_;
  Client client_;
  KvCaller caller_;
  uint64_t seq_ = 0;
  absl::btree_map<std::string, std::vector<std::string>> added_;  // set key -> elements this client added
};

}  // namespace faultline::kit
