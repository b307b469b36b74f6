// A small, strict command-line parser: every flag must be known, every
// value must parse, and errors name the flag and what was expected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "sim/core/numbers.h"  // ParseUint, which GetUint uses
#include "sim/core/status.h"
#include "sim/core/time.h"

namespace faultline {

class Flags {
 public:
  // Declares a flag taking a value, with its help line.
  void Declare(std::string name, std::string help, std::string default_value);
  // Parses "--name value" and "--name=value"; positional arguments are kept.
  Status Parse(const std::vector<std::string>& args);

  std::string Get(std::string_view name) const;
  bool WasSet(std::string_view name) const;
  Result<uint64_t> GetUint(std::string_view name) const;
  Result<Duration> GetDuration(std::string_view name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  std::string Help() const;

 private:
  struct Flag {
    std::string help;
    std::string value;
    bool set = false;
  };
  absl::btree_map<std::string, Flag, std::less<>> flags_;
  std::vector<std::string> positional_;
};

// Takes every "--name v" and "--name=v" out of `args` (Flags takes one
// value per flag, so a repeatable one is taken out first), in order. A
// trailing "--name" without a value sets `error`.
std::vector<std::string> TakeRepeated(std::vector<std::string>& args, std::string_view name, Status* error);

}  // namespace faultline
