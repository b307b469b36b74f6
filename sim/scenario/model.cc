#include "sim/scenario/model.h"

#include <algorithm>

#include "sim/core/assert.h"
#include "sim/core/numbers.h"
#include "sim/core/strings.h"

namespace faultline::scenario {
namespace {

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

Result<int64_t> ParseInt(std::string_view text) {
  if (text.empty()) return InvalidArgument("an empty number");
  int64_t v = 0;
  size_t i = text[0] == '-' ? 1 : 0;
  if (i == text.size()) return InvalidArgument(Cat("\"", text, "\" is not an integer"));
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9' || v > (INT64_MAX - 9) / 10) {
      return InvalidArgument(Cat("\"", text, "\" is not an integer"));
    }
    v = v * 10 + (text[i] - '0');
  }
  return text[0] == '-' ? -v : v;
}

Status CheckValue(const ParamSpec& p, const std::string& value) {
  auto bad = [&] { return InvalidArgument(Cat("parameter ", p.name, ": expected ", p.Expected(), ", got \"", value, "\"")); };
  switch (p.kind) {
    case ParamSpec::kChoice:
      if (std::find(p.choices.begin(), p.choices.end(), value) == p.choices.end()) return bad();
      break;
    case ParamSpec::kDuration: {
      Result<Duration> d = ParseDuration(value);
      if (!d.ok() || *d < Duration::Millis(p.min) || (p.max > 0 && *d > Duration::Millis(p.max))) return bad();
      break;
    }
    case ParamSpec::kInt: {
      Result<int64_t> v = ParseInt(value);
      if (!v.ok() || *v < p.min || *v > p.max) return bad();
      break;
    }
    case ParamSpec::kBool:
      if (value != "true" && value != "false") return bad();
      break;
  }
  return Status::Ok();
}

}  // namespace

std::string ParamSpec::Expected() const {
  switch (kind) {
    case kChoice: return Cat("one of ", Join(choices, ", "));
    case kDuration:
      if (max > 0) return Cat("a duration from ", min, "ms to ", max, "ms");
      return min > 0 ? Cat("a duration of at least ", min, "ms, such as 250ms or 3s") : "a duration at or above 0s, such as 250ms or 3s";
    case kInt: return Cat("an integer from ", min, " to ", max);
    case kBool: return "true or false";
  }
  return "";
}

Result<Params> Params::Validate(const std::vector<ParamSpec>& schema,
                                const absl::btree_map<std::string, std::string>& given) {
  Params out;
  for (const ParamSpec& p : schema) {
    SIM_ASSERT_MSG(CheckValue(p, p.default_value).ok(), "a model's parameter default must be valid");
    out.values_[p.name] = p.default_value;
  }
  for (const auto& given_param : given) {
    const std::string& name = given_param.first;
    const std::string& value = given_param.second;
    auto it = std::find_if(schema.begin(), schema.end(), [&name](const ParamSpec& p) { return p.name == name; });
    if (it == schema.end()) {
      std::vector<std::string> known;
      for (const ParamSpec& p : schema) known.push_back(p.name);
      return InvalidArgument(Cat("unknown parameter \"", name, "\"; known: ", Join(known, ", ")));
    }
    if (Status s = CheckValue(*it, value); !s.ok()) return s;
    out.values_[name] = value;
  }
  return out;
}

const std::string& Params::Get(std::string_view name) const {
  auto it = values_.find(std::string(name));
  SIM_ASSERT_MSG(it != values_.end(), "a model read a parameter its schema does not declare");
  return it->second;
}

Duration Params::GetDuration(std::string_view name) const { return *ParseDuration(Get(name)); }
int64_t Params::GetInt(std::string_view name) const { return *ParseInt(Get(name)); }
bool Params::GetBool(std::string_view name) const { return Get(name) == "true"; }

void ModelRegistry::Add(ModelEntry entry) {
  SIM_ASSERT_MSG(!entries_.contains(entry.name), "two models registered under one name");
  std::string name = entry.name;
  entries_.emplace(std::move(name), std::move(entry));
}

const ModelEntry* ModelRegistry::Find(std::string_view name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<std::string> ModelRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, e] : entries_) out.push_back(name);
  return out;
}

CheckOutcome ConvergesOutcome(std::string name, const std::vector<StatesAt>& samples, const RunFacts& facts,
                              Duration within, size_t max_evidence) {
  CheckOutcome out;
  out.name = std::move(name);
  out.liveness = true;
  const int64_t quiet = std::max(facts.heal_ns, facts.workload_end_ns);
  ConvergenceResult r = CheckConverges(samples, quiet, within.nanos());
  out.verdict = r.verdict;
  out.message = r.message;
  if (r.evidence_ns >= 0) out.first_violation_ns = r.evidence_ns;
  for (const Divergence& d : r.divergences) {
    if (out.evidence.size() >= max_evidence) break;
    std::string held;
    for (const auto& [node, value] : d.held) held += Cat(held.empty() ? "" : ", ", node, "=", value);
    out.evidence.push_back(Cat("key ", d.key, " at ", FormatDuration(Duration::Nanos(r.evidence_ns)), ": ", held));
  }
  return out;
}

Result<Duration> DurationOption(const CheckSpec& check, std::string_view name, Duration otherwise) {
  auto it = check.options.find(std::string(name));
  if (it == check.options.end()) return otherwise;
  Result<Duration> d = ParseDuration(it->second);
  if (!d.ok() || d->nanos() <= 0) {
    return InvalidArgument(Cat("check ", check.name, " ", name, ": expected a positive duration such as \"1s\", got \"",
                               it->second, "\""));
  }
  return *d;
}

namespace {

// A positive whole-number option of a check, at most `most`, else `otherwise`.
Result<uint64_t> WholeOption(const CheckSpec& check, std::string_view name, uint64_t otherwise, uint64_t most,
                             std::string_view expected) {
  auto it = check.options.find(std::string(name));
  if (it == check.options.end()) return otherwise;
  Result<uint64_t> n = ParseUint(it->second, Cat("check ", check.name, " ", name));
  if (n.ok() && *n > 0 && *n <= most) return *n;
  return InvalidArgument(Cat("check ", check.name, " ", name, ": expected a positive whole number of ", expected,
                             ", got \"", it->second, "\""));
}

}  // namespace

Result<CheckBudget> SearchBudget(const CheckSpec& check) {
  Result<uint64_t> steps = WholeOption(check, "steps", kDefaultSearchSteps, UINT64_MAX / 2, "search steps, such as 100000000");
  if (!steps.ok()) return steps.status();
  Result<uint64_t> mib = WholeOption(check, "memory", kDefaultSearchMiB, uint64_t{1} << 30, "MiB, such as 1024");
  if (!mib.ok()) return mib.status();
  CheckBudget budget;
  budget.max_steps = *steps;
  budget.memory_bytes = static_cast<size_t>(*mib) << 20;
  return budget;
}

}  // namespace faultline::scenario
