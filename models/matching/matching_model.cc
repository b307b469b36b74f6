#include "models/matching/matching_model.h"

#include <algorithm>
#include <memory>

#include "models/kit/crdt_replica.h"
#include "models/kit/kv_model.h"
#include "models/kit/lww_replica.h"
#include "models/kit/make_replica.h"
#include "models/matching/checks.h"
#include "models/matching/front.h"
#include "models/matching/workload.h"
#include "sim/check/convergence.h"
#include "sim/core/strings.h"

namespace faultline::matching {
namespace {

using scenario::CheckOutcome;
using scenario::CheckSpec;
using scenario::ModelContext;
using scenario::ParamSpec;
using scenario::Params;

constexpr size_t kMaxEvidence = 20;

class MatchingRun final : public scenario::ModelRun {
 public:
  explicit MatchingRun(ModelContext& ctx)
      : cluster_(ctx.cluster), catalog_(static_cast<int>(ctx.params.GetInt("developers"))) {
    const Params params = ctx.params;
    topology_.registry = {ctx.nodes, "reg"};
    topology_.profiles = {ctx.nodes, "pro"};
    topology_.clients = ctx.workload.clients;
    const std::string registry = params.Get("registry");
    const std::string profiles = params.Get("profiles");
    crdt_ = profiles == "crdt";
    for (int i = 0; i < ctx.nodes; ++i) {
      registry_.push_back(cluster_.AddNode(topology_.registry.ReplicaName(i), [this, registry, params](Env& env) {
        return std::unique_ptr<Service>(kit::MakeReplica(env, topology_.registry, kit::ReplicaChoiceFrom(params, registry)));
      }));
    }
    for (int i = 0; i < ctx.nodes; ++i) {
      profiles_.push_back(cluster_.AddNode(topology_.profiles.ReplicaName(i), [this, profiles, params](Env& env) {
        return std::unique_ptr<Service>(kit::MakeReplica(env, topology_.profiles, kit::ReplicaChoiceFrom(params, profiles)));
      }));
    }
    FrontOptions f;
    f.crdt = crdt_;
    f.refresh = params.GetDuration("refresh");
    f.max_age = params.GetDuration("max_age");
    f.bug_ignore_age = params.Get("bug") == "engine_ignores_age";
    f.bug_unexplained_bonus = params.Get("bug") == "score_unexplained_bonus";
    for (int64_t i = 0; i < params.GetInt("engines"); ++i) {
      topology_.fronts.push_back(Cat("e", i + 1));
      fronts_.push_back(cluster_.AddNode(topology_.fronts.back(), [this, f](Env& env) {
        return std::unique_ptr<Service>(std::make_unique<Front>(env, topology_.profiles, f));
      }));
    }
    MatchingWorkloadOptions w;
    w.crdt_profiles = crdt_;
    w.stride = std::max<int64_t>(w.stride, ctx.workload.clients);  // process numbers never collide
    w.hold = params.GetDuration("hold");
    w.think = ctx.workload.think;
    if (ctx.workload.rate_per_s > 0) w.think = Duration::Seconds(1) * ctx.workload.clients / ctx.workload.rate_per_s;
    if (auto it = ctx.workload.mix.find("profile"); it != ctx.workload.mix.end()) w.profile_weight = it->second;
    if (auto it = ctx.workload.mix.find("project"); it != ctx.workload.mix.end()) w.project_weight = it->second;
    w.stop = ctx.workload_stop;
    for (int i = 0; i < ctx.workload.clients; ++i) {
      cluster_.AddNode(Cat("c", i + 1), [this, i, w](Env& env) {
        return std::unique_ptr<Service>(std::make_unique<MatchingClient>(env, history_, catalog_, topology_, i, w));
      });
    }
  }

  std::vector<NodeId> servers() const override {
    std::vector<NodeId> all = registry_;
    all.insert(all.end(), profiles_.begin(), profiles_.end());
    all.insert(all.end(), fronts_.begin(), fronts_.end());
    return all;
  }

  std::optional<NodeId> InRole(std::string_view role) override {
    if (role != "leader" && role != "primary") return std::nullopt;
    for (NodeId id : registry_) {  // the role that matters here: who orders the registry's writes
      auto* r = dynamic_cast<kit::Replica*>(cluster_.service(id));
      if (r != nullptr && (r->role() == kit::Role::kLeader || r->role() == kit::Role::kPrimary)) return id;
    }
    return std::nullopt;
  }

  void Sample(int64_t now_ns) override { profile_samples_.push_back(kit::SampleReplicas(cluster_, profiles_, now_ns)); }

  const History& history() const override { return history_.history(); }

  Result<CheckOutcome> Check(const CheckSpec& check, const scenario::RunFacts& facts) override {
    Result<std::vector<Operation>> ops = PairOperations(history());
    if (!ops.ok()) return ops.status();
    CheckOutcome out;
    out.name = check.name;
    if (check.name == "no_double_booking") return Report(CheckNoDoubleBooking(history(), *ops), *ops, out);
    if (check.name == "linearizable") {
      Result<CheckBudget> budget = scenario::SearchBudget(check);
      if (!budget.ok()) return budget.status();
      Result<Findings> f = CheckRegistryLinearizable(*ops, *budget);
      if (!f.ok()) return f.status();
      return Report(std::move(*f), *ops, out);
    }
    if (check.name == "profiles_converge") return Converges(check, facts);
    if (check.name == "match_staleness") {
      Result<Duration> bound = scenario::DurationOption(check, "bound", Duration::Seconds(1));
      if (!bound.ok()) return bound.status();
      return Report(CheckMatchStaleness(history(), *ops, bound->nanos()), *ops, out);
    }
    if (check.name == "scores_explained") return Report(CheckScoresExplained(history(), *ops), *ops, out);
    if (check.name == "no_lost_profile_updates") {
      std::optional<absl::btree_map<std::string, std::string>> final = FinalProfiles();
      if (!final) {
        out.verdict = Verdict::kUnknown;
        out.message = "no profile replica was up at the end";
        return out;
      }
      return Report(CheckNoLostProfileUpdates(history(), *ops, *final), *ops, out);
    }
    return InvalidArgument(Cat("the matching model has no check \"", check.name, "\""));
  }

 private:
  CheckOutcome Report(Findings f, const std::vector<Operation>& ops, CheckOutcome out) const {
    out.verdict = f.verdict;
    out.message = std::move(f.message);
    for (Finding& x : f.found) {
      if (out.evidence.size() < kMaxEvidence) out.evidence.push_back(std::move(x.why));
      for (size_t id : x.ops) out.ops.push_back(static_cast<size_t>(ops[id].invoke_index));
      if (x.time_ns >= 0 && (out.first_violation_ns < 0 || x.time_ns < out.first_violation_ns)) {
        out.first_violation_ns = x.time_ns;
      }
    }
    return out;
  }

  Result<CheckOutcome> Converges(const CheckSpec& check, const scenario::RunFacts& facts) const {
    Result<Duration> within = scenario::DurationOption(check, "within", Duration::Seconds(1));
    if (!within.ok()) return within.status();
    return scenario::ConvergesOutcome(check.name, profile_samples_, facts, *within, kMaxEvidence);
  }

  // Each developer's final profile text, from the first profile replica up.
  std::optional<absl::btree_map<std::string, std::string>> FinalProfiles() const {
    for (NodeId id : profiles_) {
      Service* s = cluster_.service(id);
      absl::btree_map<std::string, std::string> out;
      if (auto* lww = dynamic_cast<kit::LwwReplica*>(s)) {
        for (const auto& [key, text] : lww->Snapshot().values) {
          if (key.rfind("dev/", 0) == 0) out[DeveloperOfKey(key)] = text;
        }
        return out;
      }
      if (auto* crdt = dynamic_cast<kit::CrdtReplica*>(s)) {
        const CrdtFinal f = crdt->Values();
        for (const auto& [key, elements] : f.sets) {
          if (key.rfind("set:dev/", 0) != 0) continue;
          const std::string k = key.substr(4);
          auto count = [&](std::string_view suffix) {
            auto it = f.counters.find(Cat("ctr:", k, suffix));
            return it == f.counters.end() ? int64_t{0} : it->second;
          };
          out[DeveloperOfKey(k)] = ProfileText(FromElements(elements, count(".stars"), count(".ratings")));
        }
        return out;
      }
    }
    return std::nullopt;
  }

  Cluster& cluster_;
  Catalog catalog_;
  Topology topology_;
  bool crdt_ = false;
  HistoryRecorder history_{"matching"};
  std::vector<NodeId> registry_, profiles_, fronts_;
  std::vector<StatesAt> profile_samples_;
};

Status Validate(const Params& p, const std::vector<CheckSpec>& checks) {
  for (const CheckSpec& c : checks) {
    for (const auto& option : c.options) {
      if (c.name == "linearizable" && scenario::IsSearchBudgetOption(option.first)) {
        if (Result<CheckBudget> b = scenario::SearchBudget(c); !b.ok()) return b.status();
        continue;
      }
      const bool known = (c.name == "profiles_converge" && option.first == "within") ||
                         (c.name == "match_staleness" && option.first == "bound");
      if (!known) {
        return InvalidArgument(Cat("check ", c.name, " has no option \"", option.first, "\"",
                                   c.name == "profiles_converge" ? "; its option: within"
                                   : c.name == "match_staleness" ? "; its option: bound"
                                   : c.name == "linearizable"    ? "; its options: steps, memory"
                                                                 : "; it takes none"));
      }
      if (Result<Duration> d = scenario::DurationOption(c, option.first, Duration::Zero()); !d.ok()) return d.status();
    }
  }
  if (p.Get("bug") == "lease_no_guard" && p.Get("registry") != "lease") {
    return InvalidArgument("bug lease_no_guard needs registry = \"lease\"");
  }
  return Status::Ok();
}

}  // namespace

void RegisterMatchingModel(scenario::ModelRegistry& registry) {
  scenario::ModelEntry e;
  e.name = "matching";
  e.description = "developer-project matching: profile store, intake and matching engines, assignment registry";
  e.params = {
      {"registry", ParamSpec::kChoice, "raft", {"raft", "lease", "lww"}, 0, 0, "the assignment registry's replication"},
      {"profiles", ParamSpec::kChoice, "crdt", {"lww", "crdt"}, 0, 0, "the profile store's replication"},
      {"developers", ParamSpec::kInt, "24", {}, 2, 500, "how many developers the catalog holds"},
      {"engines", ParamSpec::kInt, "2", {}, 1, 9, "front nodes (intake and matching engine)"},
      {"refresh", ParamSpec::kDuration, "100ms", {}, 1, 0, "how often an engine copies the profiles"},
      {"max_age", ParamSpec::kDuration, "1s", {}, 1, 0, "the oldest copy an engine matches from"},
      {"hold", ParamSpec::kDuration, "600ms", {}, 1, 0, "how long an assignment lasts before release"},
      {"clock", ParamSpec::kChoice, "hlc", {"wall", "hlc"}, 0, 0, "lww stores: the timestamp source"},
      {"lease_guard", ParamSpec::kDuration, "100ms", {}, 0, 0, "lease registry: the clock error it tolerates"},
      {"lease_duration", ParamSpec::kDuration, "300ms", {}, 1, 0, "lease registry: how long a lease lasts"},
      {"anti_entropy", ParamSpec::kDuration, "200ms", {}, 1, 0, "lww, crdt stores: anti-entropy period"},
      {"snapshot_every", ParamSpec::kInt, "1000", {}, 0, 1000000000, "raft registry: compact its log every this many applied entries (0: never)"},
      {"bug",
       ParamSpec::kChoice,
       "none",
       {"none", "engine_ignores_age", "score_unexplained_bonus", "lease_no_guard"},
       0,
       0,
       "a planted bug, for showing that the checks find it"},
  };
  e.checks = {"no_double_booking", "linearizable",   "profiles_converge", "match_staleness",
              "scores_explained",  "no_lost_profile_updates"};
  e.operations = {"profile", "project"};
  e.min_nodes = 1;
  e.max_nodes = 7;
  e.validate = Validate;
  e.server_names = [](const Params& p, int nodes) {
    std::vector<std::string> names;
    for (const char* prefix : {"reg", "pro"}) {
      for (int i = 0; i < nodes; ++i) names.push_back(Cat(prefix, i + 1));
    }
    for (int64_t i = 0; i < p.GetInt("engines"); ++i) names.push_back(Cat("e", i + 1));
    return names;
  };
  e.build = [](ModelContext& ctx) -> Result<std::unique_ptr<scenario::ModelRun>> {
    return std::unique_ptr<scenario::ModelRun>(std::make_unique<MatchingRun>(ctx));
  };
  registry.Add(std::move(e));
}

}  // namespace faultline::matching
