// `faultline check HISTORY --model M`: checks a history for linearizability
// (design §7, §10). Exit 0 ok, 1 violation, 2 bad input, 5 unknown.
#include <chrono>  // the --timeout budget; sim/cli is exempt (design §2)
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/check/models.h"
#include "sim/cli/commands.h"
#include "sim/cli/exit_codes.h"
#include "sim/cli/flags.h"
#include "sim/core/strings.h"
#include "sim/history/edn.h"
#include "sim/history/formats.h"
#include "sim/history/jsonl.h"
#include "sim/report/check_report.h"

namespace faultline {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(Cat(path, ": cannot open the history file"));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return InvalidArgument(Cat(path, ": read error"));
  return text.str();
}

// --init as an EDN value: 0, nil, "x".
Result<Value> ParseInit(const std::string& text) {
  edn::Reader reader(text, "--init");
  edn::Node n;
  Result<bool> got = reader.Next(&n);
  if (!got.ok()) return got.status();
  if (!*got) return InvalidArgument("--init: expected a value such as 0, nil or \"x\"");
  switch (n.kind) {
    case edn::Node::Kind::kNil: return Value();
    case edn::Node::Kind::kInt: return Value::Int(n.integer);
    case edn::Node::Kind::kString: return Value::String(n.text);
    default: return InvalidArgument(Cat("--init: expected nil, an integer or a string, found a ",
                                        edn::KindName(n.kind)));
  }
}

std::string JsonIds(const std::vector<size_t>& ids, const std::vector<Operation>& ops) {
  std::vector<std::string> parts;
  for (size_t id : ids) parts.push_back(Cat(ops[id].invoke_index));
  return Cat("[", Join(parts, ","), "]");
}

void PrintJson(const std::string& path, const ModelInfo& model, const std::vector<Operation>& ops,
               const CheckResult& r, double seconds) {
  std::string out = Cat("{\"history\":", JsonQuote(path), ",\"model\":", JsonQuote(model.name),
                        ",\"verdict\":\"", VerdictName(r.verdict), "\",\"operations\":", ops.size(),
                        ",\"seconds\":", seconds, ",\"partitions\":[");
  for (size_t i = 0; i < r.partitions.size(); ++i) {
    const PartitionResult& p = r.partitions[i];
    if (i > 0) out += ",";
    Append(&out, "{\"key\":", JsonQuote(p.key), ",\"verdict\":\"", VerdictName(p.verdict),
           "\",\"operations\":", p.operations, ",\"unseen_infos\":", p.unseen_infos, ",\"steps\":", p.steps, ",\"segments\":", p.segments,
           ",\"ms\":", static_cast<double>(p.nanos) / 1e6);
    if (p.verdict == Verdict::kViolation) {
      Append(&out, ",\"longest_prefix\":", JsonIds(p.longest_prefix, ops),
             ",\"state_after_prefix\":", JsonQuote(p.state_after_prefix),
             ",\"stuck\":", JsonIds(p.stuck, ops));
    }
    if (p.verdict == Verdict::kUnknown) Append(&out, ",\"reason\":", JsonQuote(p.unknown_reason));
    out += "}";
  }
  out += "]}\n";
  std::fputs(out.c_str(), stdout);
}

void PrintText(const std::string& path, const ModelInfo& model, const std::vector<Operation>& ops,
               const CheckResult& r, double seconds) {
  size_t infos = 0;
  for (const Operation& op : ops) infos += op.info;
  size_t unseen = 0;
  for (const PartitionResult& p : r.partitions) unseen += p.unseen_infos;
  std::printf("faultline check %s\nmodel        %s\noperations   %zu (%zu info", path.c_str(), model.name.c_str(),
              ops.size(), infos);
  if (unseen > 0) std::printf(", %zu of them left out: nothing could see their effect", unseen);
  std::printf(")\npartitions   %zu\n", r.partitions.size());
  for (const PartitionResult& p : r.partitions) {
    if (p.verdict == Verdict::kOk) continue;
    std::string label = r.partitions.size() > 1 || !p.key.empty()
                            ? Cat("key ", Value::String(p.key).ToEdn())
                            : "history";
    if (p.verdict == Verdict::kUnknown) {
      std::printf("\n%s: unknown (%s) after %llu steps\n", label.c_str(), p.unknown_reason.c_str(),
                  static_cast<unsigned long long>(p.steps));
      continue;
    }
    std::printf("\n%s: VIOLATION (%zu operations, %.1f ms)\n", label.c_str(), p.operations,
                static_cast<double>(p.nanos) / 1e6);
    std::printf("  longest linearizable prefix: %zu operations, state after it: %s\n",
                p.longest_prefix.size(), p.state_after_prefix.c_str());
    const size_t tail = p.longest_prefix.size() > 5 ? p.longest_prefix.size() - 5 : 0;
    for (size_t i = tail; i < p.longest_prefix.size(); ++i) {
      std::printf("    %zu. %s\n", i + 1, DescribeOperation(ops[p.longest_prefix[i]]).c_str());
    }
    std::printf("  none of these can come next:\n");
    for (size_t id : p.stuck) std::printf("    %s\n", DescribeOperation(ops[id]).c_str());
  }
  std::printf("\nverdict      %s\ntime         %.1f ms\n", std::string(VerdictName(r.verdict)).c_str(),
              seconds * 1000);
}

// Writes the whole file or nothing: into a temporary beside it, then renamed
// over it, so a reader never sees half a report.
Status WriteWhole(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return InvalidArgument(Cat(path, ": cannot write the report"));
    out << text;
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      return InvalidArgument(Cat(path, ": write error"));
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return InvalidArgument(Cat(path, ": cannot write the report"));
  }
  return Status::Ok();
}

}  // namespace

int CheckCommand(const std::vector<std::string>& raw_args) {
  Flags flags;
  flags.Declare("model", "the model to check against (see below)", "");
  flags.Declare("init", "the model's initial value, as EDN (0, nil, \"x\")", "");
  flags.Declare("format", "auto, jsonl, edn or jepsen-log", "auto");
  flags.Declare("timeout", "wall-time budget; then the verdict is unknown", "60s");
  flags.Declare("memory", "memory budget of the search in MiB; then unknown", "1024");
  flags.Declare("html", "also write a self-contained HTML report to this file", "");
  auto fail = [](const Status& s) {
    std::fprintf(stderr, "faultline check: %s\n", s.message().c_str());
    return kExitBadInput;
  };
  bool json = false, fail_fast = false, no_partition = false, no_split = false;
  std::vector<std::string> args;
  for (const std::string& a : raw_args) {
    if (a == "--help" || a == "-h") {
      std::string models;
      for (const ModelInfo& m : Models()) Append(&models, "  ", m.name, ": ", m.summary, "\n");
      std::printf("usage: faultline check HISTORY --model M [flags]\n%s  --json: print the result "
                  "as JSON\n  --fail-fast: stop at the first violating partition\n  --no-partition: check a "
                  "keyed model's history as one whole\n  --no-split: do not split the search at quiescent points\n\nmodels:\n%s",
                  flags.Help().c_str(), models.c_str());
      return kExitOk;
    }
    if (a == "--json") {
      json = true;
    } else if (a == "--fail-fast") {
      fail_fast = true;
    } else if (a == "--no-partition") {
      no_partition = true;
    } else if (a == "--no-split") {
      no_split = true;
    } else {
      args.push_back(a);
    }
  }
  if (Status s = flags.Parse(args); !s.ok()) return fail(s);
  if (flags.positional().size() != 1) {
    return fail(InvalidArgument("expected one history file: faultline check HISTORY --model M"));
  }
  if (!flags.WasSet("model")) return fail(InvalidArgument("--model is required (see --help)"));
  Result<const ModelInfo*> model = FindModel(flags.Get("model"));
  if (!model.ok()) return fail(model.status());
  Result<HistoryFormat> format = ParseHistoryFormat(flags.Get("format"));
  if (!format.ok()) return fail(format.status());
  Result<Duration> timeout = flags.GetDuration("timeout");
  if (!timeout.ok()) return fail(timeout.status());
  Result<uint64_t> memory = flags.GetUint("memory");
  if (!memory.ok()) return fail(memory.status());
  if (flags.WasSet("html") && flags.Get("html").empty()) {
    return fail(InvalidArgument("--html: expected a file name"));
  }
  ModelOptions options;
  if (flags.WasSet("init")) {
    Result<Value> init = ParseInit(flags.Get("init"));
    if (!init.ok()) return fail(init.status());
    options.init = *init;
  }

  const std::string path = flags.positional()[0];
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return fail(text.status());
  auto start = std::chrono::steady_clock::now();
  Result<History> history = ReadHistory(*text, path, *format);
  if (!history.ok()) return fail(history.status());
  Result<std::vector<Operation>> ops = PairOperations(*history);
  if (!ops.ok()) return fail(ops.status());

  CheckBudget budget;
  const auto deadline = start + std::chrono::nanoseconds(timeout->nanos());
  if (timeout->nanos() > 0) {
    budget.out_of_time = [deadline] { return std::chrono::steady_clock::now() > deadline; };
  }
  budget.memory_bytes = static_cast<size_t>(*memory) << 20;
  budget.fail_fast = fail_fast;
  budget.no_partition = no_partition;
  budget.no_split = no_split;
  budget.now_ns = [] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  Result<CheckResult> r = CheckLinearizable(*ops, **model, options, budget);
  if (!r.ok()) return fail(r.status());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (flags.WasSet("html")) {
    const std::string page =
        RenderCheckReport(CheckReportInput{path, (*model)->name, &*history, &*ops, &*r});
    if (Status s = WriteWhole(flags.Get("html"), page); !s.ok()) return fail(s);
  }
  if (json) {
    PrintJson(path, **model, *ops, *r, seconds);
  } else {
    PrintText(path, **model, *ops, *r, seconds);
  }
  switch (r->verdict) {
    case Verdict::kOk: return kExitOk;
    case Verdict::kViolation: return kExitSafety;
    case Verdict::kUnknown: return kExitUnknown;
  }
  return kExitInternal;
}

}  // namespace faultline
