#include "models/kit/kv_model.h"

#include <algorithm>

#include "models/kit/crdt_replica.h"
#include "models/kit/make_replica.h"
#include "models/kit/crdt_workload.h"
#include "models/kit/kv_workload.h"
#include "models/kit/lease_replica.h"
#include "models/kit/lww_replica.h"
#include "models/kit/raft_replica.h"
#include "sim/check/convergence.h"
#include "sim/check/crdt_merge.h"
#include "sim/check/lost_writes.h"
#include "sim/check/lww_rule.h"
#include "sim/check/models.h"
#include "sim/check/session.h"
#include "sim/check/split_brain.h"
#include "sim/core/strings.h"

namespace faultline::kit {
namespace {

using scenario::CheckOutcome;
using scenario::CheckSpec;
using scenario::ModelContext;
using scenario::ParamSpec;
using scenario::Params;

constexpr size_t kMaxEvidence = 20;  // lines per check; the counts say how many there were

std::string Ms(int64_t ns) { return FormatDuration(Duration::Nanos(ns)); }

class KvRun final : public scenario::ModelRun {
 public:
  explicit KvRun(ModelContext& ctx) : cluster_(ctx.cluster), mode_(ctx.params.Get("mode")) {
    config_.replicas = ctx.nodes;
    KvWorkloadOptions w;
    w.keys = ctx.workload.keys;
    w.stride = std::max<int64_t>(w.stride, ctx.workload.clients);  // process numbers never collide
    w.think = ctx.workload.think;
    if (ctx.workload.rate_per_s > 0) w.think = Duration::Seconds(1) * ctx.workload.clients / ctx.workload.rate_per_s;
    w.zipf_exponent = ctx.workload.distribution == "zipfian" ? ctx.workload.zipf_exponent : 0;
    const char* ops[] = {"get", "put", "cas", "delete"};
    for (size_t i = 0; i < 4; ++i) {
      if (auto it = ctx.workload.mix.find(ops[i]); it != ctx.workload.mix.end()) w.mix[i] = it->second;
    }
    w.start_at_home = true;
    w.stop = ctx.workload_stop;
    const Params params = ctx.params;
    for (int i = 0; i < ctx.nodes; ++i) {
      replicas_.push_back(cluster_.AddNode(config_.ReplicaName(i), [this, params](Env& env) {
        return std::unique_ptr<Service>(MakeReplica(env, config_, ReplicaChoiceFrom(params, params.Get("mode"))));
      }));
    }
    const bool crdt = mode_ == "crdt";
    for (int i = 0; i < ctx.workload.clients; ++i) {
      cluster_.AddNode(Cat("c", i + 1), [this, i, w, crdt](Env& env) -> std::unique_ptr<Service> {
        if (crdt) return std::make_unique<CrdtWorkload>(env, history_, config_, i, w);
        return std::make_unique<KvWorkload>(env, history_, config_, i, w);
      });
    }
  }

  std::vector<NodeId> servers() const override { return replicas_; }

  std::optional<NodeId> InRole(std::string_view role) override {
    for (NodeId id : replicas_) {
      auto* r = dynamic_cast<Replica*>(cluster_.service(id));
      if (r == nullptr) continue;
      const Role now = r->role();
      // leader() and primary() both name the node acting as the one that
      // orders writes: raft's leader, the lease's primary.
      if ((role == "leader" || role == "primary") && (now == Role::kLeader || now == Role::kPrimary)) return id;
    }
    return std::nullopt;
  }

  void Sample(int64_t now_ns) override { samples_.push_back(SampleReplicas(cluster_, replicas_, now_ns)); }

  const History& history() const override { return history_.history(); }

  Result<CheckOutcome> Check(const CheckSpec& check, const scenario::RunFacts& facts) override {
    Result<std::vector<Operation>> ops = PairOperations(history());
    if (!ops.ok()) return ops.status();
    CheckOutcome out;
    out.name = check.name;
    if (check.name == "linearizable") return Linearizable(check, *ops, out);
    if (check.name == "converges") return Converges(check, facts);
    if (check.name == "split_brain") return SplitBrainCheck(*ops, out);
    if (check.name == "no_lost_writes") return LostWrites(*ops, out);
    if (check.name == "session") return Sessions(*ops, out);
    if (check.name == "lww_rule") return LwwRule(*ops, out);
    if (check.name == "crdt_merge") return CrdtMerge(*ops, out);
    return InvalidArgument(Cat("the kv model has no check \"", check.name, "\""));
  }

 private:
  static CheckOutcome Unknown(CheckOutcome out, std::string why) {
    out.verdict = Verdict::kUnknown;
    out.message = std::move(why);
    return out;
  }
  void Evidence(CheckOutcome& out, std::string line) const {
    if (out.evidence.size() < kMaxEvidence) out.evidence.push_back(std::move(line));
  }
  void FirstAt(CheckOutcome& out, size_t op_id, const std::vector<Operation>& ops) const {
    const Op& at = history().ops[static_cast<size_t>(ops[op_id].invoke_index)];
    if (out.first_violation_ns < 0 || at.time_ns < out.first_violation_ns) out.first_violation_ns = at.time_ns;
    out.ops.push_back(static_cast<size_t>(ops[op_id].invoke_index));
  }

  Result<CheckOutcome> Linearizable(const CheckSpec& check, const std::vector<Operation>& ops, CheckOutcome out) const {
    Result<CheckBudget> budget = scenario::SearchBudget(check);
    if (!budget.ok()) return budget.status();
    Result<CheckResult> r = CheckLinearizable(ops, **FindModel("kv"), {}, *budget);
    if (!r.ok()) return r.status();
    out.verdict = r->verdict;
    size_t bad = 0;
    std::vector<std::string> undecided;
    for (const PartitionResult& p : r->partitions) {
      if (p.verdict == Verdict::kUnknown) {
        undecided.push_back(Cat("key ", p.key, " (", p.unknown_reason, " after ", p.steps, " steps)"));
        Evidence(out, Cat("key ", p.key, ": undecided, ", p.unknown_reason, " after ", p.steps,
                          " steps over ", p.operations, " operations"));
      }
      if (p.verdict != Verdict::kViolation) continue;
      ++bad;
      Evidence(out, Cat("key ", p.key, ": no linearization; ", p.longest_prefix.size(), " operations order, then stuck at:"));
      for (size_t id : p.stuck) {
        Evidence(out, Cat("  ", DescribeOperation(ops[id])));
        FirstAt(out, id, ops);
      }
    }
    if (out.verdict == Verdict::kOk) {
      out.message = Cat(ops.size(), " operations linearizable");
    } else if (out.verdict == Verdict::kViolation) {
      out.message = Cat(bad, " of ", r->partitions.size(), " keys not linearizable");
    } else {  // raise the check's `steps` or `memory` option to decide it
      out.message = UndecidedMessage(undecided, r->partitions.size(), "keys");
    }
    return out;
  }

  Result<CheckOutcome> Converges(const CheckSpec& check, const scenario::RunFacts& facts) const {
    Result<Duration> within = scenario::DurationOption(check, "within", Duration::Seconds(1));
    if (!within.ok()) return within.status();
    return scenario::ConvergesOutcome(check.name, samples_, facts, *within, kMaxEvidence);
  }

  Result<CheckOutcome> SplitBrainCheck(const std::vector<Operation>& ops, CheckOutcome out) const {
    SplitBrainResult r = CheckSplitBrain(RoleSpans(samples_), history(), ops);
    out.verdict = r.verdict;
    out.message = r.message;
    for (const SplitBrain& s : r.found) {
      Evidence(out, Cat(s.a, " and ", s.b, " both acted as leader from ", Ms(s.from_ns), " to ", Ms(s.to_ns),
                        "; writes acknowledged: ", DescribeOperation(ops[s.write_a]), " / ", DescribeOperation(ops[s.write_b])));
      FirstAt(out, s.write_a, ops);
      FirstAt(out, s.write_b, ops);
    }
    return out;
  }

  const ReplicaState* FinalState() const {
    if (samples_.empty()) return nullptr;
    for (const ReplicaState& r : samples_.back().replicas) {
      if (r.up) return &r;
    }
    return nullptr;
  }

  Result<CheckOutcome> LostWrites(const std::vector<Operation>& ops, CheckOutcome out) const {
    const ReplicaState* last = FinalState();
    if (last == nullptr) return Unknown(out, "no replica was up at the end");
    LostWritesResult r = CheckNoLostWrites(ops, last->values);
    out.verdict = r.verdict;
    out.message = r.message;
    for (const LostWrite& l : r.lost) {
      if (l.how == LostWrite::kConcurrent) continue;  // reported in the message, not a violation
      Evidence(out, Cat("key ", l.key, ": ", DescribeOperation(ops[l.op]),
                        l.how == LostWrite::kEarlier ? " lost to an earlier write" : " vanished"));
      FirstAt(out, l.op, ops);
    }
    for (const std::string& k : r.phantoms) Evidence(out, Cat("key ", k, ": a final value no write wrote"));
    return out;
  }

  Result<CheckOutcome> Sessions(const std::vector<Operation>& ops, CheckOutcome out) const {
    SessionResult r = CheckSessions(ops);
    out.verdict = r.verdict;
    out.message = r.message;
    for (const SessionViolation& v : r.violations) {
      Evidence(out, Cat(GuaranteeName(v.guarantee), ", process ", v.process, ", key ", v.key, ": ", v.why));
      if (!v.ops.empty()) FirstAt(out, v.ops[0], ops);
    }
    return out;
  }

  Result<CheckOutcome> LwwRule(const std::vector<Operation>& ops, CheckOutcome out) const {
    const ReplicaState* last = FinalState();
    if (last == nullptr) return Unknown(out, "no replica was up at the end");
    LwwRuleResult r = CheckLwwRule(ops, *last);
    out.verdict = r.verdict;
    out.message = r.message;
    for (const LwwRuleProblem& p : r.problems) {
      Evidence(out, Cat("key ", p.key, ": ", p.why));
      if (!p.ops.empty()) FirstAt(out, p.ops[0], ops);
    }
    return out;
  }

  Result<CheckOutcome> CrdtMerge(const std::vector<Operation>& ops, CheckOutcome out) const {
    for (NodeId id : replicas_) {
      auto* r = dynamic_cast<CrdtReplica*>(cluster_.service(id));
      if (r == nullptr) continue;
      CrdtMergeResult m = CheckCrdtMerge(ops, r->Values());
      out.verdict = m.verdict;
      out.message = Cat(cluster_.sim().NodeName(id), ": ", m.message);
      for (const CrdtProblem& p : m.problems) {
        Evidence(out, Cat("key ", p.key, ": ", p.why));
        if (!p.ops.empty()) FirstAt(out, p.ops[0], ops);
      }
      return out;
    }
    return Unknown(out, "no replica was up at the end");
  }

  Cluster& cluster_;
  std::string mode_;
  KitConfig config_;
  HistoryRecorder history_{"kit"};
  std::vector<NodeId> replicas_;
  std::vector<StatesAt> samples_;
};

Status Validate(const Params& p, const std::vector<CheckSpec>& checks) {
  const std::string& mode = p.Get("mode");
  const std::string& bug = p.Get("bug");
  for (const CheckSpec& c : checks) {
    for (const auto& option : c.options) {
      if (c.name == "linearizable" && scenario::IsSearchBudgetOption(option.first)) {
        if (Result<CheckBudget> b = scenario::SearchBudget(c); !b.ok()) return b.status();
        continue;
      }
      if (c.name != "converges" || option.first != "within") {
        return InvalidArgument(Cat("check ", c.name, " has no option \"", option.first, "\"",
                                   c.name == "converges"       ? "; its option: within"
                                   : c.name == "linearizable" ? "; its options: steps, memory"
                                                              : "; it takes none"));
      }
      if (Result<Duration> d = scenario::DurationOption(c, option.first, Duration::Zero()); !d.ok()) return d.status();
    }
    if (c.name == "crdt_merge" && mode != "crdt") return InvalidArgument("check crdt_merge needs mode = \"crdt\"");
    if (c.name == "lww_rule" && mode != "lww") return InvalidArgument("check lww_rule needs mode = \"lww\"");
    if (mode == "crdt" && (c.name == "linearizable" || c.name == "no_lost_writes" || c.name == "session")) {
      return InvalidArgument(Cat("check ", c.name, " reads the kv history; mode crdt records set and counter operations (use crdt_merge)"));
    }
  }
  if (bug != "none" && bug.rfind(mode, 0) != 0) {
    return InvalidArgument(Cat("bug ", bug, " is a bug of another mode than ", mode));
  }
  return Status::Ok();
}

}  // namespace

ReplicaChoice ReplicaChoiceFrom(const scenario::Params& p, std::string mode) {
  ReplicaChoice c;
  c.mode = std::move(mode);
  c.lease_guard = p.GetDuration("lease_guard");
  c.lease_duration = p.GetDuration("lease_duration");
  c.anti_entropy = p.GetDuration("anti_entropy");
  c.hlc = p.Get("clock") == "hlc";
  c.snapshot_every = static_cast<uint64_t>(p.GetInt("snapshot_every"));
  c.bug = p.Get("bug");
  return c;
}

void RegisterKvModel(scenario::ModelRegistry& registry) {
  scenario::ModelEntry e;
  e.name = "kv";
  e.description = "the consistency kit's replicated key-value store, in raft, lease, lww or crdt mode";
  e.params = {
      {"mode", ParamSpec::kChoice, "raft", {"raft", "lease", "lww", "crdt"}, 0, 0, "the replication mode"},
      {"clock", ParamSpec::kChoice, "hlc", {"wall", "hlc"}, 0, 0, "lww: the timestamp source"},
      {"lease_guard", ParamSpec::kDuration, "100ms", {}, 0, 0, "lease: the clock error the lease tolerates"},
      {"lease_duration", ParamSpec::kDuration, "300ms", {}, 1, 0, "lease: how long a granted lease lasts"},
      {"anti_entropy", ParamSpec::kDuration, "200ms", {}, 1, 0, "lww, crdt: the period of the anti-entropy exchange"},
      {"snapshot_every", ParamSpec::kInt, "1000", {}, 0, 1000000000, "raft: compact the log every this many applied entries (0: never)"},
      {"bug",
       ParamSpec::kChoice,
       "none",
       {"none", "raft_double_vote", "raft_ack_before_fsync", "lease_no_guard", "lww_no_tiebreak",
        "crdt_merge_not_idempotent"},
       0,
       0,
       "a planted bug (issue 4), for showing that the checks find it"},
  };
  e.checks = {"linearizable", "converges", "split_brain", "no_lost_writes", "session", "lww_rule", "crdt_merge"};
  e.operations = {"get", "put", "cas", "delete"};
  e.min_nodes = 1;
  e.max_nodes = 9;
  e.validate = Validate;
  e.build = [](ModelContext& ctx) -> Result<std::unique_ptr<scenario::ModelRun>> {
    return std::unique_ptr<scenario::ModelRun>(std::make_unique<KvRun>(ctx));
  };
  registry.Add(std::move(e));
}

}  // namespace faultline::kit
