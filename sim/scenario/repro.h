// repro.lua (design §10): a run's scenario written back as Lua, with every
// fault it applied — the scenario's own and the nemesis's draws — as an
// explicit s:at schedule and no nemesis. Running it with the same seed
// gives the same trace hash (the nemesis is planned up front, runner.h);
// a person can delete or move faults and run it again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"
#include "sim/scenario/runner.h"

namespace faultline::scenario {

// `run` as repro.lua; the header comments carry the seed, the trace hash
// and the unseed, which `faultline replay` compares against. `notes`
// become comment lines under the first (shrink says what it removed).
std::string WriteRepro(const RunResult& run, const std::vector<std::string>& notes = {});

// The header line that ties a repro.lua to its run, which replay checks:
//   -- faultline: seed=N trace_hash=0x<16 hex> unseed=0x<16 hex>
struct ReproHeader {
  uint64_t seed = 0, trace_hash = 0, unseed = 0;
  bool operator==(const ReproHeader&) const = default;
};
std::string ReproHeaderLine(const ReproHeader& h);  // without the newline

// The header of `text` (read from `file`): nullopt when no line starts with
// "-- faultline:" (a scenario written by hand); an error naming FILE:LINE
// when one does but is not a header as ReproHeaderLine writes it, so a
// hand-edited seed is never silently misread.
Result<std::optional<ReproHeader>> ParseReproHeader(std::string_view text, std::string_view file);

// A Lua string literal for `s`.
std::string LuaQuote(const std::string& s);

}  // namespace faultline::scenario
