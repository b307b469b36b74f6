// Reading and writing histories in the formats of design §6 and
// docs/history-format.md:
//  - kJsonl: faultline's own, one JSON object per line (jsonl.h);
//  - kEdn: Jepsen's EDN, either a vector or list of operation maps, or one
//    map per line (as in shared/histories/porcupine/kv);
//  - kJepsenLog: Jepsen log lines "INFO  jepsen.util - 3\t:invoke\t:cas\t[0 4]"
//    (shared/histories/porcupine/etcd); other lines are ignored.
// kAuto looks at the text and picks one. Every error names the file and
// line and says what was expected.
#pragma once

#include <string>
#include <string_view>

#include "sim/core/status.h"
#include "sim/history/history.h"

namespace faultline {

enum class HistoryFormat : uint8_t { kAuto, kJsonl, kEdn, kJepsenLog };
// "auto", "jsonl", "edn", "jepsen-log"; an error lists the known names.
Result<HistoryFormat> ParseHistoryFormat(std::string_view name);
std::string_view HistoryFormatName(HistoryFormat f);

// The format kAuto would choose for `text`.
HistoryFormat DetectHistoryFormat(std::string_view text);

Result<History> ReadHistory(std::string_view text, std::string source,
                            HistoryFormat format = HistoryFormat::kAuto);

// EDN, one map per line, in the order of h.ops (keys :process :type :f
// :key :value :time :index; absent ones left out).
std::string WriteEdn(const History& h);

}  // namespace faultline
