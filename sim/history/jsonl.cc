#include "sim/history/jsonl.h"

#include <charconv>
#include <cstdio>

#include "sim/core/strings.h"
#include "sim/history/lines.h"

namespace faultline {
namespace {

constexpr int kMaxDepth = 32;

// A JSON reader over one line, producing Values directly: null, integers,
// strings and arrays are operation values; an object {"keyword": "x"} is
// the keyword :x (so EDN histories round-trip). Floats, true and false are
// not operation values.
class Line {
 public:
  Line(std::string_view text, const std::string& source, int line)
      : text_(text), source_(source), line_(line) {}

  Status Error(std::string_view what) const {
    return InvalidArgument(Cat(source_, ":", line_, ":", pos_ + 1, ": ", what));
  }
  void Space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r')) ++pos_;
  }
  bool Eat(char c) {
    Space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool AtEnd() {
    Space();
    return pos_ == text_.size();
  }
  char Peek() {
    Space();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }

  Result<std::string> String() {
    if (!Eat('"')) return Error("expected a string");
    std::string out;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return Error("control character inside a string");
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) break;
      char e = text_[pos_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          Result<uint32_t> cp = CodePoint();
          if (!cp.ok()) return cp.status();
          AppendUtf8(&out, *cp);
          break;
        }
        default: return Error(Cat("unknown escape '\\", std::string(1, e), "'"));
      }
    }
    return Error("this string is not closed (expected '\"')");
  }

  Result<int64_t> Integer() {
    Space();
    size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    std::string_view digits = text_.substr(start, pos_ - start);
    if (pos_ < text_.size() && (text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E')) {
      pos_ = start;
      return Error("expected an integer, found a number with a fraction or exponent");
    }
    int64_t v = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec == std::errc::result_out_of_range) {
      pos_ = start;
      return Error("integer does not fit in 64 bits");
    }
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
      pos_ = start;
      return Error("expected an integer");
    }
    return v;
  }

  Result<Value> ParseValue(int depth) {
    if (depth > kMaxDepth) return Error(Cat("nesting deeper than ", kMaxDepth, " levels"));
    char c = Peek();
    if (c == '"') {
      Result<std::string> s = String();
      if (!s.ok()) return s.status();
      return Value::String(std::move(*s));
    }
    if (c == '[') {
      ++pos_;
      std::vector<Value> items;
      if (Eat(']')) return Value::List(std::move(items));
      for (;;) {
        Result<Value> v = ParseValue(depth + 1);
        if (!v.ok()) return v.status();
        items.push_back(std::move(*v));
        if (Eat(']')) return Value::List(std::move(items));
        if (!Eat(',')) return Error("expected ',' or ']' in an array");
      }
    }
    if (c == '{') {  // {"keyword": "name"}
      ++pos_;
      Result<std::string> k = String();
      if (!k.ok() || *k != "keyword" || !Eat(':')) {
        return Error("expected an object {\"keyword\": \"name\"} as a value");
      }
      Result<std::string> name = String();
      if (!name.ok()) return name.status();
      if (name->empty() || name->find_first_of(" \t\n\r,()[]{}\";") != std::string::npos) {
        return Error("a keyword's name must be non-empty, without spaces, commas, brackets, "
                     "quotes or ';'");
      }
      if (!Eat('}')) return Error("expected '}' after the keyword's name");
      return Value::Keyword(std::move(*name));
    }
    if (text_.substr(pos_, 4) == "null") {
      pos_ += 4;
      return Value();
    }
    Result<int64_t> i = Integer();
    if (!i.ok()) {
      return Error("expected a value: null, an integer, a string, an array or {\"keyword\": …}");
    }
    return Value::Int(*i);
  }

 private:
  Result<uint32_t> CodePoint() {
    auto hex4 = [&](uint32_t* out) {
      if (pos_ + 4 > text_.size()) return false;
      uint32_t v = 0;
      for (int i = 0; i < 4; ++i) {
        char h = text_[pos_++];
        v <<= 4;
        if (h >= '0' && h <= '9') v |= static_cast<uint32_t>(h - '0');
        else if (h >= 'a' && h <= 'f') v |= static_cast<uint32_t>(h - 'a' + 10);
        else if (h >= 'A' && h <= 'F') v |= static_cast<uint32_t>(h - 'A' + 10);
        else return false;
      }
      *out = v;
      return true;
    };
    uint32_t hi;
    if (!hex4(&hi)) return Error("expected four hex digits after \\u");
    if (hi < 0xD800 || hi > 0xDFFF) return hi;
    uint32_t lo;
    if (hi > 0xDBFF || text_.substr(pos_, 2) != "\\u") return Error("unpaired UTF-16 surrogate");
    pos_ += 2;
    if (!hex4(&lo) || lo < 0xDC00 || lo > 0xDFFF) return Error("unpaired UTF-16 surrogate");
    return 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
  }
  static void AppendUtf8(std::string* out, uint32_t cp) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  std::string_view text_;
  const std::string& source_;
  int line_;
  size_t pos_ = 0;
};

Result<OpType> TypeNamed(std::string_view s) {
  if (s == "invoke") return OpType::kInvoke;
  if (s == "ok") return OpType::kOk;
  if (s == "fail") return OpType::kFail;
  if (s == "info") return OpType::kInfo;
  return InvalidArgument("expected \"type\" to be \"invoke\", \"ok\", \"fail\" or \"info\"");
}

Result<Op> ParseOp(Line& in, int line_no) {
  Op op;
  op.line = line_no;
  if (!in.Eat('{')) return in.Error("expected an operation object {\"type\": …}");
  bool has_type = false, has_f = false, has_process = false;
  if (!in.Eat('}')) {
    for (;;) {
      Result<std::string> key = in.String();
      if (!key.ok()) return key.status();
      if (!in.Eat(':')) return in.Error(Cat("expected ':' after \"", *key, "\""));
      if (*key == "type" || *key == "f" || *key == "key" || *key == "node" || *key == "version") {
        const bool quoted = in.Peek() == '"';
        Result<std::string> v = in.String();
        if (!v.ok()) return quoted ? v.status() : in.Error(Cat("expected \"", *key, "\" to be a string"));
        if (*key == "type") {
          Result<OpType> t = TypeNamed(*v);
          if (!t.ok()) return in.Error(t.status().message());
          op.type = *t;
          has_type = true;
        } else if (*key == "f") {
          op.f = std::move(*v);
          has_f = true;
        } else if (*key == "key") {
          op.key = std::move(*v);
        } else if (*key == "version") {
          op.version = std::move(*v);
        } else {
          op.node = std::move(*v);
        }
      } else if (*key == "process") {
        if (in.Peek() == '"') {
          Result<std::string> name = in.String();
          if (!name.ok()) return name.status();
          if (name->empty()) return in.Error("a named process needs a name");
          op.process_name = std::move(*name);
        } else {
          Result<int64_t> p = in.Integer();
          if (!p.ok()) return in.Error("expected \"process\" to be an integer or a name such as \"nemesis\"");
          op.process = *p;
        }
        has_process = true;
      } else if (*key == "value") {
        Result<Value> v = in.ParseValue(0);
        if (!v.ok()) return v.status();
        op.value = std::move(*v);
      } else if (*key == "time_ns" || *key == "index") {
        Result<int64_t> v = in.Integer();
        if (!v.ok()) return v.status();
        if (*key == "time_ns") op.time_ns = *v;
      } else {
        return in.Error(Cat("unknown field \"", *key, "\" (known: index, process, type, f, key, "
                            "value, time_ns, node, version)"));
      }
      if (in.Eat('}')) break;
      if (!in.Eat(',')) return in.Error("expected ',' or '}' in the operation object");
    }
  }
  if (!in.AtEnd()) return in.Error("expected the end of the line after the operation");
  const char* missing = !has_type ? "type" : !has_f && !op.nemesis() ? "f" : !has_process ? "process" : nullptr;
  if (missing != nullptr) return in.Error(Cat("operation without \"", missing, "\""));
  return op;
}

}  // namespace

std::string JsonQuote(std::string_view s) {
  std::string out;
  AppendJsonQuoted(&out, s);
  return out;
}

void AppendJsonQuoted(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          *out += buf;
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

namespace {

std::string JsonValue(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNil: return "null";
    case Value::Kind::kInt: return Cat(v.int_value());
    case Value::Kind::kString: return JsonQuote(v.text());
    case Value::Kind::kKeyword: return Cat("{\"keyword\":", JsonQuote(v.text()), "}");
    case Value::Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.items().size(); ++i) {
        if (i > 0) out += ",";
        out += JsonValue(v.items()[i]);
      }
      return out + "]";
    }
  }
  return "null";
}

}  // namespace

Result<History> ReadJsonl(std::string_view text, std::string source) {
  History h;
  h.source = source;
  const std::vector<std::string_view> lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const int line_no = static_cast<int>(i + 1);
    Line in(lines[i], h.source, line_no);
    if (in.AtEnd()) continue;  // blank line
    Result<Op> op = ParseOp(in, line_no);
    if (!op.ok()) return op.status();
    op->index = static_cast<int64_t>(h.ops.size());
    h.ops.push_back(std::move(*op));
  }
  return h;
}

std::string WriteJsonl(const History& h) {
  std::string out;
  for (const Op& op : h.ops) {
    Append(&out, "{\"index\":", op.index, ",\"process\":",
           op.nemesis() ? JsonQuote(op.process_name) : Cat(op.process), ",\"type\":\"",
           OpTypeName(op.type), "\"");
    if (!op.f.empty() || !op.nemesis()) Append(&out, ",\"f\":", JsonQuote(op.f));
    if (op.key) Append(&out, ",\"key\":", JsonQuote(*op.key));
    Append(&out, ",\"value\":", JsonValue(op.value));
    if (op.time_ns >= 0) Append(&out, ",\"time_ns\":", op.time_ns);
    if (!op.node.empty()) Append(&out, ",\"node\":", JsonQuote(op.node));
    if (!op.version.empty()) Append(&out, ",\"version\":", JsonQuote(op.version));
    out += "}\n";
  }
  return out;
}

}  // namespace faultline
