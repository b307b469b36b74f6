#include "sim/history/formats.h"

#include "sim/core/strings.h"
#include "sim/history/edn.h"
#include "sim/history/jsonl.h"
#include "sim/history/lines.h"

namespace faultline {

Result<HistoryFormat> ParseHistoryFormat(std::string_view name) {
  if (name == "auto") return HistoryFormat::kAuto;
  if (name == "jsonl") return HistoryFormat::kJsonl;
  if (name == "edn") return HistoryFormat::kEdn;
  if (name == "jepsen-log") return HistoryFormat::kJepsenLog;
  return InvalidArgument(Cat("unknown history format '", name, "' (known: auto, jsonl, edn, jepsen-log)"));
}

std::string_view HistoryFormatName(HistoryFormat f) {
  switch (f) {
    case HistoryFormat::kAuto: return "auto";
    case HistoryFormat::kJsonl: return "jsonl";
    case HistoryFormat::kEdn: return "edn";
    case HistoryFormat::kJepsenLog: return "jepsen-log";
  }
  return "?";
}

namespace {

constexpr std::string_view kLogMarker = "jepsen.util - ";

std::string At(const std::string& source, const edn::Node& n) {
  return Cat(source, ":", n.line, ":", n.column);
}

// An operation's value: nil, integers, strings, keywords, and vectors,
// lists or sets of those (a set keeps its written order).
Result<Value> ToValue(const edn::Node& n, const std::string& source) {
  switch (n.kind) {
    case edn::Node::Kind::kNil: return Value();
    case edn::Node::Kind::kInt: return Value::Int(n.integer);
    case edn::Node::Kind::kString: return Value::String(n.text);
    case edn::Node::Kind::kKeyword: return Value::Keyword(n.text);
    case edn::Node::Kind::kVector:
    case edn::Node::Kind::kList:
    case edn::Node::Kind::kSet: {
      std::vector<Value> items;
      for (const edn::Node& i : n.items) {
        Result<Value> v = ToValue(i, source);
        if (!v.ok()) return v.status();
        items.push_back(std::move(*v));
      }
      return Value::List(std::move(items));
    }
    default:
      return InvalidArgument(Cat(At(source, n), ": expected an operation value (nil, an integer, "
                                 "a string, a keyword or a vector of those), found a ",
                                 edn::KindName(n.kind)));
  }
}

Result<OpType> ToOpType(const edn::Node& n, const std::string& source) {
  if (n.kind == edn::Node::Kind::kKeyword) {
    if (n.text == "invoke") return OpType::kInvoke;
    if (n.text == "ok") return OpType::kOk;
    if (n.text == "fail") return OpType::kFail;
    if (n.text == "info") return OpType::kInfo;
  }
  return InvalidArgument(Cat(At(source, n), ": expected :type to be :invoke, :ok, :fail or :info"));
}

// One operation map. Unknown keys are tolerated.
Result<Op> OpFromMap(const edn::Node& map, const std::string& source) {
  if (map.kind != edn::Node::Kind::kMap) {
    return InvalidArgument(Cat(At(source, map), ": expected an operation map {:type … :f …}, found a ",
                               edn::KindName(map.kind)));
  }
  Op op;
  op.line = map.line;
  bool has_type = false, has_f = false, has_process = false;
  const edn::Node* value = nullptr;
  for (size_t i = 0; i + 1 < map.items.size(); i += 2) {
    const edn::Node& k = map.items[i];
    const edn::Node& v = map.items[i + 1];
    if (k.kind != edn::Node::Kind::kKeyword) continue;
    if (k.text == "type") {
      Result<OpType> t = ToOpType(v, source);
      if (!t.ok()) return t.status();
      op.type = *t;
      has_type = true;
    } else if (k.text == "f") {
      if (v.kind != edn::Node::Kind::kKeyword && v.kind != edn::Node::Kind::kString) {
        return InvalidArgument(Cat(At(source, v), ": expected :f to be a keyword such as :read"));
      }
      op.f = v.text;
      has_f = true;
    } else if (k.text == "process") {
      if (v.kind == edn::Node::Kind::kInt) {
        op.process = v.integer;
      } else if ((v.kind == edn::Node::Kind::kKeyword || v.kind == edn::Node::Kind::kString) &&
                 !v.text.empty()) {
        op.process_name = v.text;  // a string: a name no keyword can spell (from JSONL)
      } else {
        return InvalidArgument(Cat(At(source, v), ": expected :process to be an integer or a "
                                   "keyword such as :nemesis"));
      }
      has_process = true;
    } else if (k.text == "key") {
      if (v.kind == edn::Node::Kind::kString || v.kind == edn::Node::Kind::kKeyword) {
        op.key = v.text;
      } else if (v.kind == edn::Node::Kind::kInt) {
        op.key = std::to_string(v.integer);
      } else {
        return InvalidArgument(Cat(At(source, v), ": expected :key to be a string or an integer"));
      }
    } else if (k.text == "value") {
      value = &v;  // converted below, once the process is known
    } else if (k.text == "time" && v.kind == edn::Node::Kind::kInt) {
      op.time_ns = v.integer;
    }
  }
  if (value != nullptr) {
    Result<Value> val = ToValue(*value, source);
    if (val.ok()) {
      op.value = std::move(*val);
    } else if (!op.nemesis()) {  // a nemesis's value (a grudge map…) is not checked
      return val.status();
    }
  }
  const char* missing = !has_type ? ":type" : !has_f ? ":f" : !has_process ? ":process" : nullptr;
  if (missing != nullptr && !(op.nemesis() && has_type)) {
    return InvalidArgument(Cat(At(source, map), ": operation map without ", missing));
  }
  return op;
}

Result<History> ReadEdn(std::string_view text, std::string source) {
  History h;
  h.source = source;
  edn::Reader reader(text, source);
  edn::Node form;
  bool first = true;
  for (;;) {
    Result<bool> more = reader.Next(&form);
    if (!more.ok()) return more.status();
    if (!*more) break;
    // A vector or list of maps (the whole history), or maps one by one.
    if (form.kind == edn::Node::Kind::kVector || form.kind == edn::Node::Kind::kList) {
      if (!first) {
        return InvalidArgument(Cat(At(source, form), ": expected operation maps, found a second ",
                                   edn::KindName(form.kind)));
      }
      for (const edn::Node& m : form.items) {
        Result<Op> op = OpFromMap(m, source);
        if (!op.ok()) return op.status();
        h.ops.push_back(std::move(*op));
      }
    } else {
      Result<Op> op = OpFromMap(form, source);
      if (!op.ok()) return op.status();
      h.ops.push_back(std::move(*op));
    }
    first = false;
  }
  for (size_t i = 0; i < h.ops.size(); ++i) h.ops[i].index = static_cast<int64_t>(i);
  return h;
}

// "INFO  jepsen.util - 3\t:invoke\t:cas\t[0 4]"
Result<History> ReadJepsenLog(std::string_view text, std::string source) {
  History h;
  h.source = source;
  const std::vector<std::string_view> lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const int line_no = static_cast<int>(i + 1);
    std::string_view line = lines[i];
    size_t m = line.find(kLogMarker);
    if (m == std::string_view::npos) continue;  // other log output
    std::string_view rest = line.substr(m + kLogMarker.size());
    if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
    // process \t :type \t :f \t value
    std::string_view fields[4];
    size_t n = 0;
    while (n < 3) {
      size_t tab = rest.find('\t');
      if (tab == std::string_view::npos) break;
      fields[n++] = rest.substr(0, tab);
      rest = rest.substr(tab + 1);
    }
    fields[n++] = rest.substr(0, rest.find('\t'));  // an :error field may follow the value
    if (n < 4) continue;  // not an operation line (other jepsen.util output)
    std::string form = Cat("{:process ", fields[0], " :type ",
                           fields[1], " :f ", fields[2], " :value ", fields[3], "}");
    edn::Reader reader(form, Cat(source, ":", line_no));
    edn::Node map;
    Result<bool> got = reader.Next(&map);
    if (!got.ok()) {
      return InvalidArgument(Cat(source, ":", line_no, ": expected 'PROCESS\\t:TYPE\\t:F\\tVALUE' "
                                 "after 'jepsen.util - ' (", got.status().message(), ")"));
    }
    Result<Op> op = OpFromMap(map, source);
    if (!op.ok()) {
      return InvalidArgument(Cat(source, ":", line_no, ": ", op.status().message()));
    }
    op->line = line_no;
    op->index = static_cast<int64_t>(h.ops.size());
    h.ops.push_back(std::move(*op));
  }
  return h;
}

}  // namespace

// A Jepsen log starts with a log line ("INFO  jepsen…"); EDN and JSONL
// start with a bracket or a comment. JSONL's first object starts `{"`,
// EDN maps `{:`.
HistoryFormat DetectHistoryFormat(std::string_view text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos) return HistoryFormat::kEdn;
  if (std::string_view("{[(;#").find(text[i]) == std::string_view::npos &&
      text.find(kLogMarker) != std::string_view::npos) {
    return HistoryFormat::kJepsenLog;
  }
  if (text[i] == '{') {
    size_t j = text.find_first_not_of(" \t\r\n", i + 1);
    if (j != std::string_view::npos && text[j] == '"') return HistoryFormat::kJsonl;
  }
  return HistoryFormat::kEdn;
}

Result<History> ReadHistory(std::string_view text, std::string source, HistoryFormat format) {
  if (format == HistoryFormat::kAuto) format = DetectHistoryFormat(text);
  switch (format) {
    case HistoryFormat::kJepsenLog: return ReadJepsenLog(text, std::move(source));
    case HistoryFormat::kJsonl: return ReadJsonl(text, std::move(source));
    case HistoryFormat::kEdn:
    case HistoryFormat::kAuto: return ReadEdn(text, std::move(source));
  }
  return InvalidArgument("unknown history format");
}

namespace {
// Whether `name` reads back as the keyword :name (no delimiter inside).
bool KeywordSafe(std::string_view name) {
  return !name.empty() && name.find_first_of(" \t\n\r,()[]{}\";") == std::string_view::npos;
}
}  // namespace

std::string WriteEdn(const History& h) {
  std::string out;
  for (const Op& op : h.ops) {
    const std::string process = !op.nemesis()               ? Cat(op.process)
                                : KeywordSafe(op.process_name) ? Cat(":", op.process_name)
                                                               : Value::String(op.process_name).ToEdn();
    Append(&out, "{:process ", process, ", :type :", OpTypeName(op.type));
    // :f was a keyword or a string; a nemesis operation may have none.
    if (KeywordSafe(op.f)) {
      Append(&out, ", :f :", op.f);
    } else if (!op.f.empty() || !op.nemesis()) {
      Append(&out, ", :f ", Value::String(op.f).ToEdn());
    }
    if (op.key) Append(&out, ", :key ", Value::String(*op.key).ToEdn());
    Append(&out, ", :value ", op.value.ToEdn());
    if (op.time_ns >= 0) Append(&out, ", :time ", op.time_ns);
    Append(&out, ", :index ", op.index, "}\n");
  }
  return out;
}

}  // namespace faultline
