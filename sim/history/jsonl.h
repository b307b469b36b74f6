// faultline's native history format (docs/history-format.md): one JSON
// object per line, e.g.
//   {"index":0,"process":3,"type":"invoke","f":"cas","key":"k","value":[0,4],"time_ns":1200}
// Used through formats.h; declared here for its tests.
#pragma once

#include <string>
#include <string_view>

#include "sim/core/status.h"
#include "sim/history/history.h"

namespace faultline {

Result<History> ReadJsonl(std::string_view text, std::string source);
std::string WriteJsonl(const History& h);
// `s` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view s);
// The same, appended to `out`.
void AppendJsonQuoted(std::string* out, std::string_view s);

}  // namespace faultline
