// What a model gives the scenario runner (design §8, §9), and the registry
// models join by name with their parameter schema.
//
// This header (library sim_scenario_model) is the one part of sim/scenario
// that models include: it names only node, history and check types, so a
// model still cannot reach the engine, the world or Lua (ADR 0008). Each
// model folder has one registration file that defines its Register
// function; the CLI calls them in a fixed order into the registry it passes
// to the runner, with no static initialisers to be dropped by the linker.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "sim/check/convergence.h"
#include "sim/check/result.h"
#include "sim/core/status.h"
#include "sim/history/history.h"
#include "sim/node/cluster.h"
#include "sim/scenario/spec.h"

namespace faultline::scenario {

// One model parameter: `--set name=value` and `params = { name = ... }`.
struct ParamSpec {
  enum Kind : uint8_t { kChoice, kDuration, kInt, kBool };
  std::string name;
  Kind kind = kChoice;
  std::string default_value;
  std::vector<std::string> choices;  // kChoice
  int64_t min = 0, max = 0;          // kInt; kDuration in milliseconds (max 0: no upper bound)
  std::string help;
  std::string Expected() const;      // "one of raft, lease, lww, crdt", "a duration like 250ms"...
};

// Parameter values, validated against a schema: every name known, every
// value of its kind; the getters then cannot fail.
class Params {
 public:
  static Result<Params> Validate(const std::vector<ParamSpec>& schema,
                                 const absl::btree_map<std::string, std::string>& given);
  const std::string& Get(std::string_view name) const;
  Duration GetDuration(std::string_view name) const;
  int64_t GetInt(std::string_view name) const;
  bool GetBool(std::string_view name) const;
  const absl::btree_map<std::string, std::string>& all() const { return values_; }

 private:
  absl::btree_map<std::string, std::string> values_;
};

// One check's verdict over a finished run, with its evidence in lines a
// person can read (operation indices, keys, virtual times, replicas).
struct CheckOutcome {
  std::string name;
  Verdict verdict = Verdict::kUnknown;
  bool liveness = false;            // a failure exits 4, not 1
  std::string message;              // one line
  std::vector<std::string> evidence;
  std::vector<size_t> ops;          // history indices the evidence points at
  int64_t first_violation_ns = -1;  // virtual time of the earliest evidence
};

// What the runner tells a model about the run when it checks.
struct RunFacts {
  int64_t workload_end_ns = 0;  // no operation starts after this
  int64_t heal_ns = 0;          // every fault undone
  int64_t end_ns = 0;
};

// A duration option of a check (`within`, `bound`), or `otherwise` when
// absent; an error names the check and the option when it is not a
// positive duration. Models call it from validate and from Check alike.
Result<Duration> DurationOption(const CheckSpec& check, std::string_view name, Duration otherwise);

// The budget of a check's linearizability search, from its options
// `steps` (search steps over all partitions) and `memory` (MiB of search
// tables), else the defaults below. Never wall time: the same run reaches
// the same verdict on any machine (ADR 0016). Beyond the budget the check
// is unknown, with the reason in its message. An error names the check
// and the option.
inline constexpr uint64_t kDefaultSearchSteps = 100'000'000;  // seconds, not minutes
inline constexpr uint64_t kDefaultSearchMiB = 1024;
Result<CheckBudget> SearchBudget(const CheckSpec& check);
inline bool IsSearchBudgetOption(std::string_view name) { return name == "steps" || name == "memory"; }

// A convergence check as models report it (kv's `converges`, matching's
// `profiles_converge`): the sampled replicas agree within `within` of the
// quiet point, max(heal, workload end). Liveness: a failure exits 4.
CheckOutcome ConvergesOutcome(std::string name, const std::vector<StatesAt>& samples, const RunFacts& facts,
                              Duration within, size_t max_evidence);

// One built cluster of a model, for one run.
class ModelRun {
 public:
  virtual ~ModelRun() = default;
  // The nodes faults may target (not the clients), in a fixed order.
  virtual std::vector<NodeId> servers() const = 0;
  // The node holding `role` ("leader", "primary") now, if one does.
  virtual std::optional<NodeId> InRole(std::string_view role) = 0;
  // Called every sample period: the model records replica states.
  virtual void Sample(int64_t now_ns) = 0;
  virtual const History& history() const = 0;
  // The named check over the finished run. kInvalidArgument for a check
  // the model does not have, or a bad option.
  virtual Result<CheckOutcome> Check(const CheckSpec& check, const RunFacts& facts) = 0;
};

// What a model's builder gets.
struct ModelContext {
  Cluster& cluster;
  const Params& params;
  const WorkloadSpec& workload;
  int nodes = 0;
  Time workload_stop;  // clients start no operation at or after this
};

struct ModelEntry {
  std::string name;
  std::string description;
  std::vector<ParamSpec> params;
  std::vector<std::string> checks;      // the checks it can run
  std::vector<std::string> operations;  // the workload mix's keys
  int min_nodes = 1, max_nodes = 9;
  // The names a scenario may give faults (ModelRun::servers() of a build
  // with these params and nodes); null: r1..rN.
  std::function<std::vector<std::string>(const Params&, int nodes)> server_names;
  // Combinations the schema cannot express (a check that needs a mode);
  // null: none. The message says what is needed.
  std::function<Status(const Params&, const std::vector<CheckSpec>&)> validate;
  std::function<Result<std::unique_ptr<ModelRun>>(ModelContext&)> build;
};

class ModelRegistry {
 public:
  void Add(ModelEntry entry);
  const ModelEntry* Find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  absl::btree_map<std::string, ModelEntry, std::less<>> entries_;
};

}  // namespace faultline::scenario
