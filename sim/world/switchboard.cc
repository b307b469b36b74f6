#include "sim/world/switchboard.h"

#include <cstddef>

#include "sim/core/strings.h"
#include "sim/world/world.h"

namespace faultline {
namespace {

std::string LinkDetail(const LinkConfig& c) {
  return Cat("latency=", c.latency.ToString(), " loss=", c.loss.ppb(), "ppb dup=", c.duplicate.ppb(),
             "ppb fifo=", c.fifo ? "yes" : "no");
}

}  // namespace

Status Switchboard::CheckNode(NodeId node) const {
  if (world_.sim().HasNode(node)) return Status::Ok();
  return InvalidArgument(Cat("fault names node #", node.value, " but there are ",
                             world_.sim().node_count(), " nodes"));
}

std::string Switchboard::Name(NodeId node) const { return world_.sim().NodeName(node); }

Status Switchboard::Apply(absl::AnyInvocable<void()> apply) {
  if (world_.sim().InFiber()) {
    world_.sim().ScheduleCallback(world_.sim().now(), NodeId(), std::move(apply));
  } else {
    apply();
  }
  return Status::Ok();
}

void Switchboard::Record(std::string kind, std::string target, std::string detail) {
  Simulation& sim = world_.sim();
  sim.trace().Add(HashString(Cat(kind, "|", target, "|", detail)));
  applied_.push_back(FaultRecord{sim.now(), std::move(kind), std::move(target), std::move(detail)});
}

// ---- network ----

Status Switchboard::Partition(Connectivity c, std::string description) {
  return Apply([this, c = std::move(c), d = std::move(description)]() mutable {
    world_.network().SetConnectivity(std::move(c));
    Record("partition", "", d);
  });
}

Status Switchboard::PartitionHalves() { return Halves(world_.nodes()); }

std::string Switchboard::Names(const std::vector<NodeId>& nodes) const {
  std::vector<std::string> names;
  for (NodeId n : nodes) names.push_back(Name(n));
  return Cat("[", Join(names, ","), "]");
}

// ", isolated [n6,n7]" for the nodes an ordering leaves out, or "".
std::string Switchboard::Left(const std::vector<NodeId>& order) const {
  std::vector<bool> in(world_.sim().node_count(), false);
  for (NodeId n : order) in[n.value] = true;
  std::vector<NodeId> out;
  for (uint32_t i = 0; i < in.size(); ++i) {
    if (!in[i]) out.push_back(NodeId(i));
  }
  return out.empty() ? std::string() : Cat(", isolated ", Names(out));
}

Status Switchboard::CheckOrder(const std::vector<NodeId>& order) const {
  if (order.size() < 2) return InvalidArgument("a partition needs at least 2 nodes");
  std::vector<bool> seen(world_.sim().node_count(), false);
  for (NodeId n : order) {
    if (Status s = CheckNode(n); !s.ok()) return s;
    if (seen[n.value]) return InvalidArgument(Cat("node ", Name(n), " appears twice in a partition"));
    seen[n.value] = true;
  }
  return Status::Ok();
}

Status Switchboard::PartitionNamed(const std::vector<std::vector<std::string>>& groups) {
  if (groups.empty()) return InvalidArgument("a partition needs at least one group");
  std::vector<std::vector<NodeId>> ids(groups.size());
  std::vector<std::string> parts;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const std::string& name : groups[g]) {
      Result<NodeId> id = world_.FindNode(name);
      if (!id.ok()) return InvalidArgument(Cat("partition group ", g + 1, ": ", id.status().message()));
      ids[g].push_back(*id);
    }
    parts.push_back(Names(ids[g]));
  }
  Result<Connectivity> c = Connectivity::Groups(world_.sim().node_count(), ids);
  if (!c.ok()) return c.status();
  return Partition(std::move(c).value(), Cat("groups ", Join(parts, " | ")));
}

Status Switchboard::Halves(const std::vector<NodeId>& order) {
  if (Status s = CheckOrder(order); !s.ok()) return s;
  size_t half = order.size() / 2;
  std::vector<NodeId> a(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(half));
  std::vector<NodeId> b(order.begin() + static_cast<std::ptrdiff_t>(half), order.end());
  return Partition(Connectivity::Halves(world_.sim().node_count(), order),
                   Cat("halves ", Names(a), " | ", Names(b), Left(order)));
}

Status Switchboard::Bridge(const std::vector<NodeId>& order) {
  if (Status s = CheckOrder(order); !s.ok()) return s;
  if (order.size() < 3) return InvalidArgument("a bridge needs at least 3 nodes");
  size_t mid = order.size() / 2;
  std::vector<NodeId> a(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(mid));
  std::vector<NodeId> b(order.begin() + static_cast<std::ptrdiff_t>(mid) + 1, order.end());
  return Partition(Connectivity::Bridge(world_.sim().node_count(), order),
                   Cat("bridge ", Names(a), " | ", Name(order[mid]), " | ", Names(b), Left(order)));
}

Status Switchboard::MajoritiesRing(const std::vector<NodeId>& order) {
  if (Status s = CheckOrder(order); !s.ok()) return s;
  if (order.size() < 4) {
    return InvalidArgument(Cat("a majorities ring needs at least 4 nodes (", order.size(),
                               " would cut nothing)"));
  }
  return Partition(Connectivity::MajoritiesRing(world_.sim().node_count(), order),
                   Cat("majorities ring ", Names(order), Left(order)));
}

Status Switchboard::Isolate(NodeId node) {
  if (Status s = CheckNode(node); !s.ok()) return s;
  return Partition(Connectivity::Isolate(world_.sim().node_count(), node),
                   Cat("isolate ", Name(node)));
}

Status Switchboard::OneWay(NodeId from, NodeId to) {
  if (Status s = CheckNode(from); !s.ok()) return s;
  if (Status s = CheckNode(to); !s.ok()) return s;
  Connectivity c = world_.network().connectivity();
  c.BlockOneWay(from, to);
  return Partition(std::move(c), Cat("one-way ", Name(from), " -/-> ", Name(to)));
}

Status Switchboard::Heal() {
  return Apply([this] {
    world_.network().SetConnectivity(Connectivity::Full());
    Record("heal", "", "all links restored");
  });
}

Status Switchboard::SetLink(NodeId from, NodeId to, const LinkConfig& c) {
  if (Status s = CheckNode(from); !s.ok()) return s;
  if (Status s = CheckNode(to); !s.ok()) return s;
  return Apply([this, from, to, c] {
    world_.network().SetLink(from, to, c);
    Record("link", Cat(Name(from), "->", Name(to)), LinkDetail(c));
  });
}

Status Switchboard::SetDefaultLink(const LinkConfig& c) {
  return Apply([this, c] {
    world_.network().SetDefaultLink(c);
    Record("link", "*", LinkDetail(c));
  });
}

Status Switchboard::Clog(NodeId from, NodeId to, Duration d) {
  if (Status s = CheckNode(from); !s.ok()) return s;
  if (Status s = CheckNode(to); !s.ok()) return s;
  if (d.nanos() < 0) return InvalidArgument(Cat("clog for a negative time ", FormatDuration(d)));
  return Apply([this, from, to, d] {
    world_.network().Clog(from, to, SaturatingAdd(world_.sim().now(), d));
    Record("clog", Cat(Name(from), "->", Name(to)), Cat("for ", FormatDuration(d)));
  });
}

// ---- clocks ----

Status Switchboard::Skew(NodeId node, Duration offset) {
  if (Status s = CheckNode(node); !s.ok()) return s;
  return Apply([this, node, offset] {
    world_.clocks().SetOffset(node, offset);
    Record("skew", Name(node), Cat("offset ", offset.nanos() >= 0 ? "+" : "", FormatDuration(offset)));
  });
}

Status Switchboard::Jump(NodeId node, Duration step) {
  if (Status s = CheckNode(node); !s.ok()) return s;
  return Apply([this, node, step] {
    world_.clocks().Jump(node, step);
    Record("jump", Name(node), Cat("step ", step.nanos() >= 0 ? "+" : "", FormatDuration(step)));
  });
}

Status Switchboard::Drift(NodeId node, int64_t ppm) {
  if (Status s = CheckNode(node); !s.ok()) return s;
  if (Status s = Clocks::CheckDrift(ppm); !s.ok()) return s;
  return Apply([this, node, ppm] {
    Status s = world_.clocks().SetDrift(node, ppm, world_.sim().now());
    SIM_ASSERT(s.ok());
    Record("drift", Name(node), Cat(ppm, "ppm"));
  });
}

// ---- process ----

Status Switchboard::Crash(NodeId node, CrashDisk disk) {
  if (Status s = CheckNode(node); !s.ok()) return s;
  return Apply([this, node, disk] {
    NodeState st = world_.sim().state(node);
    if (st != NodeState::kUp && st != NodeState::kPaused) return;  // nothing to crash
    world_.SetNextCrashDisk(node, disk);
    world_.sim().Crash(node);  // on the scheduler: takes effect now
    const CrashOutcome& o = world_.last_crash(node);
    Record("crash", Name(node),
           o.mode == CrashDisk::kTorn
               ? Cat("torn: kept ", o.kept, " of ", o.unsynced, " unsynced writes")
               : Cat("lost ", o.unsynced, " unsynced writes"));
  });
}

Status Switchboard::Restart(NodeId node) {
  if (Status s = CheckNode(node); !s.ok()) return s;
  return Apply([this, node] {
    NodeState st = world_.sim().state(node);
    if (st != NodeState::kCrashed && st != NodeState::kStopped) return;
    world_.sim().Restart(node);
    Record("restart", Name(node), "");
  });
}

Status Switchboard::Pause(NodeId node) {
  if (Status s = CheckNode(node); !s.ok()) return s;
  return Apply([this, node] {
    if (world_.sim().state(node) != NodeState::kUp) return;
    world_.sim().Pause(node);
    Record("pause", Name(node), "");
  });
}

Status Switchboard::Resume(NodeId node) {
  if (Status s = CheckNode(node); !s.ok()) return s;
  return Apply([this, node] {
    if (world_.sim().state(node) != NodeState::kPaused) return;
    world_.sim().Resume(node);
    Record("resume", Name(node), "");
  });
}

// ---- disk ----

Status Switchboard::Corrupt(NodeId node, std::string file, uint64_t block, uint32_t bit) {
  if (Status s = CheckNode(node); !s.ok()) return s;
  if (bit >= Disk::kBlockBytes * 8) {
    return InvalidArgument(Cat("corrupt: bit ", bit, " is outside a ", Disk::kBlockBytes,
                               "-byte block"));
  }
  if (!world_.disk(node).Exists(file)) {
    return Status(Error::kNotFound, Cat("corrupt: ", Name(node), " has no file \"", file, "\""));
  }
  uint64_t stored = world_.disk(node).DurableSize(file);
  if (block * Disk::kBlockBytes + bit / 8 >= stored) {
    return InvalidArgument(Cat("corrupt: block ", block, " bit ", bit, " of ", Name(node), ":", file,
                               " is past its ", stored, " stored (synced) bytes"));
  }
  return Apply([this, node, file = std::move(file), block, bit] {
    // Validated above; a step between validation and application (a fiber
    // defers us to an event at the same instant) cannot shrink stored bytes.
    Status s = world_.disk(node).Corrupt(file, block, bit);
    SIM_ASSERT_MSG(s.ok(), s.ToString());
    Record("corrupt", Name(node), Cat(file, " block ", block, " bit ", bit));
  });
}

Status Switchboard::SlowDisk(NodeId node, Duration per_op) {
  if (Status s = CheckNode(node); !s.ok()) return s;
  if (per_op.nanos() < 0) return InvalidArgument("slow disk: negative latency");
  return Apply([this, node, per_op] {
    world_.disk(node).SetLatency(per_op);
    Record("slow-disk", Name(node), Cat(FormatDuration(per_op), " per operation"));
  });
}

Status Switchboard::FullDisk(NodeId node, bool full) {
  if (Status s = CheckNode(node); !s.ok()) return s;
  return Apply([this, node, full] {
    world_.disk(node).SetFull(full);
    Record("full-disk", Name(node), full ? "on" : "off");
  });
}

Status Switchboard::WipeDisk(NodeId node) {
  if (Status s = CheckNode(node); !s.ok()) return s;
  return Apply([this, node] {
    world_.disk(node).Wipe();
    Record("wipe-disk", Name(node), "");
  });
}

}  // namespace faultline
