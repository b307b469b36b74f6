// repro.lua (design §10): a run's scenario written back as Lua, with every
// fault it applied — the scenario's own and the nemesis's draws — as an
// explicit s:at schedule and no nemesis. Running it with the same seed
// gives the same trace hash (the nemesis is planned up front, runner.h);
// a person can delete or move faults and run it again.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/runner.h"

namespace faultline::scenario {

// `run` as repro.lua; the header comments carry the seed, the trace hash
// and the unseed, which `faultline replay` compares against. `notes`
// become comment lines under the first (shrink says what it removed).
std::string WriteRepro(const RunResult& run, const std::vector<std::string>& notes = {});

// A Lua string literal for `s`.
std::string LuaQuote(const std::string& s);

}  // namespace faultline::scenario
