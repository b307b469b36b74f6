#include "sim/cli/flags.h"

#include "sim/core/strings.h"

namespace faultline {

void Flags::Declare(std::string name, std::string help, std::string default_value) {
  flags_[std::move(name)] = Flag{std::move(help), std::move(default_value), false};
}

Status Flags::Parse(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    if (a.size() < 3 || a.substr(0, 2) != "--") {
      positional_.emplace_back(a);
      continue;
    }
    std::string_view name = a.substr(2);
    std::string value;
    bool inline_value = false;
    if (size_t eq = name.find('='); eq != std::string_view::npos) {
      value = std::string(name.substr(eq + 1));
      name = name.substr(0, eq);
      inline_value = true;
    }
    auto it = flags_.find(name);
    if (it == flags_.end()) {
      std::vector<std::string> known;
      for (const auto& [n, f] : flags_) known.push_back(Cat("--", n));
      return InvalidArgument(Cat("unknown flag --", name, " (known: ", Join(known, ", "), ")"));
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) return InvalidArgument(Cat("flag --", name, " needs a value"));
      value = args[++i];
    }
    it->second.value = std::move(value);
    it->second.set = true;
  }
  return Status::Ok();
}

std::string Flags::Get(std::string_view name) const {
  auto it = flags_.find(name);
  SIM_ASSERT_MSG(it != flags_.end(), "undeclared flag");
  return it->second.value;
}

bool Flags::WasSet(std::string_view name) const {
  auto it = flags_.find(name);
  return it != flags_.end() && it->second.set;
}

Result<uint64_t> Flags::GetUint(std::string_view name) const { return ParseUint(Get(name), Cat("--", name)); }

Result<Duration> Flags::GetDuration(std::string_view name) const {
  Result<Duration> d = ParseDuration(Get(name));
  if (!d.ok()) return InvalidArgument(Cat("--", name, ": ", d.status().message()));
  return d;
}

std::string Flags::Help() const {
  std::string out;
  for (const auto& [name, f] : flags_) {
    Append(&out, "  --", name, "  ", f.help, f.value.empty() ? "" : Cat(" (default ", f.value, ")"), "\n");
  }
  return out;
}

std::vector<std::string> TakeRepeated(std::vector<std::string>& args, std::string_view name, Status* error) {
  const std::string flag = Cat("--", name), inline_prefix = Cat("--", name, "=");
  std::vector<std::string> values, rest;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == flag) {
      if (i + 1 == args.size()) *error = InvalidArgument(Cat(flag, ": expected a value after it"));
      else values.push_back(args[++i]);
    } else if (args[i].rfind(inline_prefix, 0) == 0) {
      values.push_back(args[i].substr(inline_prefix.size()));
    } else {
      rest.push_back(args[i]);
    }
  }
  args = rest;
  return values;
}

}  // namespace faultline
