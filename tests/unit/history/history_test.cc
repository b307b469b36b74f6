#include <catch2/catch.hpp>

#include "sim/history/edn.h"
#include "sim/history/formats.h"
#include "sim/history/jsonl.h"
#include "sim/history/recorder.h"

namespace faultline {
namespace {

Result<std::vector<Operation>> Pair(std::string_view text) {
  Result<History> h = ReadHistory(text, "h.edn");
  if (!h.ok()) return h.status();
  return PairOperations(*h);
}

TEST_CASE("EDN: the subset Jepsen writes", "[history][edn]") {
  std::string_view text =
      "; a comment\n[{:process 0 :type :invoke :f :cas :value [1 2] :time 10 :index 0},\n"
      " {:process 0, :type :ok, :f :cas, :value [1 2], :extra #{1 2} :t #inst \"2020\"}\n"
      " {:process :nemesis :type :info :f :start :value nil}]";
  Result<History> h = ReadHistory(text, "h.edn");
  REQUIRE(h.ok());
  REQUIRE(h->ops.size() == 3);
  CHECK(h->ops[0].f == "cas");
  CHECK(h->ops[0].value == Value::List({Value::Int(1), Value::Int(2)}));
  CHECK(h->ops[0].time_ns == 10);
  CHECK(h->ops[1].type == OpType::kOk);
  CHECK(h->ops[1].line == 3);
  CHECK(h->ops[2].nemesis());
  Result<std::vector<Operation>> ops = PairOperations(*h);
  REQUIRE(ops.ok());
  REQUIRE(ops->size() == 1);  // the nemesis is not a client
  CHECK(ops->at(0).input == Value::List({Value::Int(1), Value::Int(2)}));
}

TEST_CASE("EDN: one map per line, and strings with escapes", "[history][edn]") {
  Result<History> h = ReadHistory(
      "{:process 1, :type :invoke, :f :append, :key \"4\", :value \"a \\\"b\\\"\"}\n"
      "{:process 1, :type :ok, :f :append, :key \"4\", :value \"a \\\"b\\\"\"}\n",
      "kv.txt");
  REQUIRE(h.ok());
  REQUIRE(h->ops.size() == 2);
  CHECK(*h->ops[0].key == "4");
  CHECK(h->ops[0].value == Value::String("a \"b\""));
  CHECK(WriteEdn(*h).find(":key \"4\"") != std::string::npos);
}

TEST_CASE("Jepsen log lines, other lines ignored", "[history][log]") {
  Result<History> h = ReadHistory(
      "INFO  jepsen.core - starting\n"
      "INFO  jepsen.util - 3\t:invoke\t:cas\t[0 4]\n"
      "INFO  jepsen.util - 3\t:fail\t:cas\t[0 4]\n"
      "INFO  jepsen.util - 1\t:invoke\t:write\t2\n"
      "INFO  jepsen.util - 1\t:info\t:write\t:timed-out\n",
      "etcd.log");
  REQUIRE(h.ok());
  REQUIRE(h->ops.size() == 4);
  CHECK(h->ops[0].line == 2);
  Result<std::vector<Operation>> ops = PairOperations(*h);
  REQUIRE(ops.ok());
  REQUIRE(ops->size() == 1);  // the failed cas did not happen
  CHECK(ops->at(0).info);
  CHECK(ops->at(0).input == Value::Int(2));
  CHECK(ops->at(0).ret == INT64_MAX);
}

TEST_CASE("Bad histories name the file, the line and what was expected",
          "[history][bad-input]") {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"{:process 0 :type :invoke :f :read", "h.edn:1:1: this map is not closed"},
      {"{:process 0 :type :begin :f :read}", "h.edn:1:19: expected :type to be :invoke"},
      {"{:process 0 :type :invoke}", "h.edn:1:1: operation map without :f"},
      {"{:process 0 :type}", "odd number of forms"},
      {"[1 2]", "expected an operation map"},
      {"{:process 0 :type :invoke :f :read :value 99999999999999999999}", "does not fit in 64 bits"},
      {"{:process 0 :type :invoke :f :read :value \"abc}", "string is not closed"},
      {"{:process 0 :type :invoke :f :read :value 1.5}", "expected an operation value"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    Result<History> h = ReadHistory(c.text, "h.edn");
    REQUIRE_FALSE(h.ok());
    CHECK(h.status().message().find(c.want) != std::string::npos);
    CHECK(h.status().code() == Error::kInvalidArgument);
  }
  std::string deep(100, '[');
  Result<History> h = ReadHistory(deep, "h.edn");
  REQUIRE_FALSE(h.ok());
  CHECK(h.status().message().find("nesting deeper") != std::string::npos);
}

TEST_CASE("Pairing errors: completion without invocation, double invoke, invoke after info",
          "[history][bad-input]") {
  Result<std::vector<Operation>> r = Pair("{:process 0 :type :ok :f :read :value 1}");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("h.edn:1: process 0 completes (:ok :read) without an invocation") !=
        std::string::npos);
  r = Pair("{:process 0 :type :invoke :f :read}\n{:process 0 :type :invoke :f :read}");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("h.edn:2: process 0 invokes again before") != std::string::npos);
  r = Pair("{:process 0 :type :invoke :f :write :value 1}\n{:process 0 :type :info :f :write}\n"
           "{:process 0 :type :invoke :f :read}");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("after its :info") != std::string::npos);
  r = Pair("{:process 0 :type :invoke :f :write :value 1}\n{:process 0 :type :ok :f :read}");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("does not match the invocation :write") != std::string::npos);
}

TEST_CASE("JSONL: read, write, and the same operations back", "[history][jsonl]") {
  std::string_view text =
      "{\"index\":0,\"process\":3,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"k\","
      "\"value\":[0,4],\"time_ns\":1200,\"node\":\"n1\"}\n"
      "\n"
      "{\"process\":3,\"type\":\"info\",\"f\":\"cas\",\"value\":{\"keyword\":\"timed-out\"}}\n"
      "{\"process\":\"nemesis\",\"type\":\"info\",\"value\":\"a\\u00e9\\n\\ud83d\\ude00\"}\n";
  CHECK(DetectHistoryFormat(text) == HistoryFormat::kJsonl);
  Result<History> h = ReadHistory(text, "h.jsonl");
  REQUIRE(h.ok());
  REQUIRE(h->ops.size() == 3);
  CHECK(h->ops[0].value == Value::List({Value::Int(0), Value::Int(4)}));
  CHECK(h->ops[0].node == "n1");
  CHECK(h->ops[0].time_ns == 1200);
  CHECK(h->ops[1].line == 3);
  CHECK(h->ops[1].value == Value::Keyword("timed-out"));
  CHECK(h->ops[2].nemesis());
  CHECK(h->ops[2].value == Value::String("a\xc3\xa9\n\xf0\x9f\x98\x80"));
  Result<History> back = ReadHistory(WriteJsonl(*h), "again.jsonl");
  REQUIRE(back.ok());
  REQUIRE(back->ops.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(back->ops[i].value == h->ops[i].value);
    CHECK(back->ops[i].f == h->ops[i].f);
    CHECK(back->ops[i].process_name == h->ops[i].process_name);
  }
  // EDN in, JSONL out, EDN semantics kept.
  Result<History> edn = ReadHistory("{:process 0 :type :invoke :f :read :value nil}", "e.edn");
  REQUIRE(edn.ok());
  CHECK(WriteJsonl(*edn) == "{\"index\":0,\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"value\":null}\n");
}

TEST_CASE("JSONL: bad lines name file, line, column and what was expected",
          "[history][jsonl][bad-input]") {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"{\"process\":0,\"type\":\"invoke\"}", "h.jsonl:1:30: operation without \"f\""},
      {"{\"process\":0,\"type\":\"begin\",\"f\":\"read\"}", "expected \"type\" to be"},
      {"{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"value\":1.5}", "expected a value"},
      {"{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"colour\":1}", "unknown field \"colour\""},
      {"{\"process\":0,\"type\":\"invoke\",\"f\":\"read\"} x", "expected the end of the line"},
      {"{\"process\":0,\"type\":\"invoke\",\"f\":\"re", "this string is not closed"},
      {"{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"value\":\"\\ud800\"}", "unpaired UTF-16"},
      {"{\"process\":99999999999999999999,\"type\":\"invoke\",\"f\":\"read\"}", "integer or a name"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    Result<History> h = ReadHistory(c.text, "h.jsonl", HistoryFormat::kJsonl);
    REQUIRE_FALSE(h.ok());
    CHECK(h.status().message().find(c.want) != std::string::npos);
  }
}

TEST_CASE("Review fixes: discards, log error fields, nemesis values, detection",
          "[history][edn][log]") {
  // #_ before a closer and at the end of input discards and yields nothing.
  Result<History> h = ReadHistory("[{:process 0 :type :invoke :f :read #_:ignored} #_{:x 1}] #_[]",
                                  "d.edn");
  REQUIRE(h.ok());
  CHECK(h->ops.size() == 1);
  // A long run of discards does not recurse.
  std::string many;
  for (int i = 0; i < 200'000; ++i) many += "#_1 ";
  many += "{:process 0 :type :invoke :f :read}";
  h = ReadHistory(many, "many.edn");
  REQUIRE(h.ok());
  CHECK(h->ops.size() == 1);
  // Jepsen prints an :error field after the value.
  h = ReadHistory("INFO  jepsen.util - 1\t:invoke\t:write\t4\n"
                  "INFO  jepsen.util - 1\t:info\t:write\t4\t:timed-out\n",
                  "e.log");
  REQUIRE(h.ok());
  REQUIRE(h->ops.size() == 2);
  CHECK(h->ops[1].value == Value::Int(4));
  // A nemesis's value may be anything; a client's may not.
  h = ReadHistory("{:process :nemesis :type :info :f :start :value {:grudge #{1 2} :p 0.5}}", "n.edn");
  REQUIRE(h.ok());
  CHECK(h->ops[0].value.is_nil());
  CHECK_FALSE(ReadHistory("{:process 0 :type :invoke :f :write :value {:a 1}}", "c.edn").ok());
  // The log marker inside an EDN string does not make it a log.
  CHECK(DetectHistoryFormat("{:process 0 :type :invoke :f :write :value \"jepsen.util - 1\"}") ==
        HistoryFormat::kEdn);
  CHECK(DetectHistoryFormat("INFO  jepsen.core - start\nINFO  jepsen.util - 1\t:invoke\t:read\tnil") ==
        HistoryFormat::kJepsenLog);
}

TEST_CASE("An invocation with no completion is info", "[history]") {
  Result<std::vector<Operation>> r = Pair("{:process 0 :type :invoke :f :write :value 1}");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  CHECK(r->at(0).info);
  CHECK(r->at(0).complete_index == -1);
}

TEST_CASE("The recorder writes what the readers read and the pairing accepts", "[history][recorder]") {
  HistoryRecorder rec("sim");
  rec.Invoke(0, "write", std::string("k"), Value::Int(1), 100, "n1");
  rec.Invoke(1, "read", std::string("k"), Value(), 150);
  rec.Nemesis(OpType::kInfo, "partition", Value::Keyword("majority"), 160);
  rec.Complete(0, OpType::kOk, Value::Int(1), 200);
  CHECK(rec.Open(1));
  CHECK_FALSE(rec.Open(0));
  rec.Complete(1, OpType::kInfo, Value(), 300);
  CHECK(rec.Crashed(1));
  rec.Invoke(0, "read", std::string("k"), Value(), 400);  // left open: info
  History h = rec.Take();
  REQUIRE(h.ops.size() == 6);
  CHECK(h.ops[3].f == "write");  // a completion carries its invocation's :f, key and node
  CHECK(h.ops[3].key == std::optional<std::string>("k"));
  CHECK(h.ops[3].node == "n1");
  CHECK(h.ops[5].index == 5);
  // Through JSONL and back, then paired: the same operations.
  Result<History> back = ReadHistory(WriteJsonl(h), "sim.jsonl");
  REQUIRE(back.ok());
  Result<std::vector<Operation>> ops = PairOperations(*back);
  REQUIRE(ops.ok());
  REQUIRE(ops->size() == 3);
  CHECK_FALSE((*ops)[0].info);
  CHECK((*ops)[0].call == 0);
  CHECK((*ops)[0].ret == 3);
  CHECK((*ops)[1].info);
  CHECK((*ops)[2].info);
  CHECK((*ops)[2].complete_index == -1);

  // After Take the recorder starts afresh; times may be absent (-1).
  CHECK_FALSE(rec.Open(0));
  CHECK_FALSE(rec.Crashed(1));
  rec.Invoke(1, "read", std::nullopt, Value(), 500);
  rec.Complete(1, OpType::kOk, Value::Int(3), -1);
  History again = rec.Take();
  REQUIRE(again.ops.size() == 2);
  CHECK(again.source == "sim");
  CHECK(again.ops[0].index == 0);
  CHECK(again.ops[1].time_ns == -1);
}

}  // namespace
}  // namespace faultline
