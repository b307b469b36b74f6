#include "sim/scenario/spec.h"

#include "sim/core/strings.h"

namespace faultline::scenario {
namespace {

std::string Quoted(const std::string& s) { return Cat("\"", s, "\""); }

std::string List(const std::vector<NodeRef>& nodes) {
  std::string out = "{";
  for (size_t i = 0; i < nodes.size(); ++i) out += (i ? ", " : "") + nodes[i].Lua();
  return out + "}";
}

}  // namespace

std::string NodeRef::Lua() const { return role.empty() ? Quoted(name) : Cat(role, "()"); }

std::string Fault::Lua() const {
  auto node = [&](size_t i) { return i < nodes.size() ? nodes[i].Lua() : std::string("nil"); };
  const std::string d = Quoted(FormatDuration(amount));
  if (kind == "partition.halves" || kind == "partition.majority_ring" || kind == "partition.bridge" || kind == "heal") {
    return Cat(kind, "()");
  }
  if (kind == "partition.isolate" || kind == "restart" || kind == "pause" || kind == "resume") {
    return Cat(kind, "(", node(0), ")");
  }
  if (kind == "partition.one_way") return Cat(kind, "(", node(0), ", ", node(1), ")");
  if (kind == "partition.groups") {
    std::string out = "partition.groups(";
    for (size_t i = 0; i < groups.size(); ++i) out += (i ? ", " : "") + List(groups[i]);
    return out + ")";
  }
  if (kind == "crash") return Cat("crash(", node(0), ", ", Quoted(option), ")");
  if (kind == "clock.skew" || kind == "clock.jump" || kind == "disk.slow") return Cat(kind, "(", node(0), ", ", d, ")");
  if (kind == "clock.drift") return Cat(kind, "(", node(0), ", ", number, ")");
  if (kind == "link.clog") return Cat(kind, "(", node(0), ", ", node(1), ", ", d, ")");
  if (kind == "link.degrade") {
    std::string opts;
    if (!latency.empty()) opts += Cat(" latency = ", Quoted(latency), ",");
    if (!loss.empty()) opts += Cat(" loss = ", Quoted(loss), ",");
    if (!duplicate.empty()) opts += Cat(" duplicate = ", Quoted(duplicate), ",");
    return Cat(kind, "(", node(0), ", ", node(1), ", {", opts, " })");
  }
  if (kind == "disk.corrupt") return Cat(kind, "(", node(0), ", ", Quoted(option), ", ", number, ", ", bit, ")");
  if (kind == "disk.full") return Cat(kind, "(", node(0), ", ", number != 0 ? "true" : "false", ")");
  if (kind == "split_brain") return Cat("split_brain(", d, ")");
  return Cat("--[[unknown fault ", kind, "]]");
}

}  // namespace faultline::scenario
