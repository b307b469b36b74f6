// A client node of the kit's KV: a closed loop of get / put / cas / delete
// on a few keys, through sim/workload's Client (retries, one token per
// operation, honest outcomes), recorded for the checkers as the `kv` model
// reads it: read, write (delete is a write of nil), cas [old new]. Every
// written value is unique (node name and sequence), so a read names the
// write it saw.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "absl/container/btree_map.h"
#include "models/kit/kv.pb.h"
#include "models/kit/replica.h"
#include "sim/workload/client.h"

namespace faultline::kit {

struct KvWorkloadOptions {
  int keys = 3;
  // Key popularity: 0 uniform; above 0 zipfian with this exponent, key k0
  // the most popular (conflicts concentrate there, as in real workloads).
  double zipf_exponent = 0;
  // Relative weights of get, put, cas and delete (KvWorkload; the CRDT
  // workload keeps its own mix).
  std::array<int64_t, 4> mix{4, 3, 1, 2};
  Duration think = Duration::Millis(20);   // between operations, jittered
  Duration attempt = Duration::Millis(100);
  // Each operation starts at the client's home replica (client i: replica
  // i mod n) and follows NOT_HERE hints from there, like a client that
  // talks to its nearest replica, instead of staying with whichever
  // replica answered last. Clients stay spread over the replicas, so two
  // replicas that both act as primary both get traffic.
  bool start_at_home = false;
  RetryPolicy retry;
  // Process numbering: client i is i, i + stride after an info, ... At
  // least the number of clients (kv_model.cc raises it), or they collide.
  int64_t stride = 100;
  // No operation starts at or after this virtual time: the workload
  // quiesces, so that convergence can be judged (a harness schedule, not a
  // service decision, hence virtual time).
  Time stop = Time::Max();
};

// Sends one attempt of a request to the replica it currently targets and
// classifies the answer for Client. It moves on to the next replica (or
// the one a NOT_HERE hints at) only when the attempt certainly had no
// effect, or was a read; after an unknown write it retries the same
// replica, whose token memory answers a retry of an applied write.
class KvCaller {
 public:
  KvCaller(Env& env, const KitConfig& config, size_t first, Duration attempt);
  Attempt Try(const KvRequest& req, Duration remaining, KvResponse* answer);
  // After an operation ended unknown (info): the next one, a new
  // operation with no token to honour, tries the next replica rather than
  // the one that could not answer.
  void MoveOn() { target_ = (target_ + 1) % replicas_.size(); }
  void GoHome() { target_ = home_; }

 private:
  Env& env_;
  Duration attempt_;
  std::vector<NodeId> replicas_;
  size_t home_, target_;
};

// This client's first process number for this boot of its node: index,
// then index + stride after each info (Client), and a fresh range after
// each restart (a boot counter on the client's own disk), so a restarted
// client never reuses a process or an idempotency token (a process is a
// token's session, sim/workload/token.h). nullopt if this boot could not
// be recorded (the disk failed, or the node crashed): such a client must
// run no operation, as its numbers could repeat an earlier boot's.
// REQUIRES: 0 <= index < stride.
std::optional<int64_t> FirstProcess(Env& env, int index, int64_t stride);

// What the kit's workloads share: the client, the caller, the pacing.
class KitClient : public Service {
 protected:
  // `index` numbers the client (0-based); its home replica is index % n.
  KitClient(Env& env, HistoryRecorder& history, const KitConfig& config, int index, KvWorkloadOptions options);
  // Sleeps a jittered think time; false once the workload should stop
  // (its node crashed, or options.stop passed).
  bool Think();
  // The next operation's key, drawn by options.keys and zipf_exponent.
  std::string NextKey();

  Env& env_;
  KvWorkloadOptions options_;
  std::optional<int64_t> first_process_;  // nullopt: no operation may run (FirstProcess)
  Client client_;
  KvCaller caller_;
  uint64_t seq_ = 0;

 private:
  std::vector<uint64_t> key_cdf_;  // zipfian: cumulative integer weights; empty: uniform
};

class KvWorkload final : public KitClient {
 public:
  KvWorkload(Env& env, HistoryRecorder& history, KitConfig config, int index, KvWorkloadOptions options)
      : KitClient(env, history, config, index, options) {}
  void Run() override;

 private:
  size_t PickOp();  // an index into options.mix: get, put, cas, delete
  absl::btree_map<std::string, std::string> last_seen_;  // key -> the value this client last saw
};

}  // namespace faultline::kit
