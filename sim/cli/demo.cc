#include "sim/cli/demo.h"

#include "sim/cli/demo.pb.h"
#include "sim/core/strings.h"

namespace faultline {
namespace {

using namespace literals;

constexpr size_t kEntryBytes = 16;
constexpr std::string_view kLog = "log";

struct DemoCounters {
  uint64_t puts_ok = 0;
  uint64_t puts_failed = 0;
  uint64_t recovered = 0;
};

// One node of the demo. Volatile state: `stored_`, the handlers, fibers.
class Beacon final : public Service {
 public:
  Beacon(Env& env, DemoCounters& counters) : env_(env), counters_(counters) {
    Result<std::string> log = env_.disk().ReadAll(kLog);
    if (log.ok()) stored_ = static_cast<int64_t>(log->size() / kEntryBytes);
    counters_.recovered += static_cast<uint64_t>(stored_);
    env_.Handle<demo::Put, demo::PutAck>(
        "put", [this](NodeId from, const demo::Put& p) { return OnPut(p); });
    env_.Spawn("gossip", [this] { GossipLoop(); });
  }

  void Run() override {
    for (int64_t i = 0;; ++i) {
      if (!env_.Sleep(env_.rng().Range(20_ms, 120_ms)).ok()) return;
      std::vector<NodeId> peers = env_.peers();
      NodeId peer = peers[env_.rng().Uniform(peers.size())];
      demo::Put put;
      put.set_value(i);
      put.set_wall_ns(env_.wall_clock().nanos());
      put.set_from(env_.name());
      Result<demo::PutAck> ack = env_.Call<demo::PutAck>(peer, "put", put, 200_ms);
      (ack.ok() ? counters_.puts_ok : counters_.puts_failed)++;
      if (i % 10 == 0) {
        demo::Gossip g;
        g.set_seen(stored_);
        (void)env_.Send(peers[env_.rng().Uniform(peers.size())], "gossip", g);
      }
    }
  }

 private:
  Result<demo::PutAck> OnPut(const demo::Put& p) {
    std::string entry(kEntryBytes, '\0');
    int64_t v = p.value(), w = p.wall_ns();
    for (int b = 0; b < 8; ++b) {
      entry[b] = static_cast<char>(v >> (8 * b));
      entry[8 + b] = static_cast<char>(w >> (8 * b));
    }
    if (Status s = env_.disk().Append(kLog, entry); !s.ok()) return s;
    ++stored_;
    if (stored_ % 4 == 0) {
      if (Status s = env_.disk().Fsync(kLog); !s.ok()) return s;
    }
    demo::PutAck ack;
    ack.set_stored(stored_);
    return ack;
  }

  void GossipLoop() {
    for (;;) {
      Result<Inbound> m = env_.Receive(500_ms);
      if (m.code() == Error::kCrashed) return;
      demo::Gossip g;
      if (m.ok() && m->ParseTo(&g) && g.seen() > stored_ + 100) {
        env_.Log("gossip.behind", {{"peer", env_.name_of(m->from)},
                                   {"seen", std::to_string(g.seen())},
                                   {"stored", std::to_string(stored_)}});
      }
    }
  }

  Env& env_;
  DemoCounters& counters_;
  int64_t stored_ = 0;
};

void ScheduleFixedFaults(World& world) {
  Simulation& sim = world.sim();
  Switchboard& f = world.faults();
  auto at = [&](Duration t, absl::AnyInvocable<void()> fn) {
    sim.ScheduleCallback(Time::Zero() + t, NodeId(), std::move(fn));
  };
  uint32_t n = static_cast<uint32_t>(sim.node_count());
  NodeId second(1 % n), last(n - 1), fourth(3 % n);
  at(2_s, [&f] { (void)f.PartitionHalves(); });
  at(3_s, [&f, last] { (void)f.Skew(last, 400_ms); });
  at(4_s, [&f, second] { (void)f.Crash(second, CrashDisk::kTorn); });
  at(6_s, [&f, second] { (void)f.Restart(second); });
  at(7_s, [&f] { (void)f.Heal(); });
  at(8_s, [&f, fourth] { (void)f.Pause(fourth); });
  at(9_s, [&f, fourth] { (void)f.Resume(fourth); });
}

}  // namespace

DemoResult RunDemo(const DemoOptions& options) {
  SIM_ASSERT(options.nodes >= 2);
  Simulation sim(SimOptions{
      .seed = options.seed, .trace_log = options.trace_log, .prefetch = options.prefetch});
  World world(sim);
  Cluster cluster(world);
  DemoCounters counters;
  for (uint32_t i = 1; i <= options.nodes; ++i) {
    cluster.AddNode(Cat("n", i), [&counters](Env& env) {
      return std::make_unique<Beacon>(env, counters);
    });
  }
  cluster.StartAll();
  if (options.nemesis) {
    InstallRandomNemesis(world, options.duration);
  } else {
    ScheduleFixedFaults(world);
  }
  sim.Run(Time::Zero() + options.duration);

  DemoResult r;
  r.trace_hash = sim.trace_hash();
  r.unseed = sim.Unseed();
  r.events = sim.events_executed();
  r.end = sim.now();
  r.net = world.network().stats();
  r.rpc = cluster.rpc_stats();
  r.puts_ok = counters.puts_ok;
  r.puts_failed = counters.puts_failed;
  r.recovered_entries = counters.recovered;
  r.faults = world.faults().applied();
  r.trace_log = sim.trace().log();
  return r;
}

}  // namespace faultline
