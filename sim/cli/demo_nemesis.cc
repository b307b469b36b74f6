// The random nemesis of `faultline demo --nemesis`: every 100-600 ms it
// applies one fault drawn from the kinds this seed enabled (each kind is on
// with probability 1/2: swarm testing). Crashes, pauses and partitions are
// undone after a random while, so the cluster keeps making progress. Every
// draw comes from the "nemesis" stream, so faults never shift the workload.
#include <memory>

#include "sim/cli/demo.h"
#include "sim/core/strings.h"

namespace faultline {
namespace {

using namespace literals;

enum Kind : uint32_t {
  kPartition, kCrash, kPause, kSkew, kJump, kDrift, kClog, kLink, kCorrupt, kSlowDisk,
  kFullDisk, kKindCount
};

class Nemesis : public std::enable_shared_from_this<Nemesis> {
 public:
  Nemesis(World& world, Duration until)
      : world_(world), rng_(world.sim().Stream("nemesis")), until_(Time::Zero() + until) {
    while (enabled_ == 0) {
      for (uint32_t k = 0; k < kKindCount; ++k) {
        if (rng_.Chance(1, 2)) enabled_ |= 1u << k;
      }
    }
  }

  void ScheduleNext() {
    Time at = world_.sim().now() + rng_.Range(100_ms, 600_ms);
    if (at >= until_) return;
    world_.sim().ScheduleCallback(at, NodeId(), [self = shared_from_this()] {
      self->Step();
      self->ScheduleNext();
    });
  }

 private:
  NodeId AnyNode() { return NodeId(static_cast<uint32_t>(rng_.Uniform(world_.sim().node_count()))); }
  void Later(Duration lo, Duration hi, absl::AnyInvocable<void()> fn) {
    world_.sim().ScheduleCallback(world_.sim().now() + rng_.Range(lo, hi), NodeId(), std::move(fn));
  }

  std::vector<NodeId> Shuffled() {
    std::vector<NodeId> order = world_.nodes();
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng_.Uniform(i)]);
    return order;
  }

  void Partition() {
    Switchboard& f = world_.faults();
    std::vector<NodeId> order = Shuffled();
    switch (rng_.Uniform(5)) {
      case 0: (void)f.Halves(order); break;
      case 1: (void)f.Isolate(order[0]); break;
      case 2: (void)f.Bridge(order); break;
      case 3: (void)f.MajoritiesRing(order); break;
      default: (void)f.OneWay(order[0], order[1]); break;
    }
    Later(200_ms, 2_s, [&f] { (void)f.Heal(); });
  }

  void Step() {
    Switchboard& f = world_.faults();
    uint32_t kind;
    do kind = static_cast<uint32_t>(rng_.Uniform(kKindCount));
    while ((enabled_ & (1u << kind)) == 0);
    NodeId node = AnyNode();
    switch (kind) {
      case kPartition: Partition(); break;
      case kCrash:
        (void)f.Crash(node, rng_.Chance(1, 2) ? CrashDisk::kTorn : CrashDisk::kLoseUnsynced);
        Later(200_ms, 2_s, [&f, node] { (void)f.Restart(node); });
        break;
      case kPause:
        (void)f.Pause(node);
        Later(100_ms, 1_s, [&f, node] { (void)f.Resume(node); });
        break;
      case kSkew: (void)f.Skew(node, rng_.Range(-2_s, 2_s)); break;
      case kJump: (void)f.Jump(node, rng_.Range(-1_s, 1_s)); break;
      case kDrift: (void)f.Drift(node, rng_.Range(-200'000, 200'000)); break;
      case kClog: (void)f.Clog(node, AnyNode(), rng_.Range(50_ms, 500_ms)); break;
      case kLink: {
        LinkConfig c;
        c.latency = rng_.Chance(1, 2) ? LatencyModel::Exponential(rng_.Range(1_ms, 20_ms))
                                      : LatencyModel::Lognormal(rng_.Range(1_ms, 10_ms), 500);
        c.loss = Probability::FromPpb(static_cast<uint32_t>(rng_.Uniform(200'000'000)));
        c.duplicate = Probability::FromPpb(static_cast<uint32_t>(rng_.Uniform(100'000'000)));
        c.fifo = rng_.Chance(1, 2);
        (void)f.SetLink(node, AnyNode(), c);
        break;
      }
      case kCorrupt: {
        Disk& d = world_.disk(node);
        Result<uint64_t> size = d.Size("log");
        if (size.ok() && *size > 0) {
          uint64_t byte = rng_.Uniform(*size);
          (void)f.Corrupt(node, "log", byte / Disk::kBlockBytes,
                          static_cast<uint32_t>((byte % Disk::kBlockBytes) * 8 + rng_.Uniform(8)));
        }
        break;
      }
      case kSlowDisk: (void)f.SlowDisk(node, rng_.Range(0_ms, 20_ms)); break;
      case kFullDisk:
        (void)f.FullDisk(node, true);
        Later(100_ms, 1_s, [&f, node] { (void)f.FullDisk(node, false); });
        break;
    }
  }

  World& world_;
  Rng& rng_;
  Time until_;
  uint32_t enabled_ = 0;
};

}  // namespace

void InstallRandomNemesis(World& world, Duration until) {
  std::make_shared<Nemesis>(world, until)->ScheduleNext();
}

}  // namespace faultline
