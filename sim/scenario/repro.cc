#include "sim/scenario/repro.h"

#include <algorithm>
#include <cstdio>

#include "sim/core/numbers.h"
#include "sim/core/strings.h"

namespace faultline::scenario {
namespace {

std::string D(Duration d) { return LuaQuote(FormatDuration(d)); }

// A number as Lua reads it back exactly: integers plain, others with
// enough digits.
std::string Number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

constexpr std::string_view kHeaderStart = "-- faultline:";

// " seed=N trace_hash=0x... unseed=0x...", the header after its start.
Result<ReproHeader> ParseHeaderFields(std::string_view rest) {
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\r' || rest.back() == '\t')) rest.remove_suffix(1);
  ReproHeader h;
  const std::pair<std::string_view, uint64_t*> fields[] = {{" seed=", &h.seed}, {" trace_hash=", &h.trace_hash}, {" unseed=", &h.unseed}};
  for (const auto& [key, out] : fields) {
    if (rest.substr(0, key.size()) != key) return InvalidArgument(Cat("expected \"", key.substr(1), "\" next"));
    rest.remove_prefix(key.size());
    const std::string_view value = rest.substr(0, rest.find(' '));
    rest.remove_prefix(value.size());
    // Exactly as ReproHeaderLine writes: a decimal seed, hashes as "0x"
    // and 16 lowercase hex digits.
    const bool hash = out != &h.seed;
    const std::string_view digits = hash ? value.substr(std::min<size_t>(2, value.size())) : value;
    const bool well_formed = hash ? value.substr(0, 2) == "0x" && digits.size() == 16 &&
                                        digits.find_first_not_of("0123456789abcdef") == std::string_view::npos
                                  : !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
    if (!well_formed) {
      return InvalidArgument(Cat(key.substr(1, key.size() - 2), " must be ", hash ? "0x and 16 lowercase hex digits" : "decimal digits", ", got \"", value, "\""));
    }
    Result<uint64_t> v = ParseUint(value, key.substr(1, key.size() - 2));
    if (!v.ok()) return v.status();
    *out = *v;
  }
  if (!rest.empty()) return InvalidArgument(Cat("unexpected \"", rest, "\" after the unseed"));
  return h;
}

}  // namespace

std::string ReproHeaderLine(const ReproHeader& h) {
  return Cat(kHeaderStart, " seed=", h.seed, " trace_hash=", HexWord(h.trace_hash), " unseed=", HexWord(h.unseed));
}

Result<std::optional<ReproHeader>> ParseReproHeader(std::string_view text, std::string_view file) {
  std::optional<ReproHeader> found;
  size_t found_line = 0;
  for (size_t line_no = 1; !text.empty(); ++line_no) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.substr(0, kHeaderStart.size()) != kHeaderStart) continue;
    if (found) {
      return InvalidArgument(Cat(file, ":", line_no, ": a second \"", kHeaderStart, "\" line (the first is line ", found_line,
                                 "); keep one, as faultline run writes it"));
    }
    Result<ReproHeader> h = ParseHeaderFields(line.substr(kHeaderStart.size()));
    if (!h.ok()) {
      return InvalidArgument(Cat(file, ":", line_no, ": ", h.status().message(),
                                 " (expected \"-- faultline: seed=N trace_hash=0x... unseed=0x...\")"));
    }
    found = *h;
    found_line = line_no;
  }
  return found;
}

std::string LuaQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\0': out += "\\0"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string WriteRepro(const RunResult& run, const std::vector<std::string>& notes) {
  const ScenarioSpec& s = run.spec;
  std::string o;
  o += Cat("-- repro of ", s.file, ", seed ", run.seed, ", written by faultline ", notes.empty() ? "run" : "shrink", ".\n");
  for (const std::string& n : notes) o += Cat("-- ", n, "\n");
  o += "-- Every fault the run applied is listed below (the nemesis's draws too);\n";
  o += "-- delete or move them and run again: faultline run repro.lua\n";
  o += Cat(ReproHeaderLine({run.seed, run.trace_hash, run.unseed}), "\n\n");
  o += "local s = scenario {\n";
  o += Cat("  name = ", LuaQuote(s.name), ",\n");
  if (!s.description.empty()) o += Cat("  description = ", LuaQuote(s.description), ",\n");
  o += Cat("  model = ", LuaQuote(s.model), ", nodes = ", s.nodes, ", seed = ", run.seed, ",\n");
  o += Cat("  duration = ", D(s.duration), ", quiesce = ", D(s.quiesce), ", sample_every = ", D(s.sample_every), ",\n");
  if (!s.regions.empty()) {
    o += "  regions = {";
    for (const auto& [region, nodes] : s.regions) {
      o += Cat(" [", LuaQuote(region), "] = {");
      for (size_t i = 0; i < nodes.size(); ++i) o += Cat(i ? ", " : " ", LuaQuote(nodes[i]));
      o += " },";
    }
    o += Cat(" }, region_latency = ", D(s.region_latency), ",\n");
  }
  o += "  params = {";
  // Every parameter, defaults too: the repro should not change meaning if
  // a default does.
  for (const auto& [k, v] : run.params.empty() ? s.params : run.params) o += Cat(" ", k, " = ", LuaQuote(v), ",");
  o += " },\n";
  const WorkloadSpec& w = s.workload;
  o += Cat("  workload = { clients = ", w.clients, ", keys = ", w.keys, ", distribution = ", LuaQuote(w.distribution));
  if (w.distribution == "zipfian") o += Cat(", zipf_exponent = ", Number(w.zipf_exponent));
  o += w.rate_per_s > 0 ? Cat(", rate = ", LuaQuote(Cat(w.rate_per_s, "/s"))) : Cat(", think = ", D(w.think));
  if (!w.mix.empty()) {
    o += ", mix = {";
    for (const auto& [op, weight] : w.mix) o += Cat(" ", op, " = ", weight, ",");
    o += " }";
  }
  o += " },\n}\n\n";
  for (const Scheduled& f : run.plan) {
    o += Cat("s:at(", D(f.at), ", ", f.fault.Lua());
    if (f.lasting) o += Cat(", ", D(*f.lasting));
    o += ")\n";
  }
  if (!run.plan.empty()) o += "\n";
  for (const CheckSpec& c : s.checks) {
    o += Cat("s:check(", LuaQuote(c.name));
    if (!c.options.empty()) {
      o += ", {";
      for (const auto& [k, v] : c.options) o += Cat(" ", k, " = ", LuaQuote(v), ",");
      o += " }";
    }
    o += ")\n";
  }
  for (const std::string& e : s.expect) o += Cat("s:expect(", LuaQuote(e), ")\n");
  o += "return s\n";
  return o;
}

}  // namespace faultline::scenario
