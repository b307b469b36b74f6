#include "sim/scenario/runner.h"

#include <algorithm>
#include <memory>

#include "absl/container/btree_set.h"

#include "sim/core/strings.h"
#include "sim/node/cluster.h"
#include "sim/scenario/api.h"
#include "sim/scenario/nemesis.h"
#include "sim/scenario/units.h"

namespace faultline::scenario {
namespace {

// Applies scenario faults to the world: resolves node references, keeps
// clients connected to every side of a partition, and hands back how to
// undo what it did (for `lasting`).
class Applier {
 public:
  Applier(World& world, ModelRun& model, std::vector<NodeId> servers, const ScenarioSpec& spec,
          std::vector<std::string>* skipped)
      : world_(world), model_(model), servers_(std::move(servers)), region_latency_(spec.region_latency), skipped_(skipped) {
    std::vector<NodeId> all = world_.nodes();
    for (NodeId n : all) {
      if (std::find(servers_.begin(), servers_.end(), n) == servers_.end()) clients_.push_back(world_.sim().NodeName(n));
    }
    for (const auto& [region, names] : spec.regions) {
      for (const std::string& name : names) {
        if (Result<NodeId> id = world_.FindNode(name); id.ok()) region_[id->value] = region;
      }
    }
  }

  // The topology, not a fault: servers in different regions are
  // region_latency apart. Clients are near every server.
  void SetUpRegions() {
    for (NodeId a : servers_) {
      for (NodeId b : servers_) {
        if (a != b && Region(a) != Region(b)) world_.network().SetLink(a, b, Base(a, b));
      }
    }
  }

  // Applies `f` now; returns the undo, or null when there is none.
  absl::AnyInvocable<void()> Apply(const Fault& f) {
    std::vector<NodeId> nodes;
    for (const NodeRef& r : f.nodes) {
      std::optional<NodeId> id = Resolve(r);
      if (!id) return Skip(f, r);
      nodes.push_back(*id);
    }
    Switchboard& sw = world_.faults();
    const std::string& k = f.kind;
    if (k.rfind("partition.", 0) == 0 || k == "split_brain") return Partition(f, nodes);
    if (k == "heal") {
      (void)sw.Heal();
      cut_ = false;
      return nullptr;
    }
    const NodeId n = nodes.empty() ? NodeId() : nodes[0];
    if (k == "crash") {
      const CrashDisk d = f.option == "torn" ? CrashDisk::kTorn : CrashDisk::kLoseUnsynced;
      (void)sw.Crash(n, d);
      return [this, n] { (void)world_.faults().Restart(n); };
    }
    if (k == "restart") return Just(f, sw.Restart(n));
    if (k == "pause") {
      (void)sw.Pause(n);
      return [this, n] { (void)world_.faults().Resume(n); };
    }
    if (k == "resume") return Just(f, sw.Resume(n));
    if (k == "clock.skew") {
      (void)sw.Skew(n, f.amount);
      return [this, n] { (void)world_.faults().Skew(n, Duration::Zero()); };
    }
    if (k == "clock.jump") return Just(f, sw.Jump(n, f.amount));
    if (k == "clock.drift") {
      (void)sw.Drift(n, f.number);
      return [this, n] { (void)world_.faults().Drift(n, 0); };
    }
    if (k == "link.clog") return Just(f, sw.Clog(nodes[0], nodes[1], f.amount));
    if (k == "link.degrade") return Degrade(f, nodes[0], nodes[1]);
    if (k == "disk.corrupt") {
      return Just(f, sw.Corrupt(n, NewestFile(n, f.option), static_cast<uint64_t>(f.number), static_cast<uint32_t>(f.bit)));
    }
    if (k == "disk.slow" || k == "disk.full") disk_faulted_.insert(n.value);
    if (k == "disk.slow") {
      (void)sw.SlowDisk(n, f.amount);
      return [this, n] { (void)world_.faults().SlowDisk(n, Duration::Zero()); };
    }
    if (k == "disk.full") {
      (void)sw.FullDisk(n, f.number != 0);
      return [this, n] { (void)world_.faults().FullDisk(n, false); };
    }
    SIM_ASSERT_MSG(false, "a fault kind the API made but the runner does not know");
    return nullptr;
  }

  // The final phase: every fault undone but clock offsets.
  void HealAll() {
    Switchboard& sw = world_.faults();
    if (cut_) (void)sw.Heal();
    for (NodeId n : world_.nodes()) {
      // Each does nothing (and records nothing) unless the node is paused
      // or down.
      (void)sw.Resume(n);
      (void)sw.Restart(n);
    }
    for (const auto& [a, b] : degraded_) (void)sw.SetLink(NodeId(a), NodeId(b), Base(NodeId(a), NodeId(b)));
    degraded_.clear();
    for (uint32_t n : disk_faulted_) {
      (void)sw.FullDisk(NodeId(n), false);
      (void)sw.SlowDisk(NodeId(n), Duration::Zero());
    }
  }

 private:
  // A fault with no undo; one the switchboard refused (a corrupt bit past
  // what the file has synced) is reported as skipped, with its reason.
  absl::AnyInvocable<void()> Just(const Fault& f, const Status& s) {
    if (!s.ok()) return Skip(f, s.message());
    return nullptr;
  }

  // `name` if the node has that file, else the newest generation of a log
  // kept as name.1, name.2, ... (the kit's RecordLog), else `name` (and the
  // switchboard's refusal says there is no such file).
  std::string NewestFile(NodeId n, const std::string& name) const {
    std::string best = name;
    uint64_t newest = 0;
    for (const std::string& file : world_.disk(n).List()) {
      if (file == name) return name;
      if (file.size() <= name.size() + 1 || file.compare(0, name.size() + 1, name + ".") != 0) continue;
      Result<int64_t> g = ParseInteger(std::string_view(file).substr(name.size() + 1));
      if (g.ok() && *g > 0 && static_cast<uint64_t>(*g) > newest) {
        newest = static_cast<uint64_t>(*g);
        best = file;
      }
    }
    return best;
  }

  std::string Region(NodeId n) const {
    auto it = region_.find(n.value);
    return it == region_.end() ? std::string() : it->second;
  }
  // The link a->b has when no fault touches it.
  LinkConfig Base(NodeId a, NodeId b) const {
    LinkConfig c;
    const std::string ra = Region(a), rb = Region(b);
    if (!ra.empty() && !rb.empty() && ra != rb) c.latency = LatencyModel::Constant(region_latency_);
    return c;
  }

  absl::AnyInvocable<void()> Degrade(const Fault& f, NodeId a, NodeId b) {
    LinkConfig c = Base(a, b);
    if (!f.latency.empty()) {
      const auto [lo, hi] = *ParseDurationRange(f.latency);  // validated by the API
      c.latency = lo == hi ? LatencyModel::Constant(lo) : LatencyModel::Uniform(lo, hi);
    }
    if (!f.loss.empty()) c.loss = *Probability::Parse(f.loss);
    if (!f.duplicate.empty()) c.duplicate = *Probability::Parse(f.duplicate);
    (void)world_.faults().SetLink(a, b, c);
    degraded_.insert({a.value, b.value});
    return [this, a, b] {
      (void)world_.faults().SetLink(a, b, Base(a, b));
      degraded_.erase({a.value, b.value});
    };
  }

  std::optional<NodeId> Resolve(const NodeRef& r) {
    if (!r.role.empty()) return model_.InRole(r.role);
    Result<NodeId> id = world_.FindNode(r.name);
    if (!id.ok()) return std::nullopt;
    return *id;
  }

  absl::AnyInvocable<void()> Skip(const Fault& f, const NodeRef& r) {
    return Skip(f, r.role.empty() ? Cat("no node ", r.name) : Cat("no node is ", r.role, " now"));
  }
  absl::AnyInvocable<void()> Skip(const Fault& f, const std::string& why) {
    skipped_->push_back(Cat(FormatTime(world_.sim().now()), ": ", f.Lua(), " skipped: ", why));
    return nullptr;
  }

  std::string Name(NodeId n) const { return world_.sim().NodeName(n); }

  // Server groups, each with every client added.
  absl::AnyInvocable<void()> Groups(std::vector<std::vector<std::string>> groups) {
    for (auto& g : groups) g.insert(g.end(), clients_.begin(), clients_.end());
    (void)world_.faults().PartitionNamed(groups);
    cut_ = true;
    return [this] { (void)world_.faults().Heal(); };
  }

  absl::AnyInvocable<void()> Partition(const Fault& f, const std::vector<NodeId>& nodes) {
    std::vector<std::string> names;
    for (NodeId n : servers_) names.push_back(Name(n));
    const std::string& k = f.kind;
    const size_t n = names.size();
    if (k == "partition.halves") {
      const size_t half = n / 2;
      return Groups({{names.begin(), names.begin() + static_cast<std::ptrdiff_t>(half)},
                     {names.begin() + static_cast<std::ptrdiff_t>(half), names.end()}});
    }
    if (k == "partition.isolate" || k == "split_brain") {
      NodeId alone = nodes.empty() ? NodeId() : nodes[0];
      if (k == "split_brain") {
        std::optional<NodeId> leader = model_.InRole("leader");
        if (!leader) return Skip(f, NodeRef{"", "leader"});
        alone = *leader;
        // Its clock runs behind by `amount`, so it believes its lease for
        // that much longer than the nodes that granted it.
        (void)world_.faults().Skew(alone, Duration::Zero() - f.amount);
      }
      std::vector<std::string> rest;
      for (const std::string& s : names) {
        if (s != Name(alone)) rest.push_back(s);
      }
      return Groups({{Name(alone)}, rest});
    }
    if (k == "partition.bridge") {
      if (n < 3) return Skip(f, "a bridge needs three servers");
      const size_t mid = n / 2;
      return Groups({{names.begin(), names.begin() + static_cast<std::ptrdiff_t>(mid) + 1},
                     {names.begin() + static_cast<std::ptrdiff_t>(mid), names.end()}});
    }
    if (k == "partition.majority_ring") {
      if (n < 4) return Skip(f, "a majorities ring needs four servers");
      // Nodes share a group iff their ring distance is at most d.
      const size_t d = (n / 2 + 1) / 2;
      std::vector<std::vector<std::string>> groups;
      for (size_t i = 0; i < n; ++i) {
        std::vector<std::string> g;
        for (size_t j = 0; j <= d; ++j) g.push_back(names[(i + j) % n]);
        groups.push_back(std::move(g));
      }
      return Groups(std::move(groups));
    }
    if (k == "partition.one_way") {
      (void)world_.faults().OneWay(nodes[0], nodes[1]);
      cut_ = true;
      return [this] { (void)world_.faults().Heal(); };
    }
    // partition.groups: servers named; any server named in no group is cut off alone.
    std::vector<std::vector<std::string>> groups;
    for (const auto& g : f.groups) {
      std::vector<std::string> names_g;
      for (const NodeRef& r : g) {
        std::optional<NodeId> id = Resolve(r);
        if (!id) return Skip(f, r);
        names_g.push_back(Name(*id));
      }
      groups.push_back(std::move(names_g));
    }
    return Groups(std::move(groups));
  }

  World& world_;
  ModelRun& model_;
  std::vector<NodeId> servers_;
  std::vector<std::string> clients_;
  Duration region_latency_;
  absl::btree_map<uint32_t, std::string> region_;  // server id -> region
  absl::btree_set<std::pair<uint32_t, uint32_t>> degraded_;  // links a fault changed
  std::vector<std::string>* skipped_;
  bool cut_ = false;                      // links may be cut: the final phase heals
  absl::btree_set<uint32_t> disk_faulted_;  // nodes whose disk was made slow or full
};

class Recorder final : public MessageObserver {
 public:
  explicit Recorder(RunResult* out) : out_(out) {}
  void OnMessage(const MessageRecord& m) override {
    if (out_->messages.size() < RunResult::kMaxRecorded) {
      out_->messages.push_back(m);
    } else {
      ++out_->messages_omitted;
    }
  }
  void OnLog(const LogRecord& r) {
    if (out_->logs.size() < RunResult::kMaxRecorded) {
      out_->logs.push_back(r);
    } else {
      ++out_->logs_omitted;
    }
  }

 private:
  RunResult* out_;
};

LatencySummary Latencies(const History& h) {
  std::vector<int64_t> lat;
  absl::btree_map<int64_t, int64_t> open;  // process -> invoke time
  for (const Op& op : h.ops) {
    if (op.type == OpType::kInvoke) {
      open[op.process] = op.time_ns;
    } else if (auto it = open.find(op.process); it != open.end()) {
      if (op.type == OpType::kOk) lat.push_back(op.time_ns - it->second);
      open.erase(it);
    }
  }
  LatencySummary s;
  s.count = lat.size();
  if (lat.empty()) return s;
  std::sort(lat.begin(), lat.end());
  s.p50_ns = lat[(lat.size() - 1) / 2];
  s.p99_ns = lat[(lat.size() - 1) * 99 / 100];
  s.max_ns = lat.back();
  return s;
}

void Verdicts(RunResult& r) {
  bool safety = false, liveness = false, unknown = false;
  std::vector<std::string> failed;
  for (const CheckOutcome& c : r.checks) {
    if (c.verdict == Verdict::kViolation) {
      (c.liveness ? liveness : safety) = true;
      failed.push_back(c.name);
    }
    unknown |= c.verdict == Verdict::kUnknown;
  }
  r.exit_code = safety ? 1 : liveness ? 4 : unknown ? 5 : 0;
  std::vector<std::string> expected = r.spec.expect;
  std::sort(expected.begin(), expected.end());
  std::sort(failed.begin(), failed.end());
  r.as_expected = expected == failed;
}

}  // namespace

Result<RunResult> RunScenario(const ScenarioSpec& spec, const ModelRegistry& models, const RunOptions& options) {
  const ModelEntry* entry = models.Find(spec.model);
  if (entry == nullptr) return InvalidArgument(Cat("unknown model \"", spec.model, "\""));
  Result<Params> params = Params::Validate(entry->params, spec.params);
  if (!params.ok()) return params.status();

  RunResult out;
  out.spec = spec;
  out.params = params->all();
  out.seed = options.seed;
  Simulation sim(SimOptions{.seed = options.seed, .trace_log = options.trace_log});
  sim.trace().PerturbAt(options.perturb_event);
  Recorder recorder(&out);
  sim.SetLogSink([&recorder](const LogRecord& r) { recorder.OnLog(r); });
  World world(sim);
  world.network().SetObserver(&recorder);
  // Declared before the cluster, so the cluster (whose services point into
  // the model's history) goes first.
  std::unique_ptr<ModelRun> owned;
  Cluster cluster(world);
  const Time stop = Time::Zero() + spec.duration;
  ModelContext ctx{cluster, *params, spec.workload, spec.nodes, stop};
  Result<std::unique_ptr<ModelRun>> built = entry->build(ctx);
  if (!built.ok()) return built.status();
  owned = std::move(*built);
  ModelRun& model = *owned;
  cluster.StartAll();

  std::vector<std::string> server_names;
  for (NodeId n : model.servers()) server_names.push_back(sim.NodeName(n));
  out.plan = spec.schedule;
  if (spec.nemesis) {
    // Its own stream, outside the simulation: the plan is input to the run,
    // so a repro that lists it runs with the same streams (and unseed).
    Rng rng = Rng::Stream(options.seed, "nemesis");
    NemesisPlan p = PlanNemesis(*spec.nemesis, server_names, rng);
    out.enabled_kinds = p.enabled;
    out.plan.insert(out.plan.end(), p.faults.begin(), p.faults.end());
  }
  // By time; the scenario's own faults before the nemesis's at equal times.
  std::stable_sort(out.plan.begin(), out.plan.end(), [](const Scheduled& a, const Scheduled& b) { return a.at < b.at; });

  auto applier = std::make_shared<Applier>(world, model, model.servers(), spec, &out.skipped);
  applier->SetUpRegions();
  out.plan_skipped.assign(out.plan.size(), false);
  for (size_t i = 0; i < out.plan.size(); ++i) {
    sim.ScheduleCallback(Time::Zero() + out.plan[i].at, NodeId(), [&sim, &out, applier, i, s = out.plan[i]] {
      const size_t skipped_before = out.skipped.size();
      absl::AnyInvocable<void()> undo = applier->Apply(s.fault);
      if (out.skipped.size() > skipped_before) out.plan_skipped[i] = true;
      if (s.lasting && undo) sim.ScheduleCallback(sim.now() + *s.lasting, NodeId(), std::move(undo));
    });
  }
  for (Duration t = Duration::Zero(); t <= spec.duration + spec.quiesce; t = t + spec.sample_every) {
    sim.ScheduleCallback(Time::Zero() + t, NodeId(), [&model, &sim] { model.Sample(sim.now().nanos()); });
  }
  sim.ScheduleCallback(stop, NodeId(), [applier] { applier->HealAll(); });
  sim.Run(stop + spec.quiesce);

  out.workload_end_ns = stop.nanos();
  out.heal_ns = stop.nanos();
  out.end_ns = sim.now().nanos();
  out.trace_hash = sim.trace_hash();
  out.unseed = sim.Unseed();
  out.events = sim.events_executed();
  out.net = world.network().stats();
  out.faults = world.faults().applied();
  out.history = model.history();
  for (const Op& op : out.history.ops) {
    out.ok += op.type == OpType::kOk;
    out.fail += op.type == OpType::kFail;
    out.info += op.type == OpType::kInfo;
  }
  out.latency = Latencies(out.history);
  if (options.trace_log) out.trace_log = sim.trace().log();
  out.servers = model.servers();
  for (size_t i = 0; i < sim.node_count(); ++i) out.node_names.push_back(sim.NodeName(NodeId(static_cast<uint32_t>(i))));
  const RunFacts facts{out.workload_end_ns, out.heal_ns, out.end_ns};
  for (const CheckSpec& c : spec.checks) {
    Result<CheckOutcome> r = model.Check(c, facts);
    if (!r.ok()) return Status(r.status().code(), Cat(spec.file, ":", c.line, ": check ", c.name, ": ", r.status().message()));
    out.checks.push_back(std::move(*r));
  }
  Verdicts(out);
  return out;
}

}  // namespace faultline::scenario
