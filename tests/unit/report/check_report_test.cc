#include <catch2/catch.hpp>

#include "sim/check/models.h"
#include "sim/core/strings.h"
#include "sim/history/formats.h"
#include "sim/history/recorder.h"
#include "sim/report/check_report.h"

namespace faultline {
namespace {

struct Checked {
  History history;
  std::vector<Operation> ops;
  CheckResult result;
  std::string page;
};

Checked CheckAndRender(History h, std::string_view model, const CheckReportOptions& o = {}) {
  Checked c;
  c.history = std::move(h);
  Result<std::vector<Operation>> ops = PairOperations(c.history);
  REQUIRE(ops.ok());
  c.ops = std::move(*ops);
  Result<CheckResult> r = CheckLinearizable(c.ops, **FindModel(model), {}, {});
  REQUIRE(r.ok());
  c.result = std::move(*r);
  c.page = RenderCheckReport(CheckReportInput{"h.edn", std::string(model), &c.history, &c.ops, &c.result}, o);
  return c;
}

Checked FromText(std::string_view text, std::string_view model, const CheckReportOptions& o = {}) {
  Result<History> h = ReadHistory(text, "h.edn");
  REQUIRE(h.ok());
  return CheckAndRender(std::move(*h), model, o);
}

size_t Count(std::string_view text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A kv history from a sequential execution (operation i is invoked at
// position 2i and completes at 2i + 1): ten processes taking turns, `keys`
// keys. With `lie_at`, that operation (a read) returns a value never written.
History KvHistory(int n, int keys, int lie_at, int value_chars = 0) {
  HistoryRecorder rec("kv.jsonl");
  std::vector<std::string> state(static_cast<size_t>(keys), "");
  int64_t t = 0;
  for (int i = 0; i < n; ++i) {
    const int p = i % 10;
    const size_t k = static_cast<size_t>((i * 7) % keys);
    const bool write = i % 3 != 2;
    std::string v = Cat("v", i, std::string(static_cast<size_t>(value_chars), 'x'));
    rec.Invoke(p, write ? "write" : "read", Cat("k", k), write ? Value::String(v) : Value(), t++);
    if (write) {
      state[k] = v;
      rec.Complete(p, OpType::kOk, Value::String(v), t++);
    } else {
      Value got = state[k].empty() ? Value() : Value::String(state[k]);
      if (i == lie_at) got = Value::String("never written");
      rec.Complete(p, OpType::kOk, got, t++);
    }
  }
  return rec.Take();
}

TEST_CASE("Report: a small violation is shown whole, offenders and prefix marked", "[report]") {
  Checked c = FromText(
      "{:process 0 :type :invoke :f :write :value 1}\n"
      "{:process 0 :type :ok :f :write :value 1}\n"
      "{:process 1 :type :invoke :f :read :value nil}\n"
      "{:process 1 :type :ok :f :read :value 0}\n",
      "register");
  REQUIRE(c.result.verdict == Verdict::kViolation);
  std::vector<ReportWindow> w = ChooseReportWindows(c.ops, c.result, {});
  REQUIRE(w.size() == 1);
  CHECK(w[0].why == "the whole history");
  CHECK(w[0].from == 0);
  CHECK(w[0].to == 4);
  CHECK(w[0].ops == std::vector<size_t>{0, 1});
  // [id, process, call, end, partition, status, order, f, ...]: the write is
  // the prefix's first operation (status 1, order 0); the read is stuck (2).
  CHECK(Count(c.page, "[0,0,0,1,0,1,0,\"write\"") == 1);
  CHECK(Count(c.page, "[2,1,2,3,0,2,-1,\"read\"") == 1);
  CHECK(Count(c.page, "\"verdict\":\"violation\"") == 2);  // the history and its partition
  CHECK(Count(c.page, "\"state\":\"1\"") == 1);
  CHECK(Count(c.page, "\"stuck\":[2]") == 1);
}

TEST_CASE("Report: an ok history carries its linearization", "[report]") {
  Checked c = FromText(
      "{:process 0 :type :invoke :f :write :value 1}\n"
      "{:process 1 :type :invoke :f :read :value nil}\n"
      "{:process 1 :type :ok :f :read :value 1}\n"
      "{:process 0 :type :ok :f :write :value 1}\n"
      "{:process 2 :type :invoke :f :write :value 2}\n"     // info: placed, a read saw it
      "{:process 3 :type :invoke :f :cas :value [5 6]}\n"   // info that cannot apply: left out
      "{:process 4 :type :invoke :f :read :value nil}\n"
      "{:process 4 :type :ok :f :read :value 2}\n",
      "cas-register");
  REQUIRE(c.result.verdict == Verdict::kOk);
  REQUIRE(c.result.partitions[0].linearization == std::vector<size_t>{0, 1, 2, 4});
  CHECK(Count(c.page, "[0,0,0,3,0,0,0,\"write\"") == 1);  // linearized first
  CHECK(Count(c.page, "[1,1,1,2,0,0,1,\"read\"") == 1);   // then the read
  CHECK(Count(c.page, "[4,2,4,-1,0,0,2,\"write\"") == 1);  // then the info write
  CHECK(Count(c.page, "[5,3,5,-1,0,4,-1,\"cas\"") == 1);   // never took effect
  CHECK(Count(c.page, "[6,4,6,7,0,0,3,\"read\"") == 1);   // the read that saw it
}

TEST_CASE("Report: self-contained, and history text cannot become markup", "[report]") {
  Checked c = FromText(
      "{:process 0 :type :invoke :f :write :key \"</script><script>alert(1)</script>\" :value \"/*FAULTLINE_DATA*/\"}\n"
      "{:process 0 :type :ok :f :write :key \"</script><script>alert(1)</script>\" :value \"/*FAULTLINE_DATA*/\"}\n",
      "kv");
  CHECK(c.page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(c.page.substr(c.page.size() - 8) == "</html>\n");
  CHECK(Count(c.page, "/*FAULTLINE_DATA*/") == 2);  // the value (input and output), as data; the slot is filled
  CHECK(Count(c.page, "<script") == 2);  // the page's own two
  CHECK(Count(c.page, "</script>") == 2);
  CHECK(Count(c.page, "alert(1)") == 2);  // still there, as text (\u003c-escaped)
  for (std::string_view fetch : {" src=", "href=\"http", "url(", "@import", "fetch(", "XMLHttpRequest"}) {
    INFO(fetch);
    CHECK(Count(c.page, fetch) == 0);
  }
}

TEST_CASE("Report: 100k operations stay under 5 MB, windowed around the violation", "[report][size]") {
  const int n = 100000, lie = 70001;  // i % 3 == 2: a read
  Checked c = CheckAndRender(KvHistory(n, 100, lie), "kv");
  REQUIRE(c.result.verdict == Verdict::kViolation);
  CHECK(c.page.size() <= 5u << 20);
  std::vector<ReportWindow> w = ChooseReportWindows(c.ops, c.result, {});
  REQUIRE(w.size() == 1);
  CHECK(w[0].why == "the violation in key \"k7\"");  // 70001 * 7 % 100
  size_t stuck = 0;
  for (const PartitionResult& p : c.result.partitions) {
    if (p.verdict == Verdict::kViolation) stuck = p.stuck.at(0);
  }
  CHECK(stuck == static_cast<size_t>(lie));
  CHECK(std::binary_search(w[0].ops.begin(), w[0].ops.end(), stuck));
  CHECK(w[0].ops.size() <= 16000 + 64);
  CHECK(w[0].from <= c.ops[stuck].call);
  CHECK(w[0].to > c.ops[stuck].ret);
  // Most of the window is the history before the violation.
  CHECK(w[0].ops.front() < stuck - 10000);
  CHECK(w[0].ops.back() > stuck + 2000);
  CHECK(Count(c.page, Cat("[", c.ops[stuck].invoke_index, ",")) >= 1);

  // Long values are cut: the bound holds for any values.
  Checked wide = CheckAndRender(KvHistory(n, 100, lie, 500), "kv");
  CHECK(wide.page.size() <= 5u << 20);
  const size_t ops_from = wide.page.find("\"windows\":[");
  REQUIRE(ops_from != std::string::npos);
  CHECK(Count(std::string_view(wide.page).substr(ops_from), std::string(48, 'x')) == 0);
}

TEST_CASE("Report: windows for several violations merge, ok histories show their start", "[report]") {
  CheckReportOptions o;
  o.max_ops = 1000;
  // Two lies far apart, two windows; then two close together, one window.
  History h = KvHistory(20000, 10, 5000);
  for (Op& op : h.ops) {
    if (op.index == 2 * 15002 + 1) op.value = Value::String("another lie");  // op 15002's completion
  }
  Checked far = CheckAndRender(std::move(h), "kv", o);
  std::vector<ReportWindow> w = ChooseReportWindows(far.ops, far.result, o);
  REQUIRE(w.size() == 2);
  CHECK(w[0].ops.size() + w[1].ops.size() <= 1000 + 2 * 64);
  CHECK(std::binary_search(w[0].ops.begin(), w[0].ops.end(), size_t{5000}));
  CHECK(std::binary_search(w[1].ops.begin(), w[1].ops.end(), size_t{15002}));

  Checked ok = CheckAndRender(KvHistory(5000, 10, -1), "kv", o);
  REQUIRE(ok.result.verdict == Verdict::kOk);
  w = ChooseReportWindows(ok.ops, ok.result, o);
  REQUIRE(w.size() == 1);
  CHECK(w[0].why == "the first 1000 of 5000 operations");
  CHECK(w[0].ops.front() == 0);
  CHECK(w[0].ops.size() == 1000);
}

}  // namespace
}  // namespace faultline
