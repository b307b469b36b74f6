#include "sim/history/edn.h"

#include <charconv>

#include "sim/core/strings.h"

namespace faultline::edn {

std::string_view KindName(Node::Kind k) {
  switch (k) {
    case Node::Kind::kNil: return "nil";
    case Node::Kind::kBool: return "boolean";
    case Node::Kind::kInt: return "integer";
    case Node::Kind::kFloat: return "float";
    case Node::Kind::kString: return "string";
    case Node::Kind::kKeyword: return "keyword";
    case Node::Kind::kSymbol: return "symbol";
    case Node::Kind::kVector: return "vector";
    case Node::Kind::kList: return "list";
    case Node::Kind::kMap: return "map";
    case Node::Kind::kSet: return "set";
    case Node::Kind::kTagged: return "tagged value";
  }
  return "?";
}

namespace {
bool IsDelimiter(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '(' || c == ')' ||
         c == '[' || c == ']' || c == '{' || c == '}' || c == '"' || c == ';';
}
}  // namespace

Status Reader::Error(std::string_view what) const {
  return InvalidArgument(Cat(file_, ":", line_, ":", column_, ": ", what));
}

void Reader::Advance() {
  if (text_[pos_] == '\n') {
    ++line_;
    column_ = 1;
  } else {
    ++column_;
  }
  ++pos_;
}

void Reader::SkipSpace() {
  while (!AtEnd()) {
    char c = Peek();
    if (c == ';') {
      while (!AtEnd() && Peek() != '\n') Advance();
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
      Advance();
    } else {
      return;
    }
  }
}

// Skips whitespace and any `#_ form` discards; the discarded forms are
// read (and must be well formed) at depth + 1. A loop, not recursion, so a
// long run of discards cannot exhaust the stack.
Status Reader::SkipDiscards(int depth) {
  for (;;) {
    SkipSpace();
    if (pos_ + 1 >= text_.size() || text_[pos_] != '#' || text_[pos_ + 1] != '_') return Status::Ok();
    Advance();
    Advance();
    Node ignored;
    if (Status s = Form(&ignored, depth + 1); !s.ok()) return s;
  }
}

Result<bool> Reader::Next(Node* out) {
  if (Status s = SkipDiscards(0); !s.ok()) return s;
  if (AtEnd()) return false;
  if (Status s = Form(out, 0); !s.ok()) return s;
  return true;
}

Status Reader::Form(Node* out, int depth) {
  if (depth > kMaxDepth) return Error(Cat("nesting deeper than ", kMaxDepth, " levels"));
  if (Status s = SkipDiscards(depth); !s.ok()) return s;
  if (AtEnd()) return Error("expected a value, found the end of the input");
  *out = Node{};
  out->line = line_;
  out->column = column_;
  const char c = Peek();
  switch (c) {
    case '[': Advance(); out->kind = Node::Kind::kVector; return Sequence(']', out, depth);
    case '(': Advance(); out->kind = Node::Kind::kList; return Sequence(')', out, depth);
    case '{': {
      Advance();
      out->kind = Node::Kind::kMap;
      if (Status s = Sequence('}', out, depth); !s.ok()) return s;
      if (out->items.size() % 2 != 0) {
        return InvalidArgument(Cat(file_, ":", out->line, ":", out->column,
                                   ": a map needs a value for every key (odd number of forms)"));
      }
      return Status::Ok();
    }
    case ']': case ')': case '}':
      return Error(Cat("unexpected '", std::string(1, c), "' with nothing open"));
    case '"': return StringLiteral(out);
    case '#': {
      Advance();
      if (AtEnd()) return Error("expected a set, a discard or a tag after '#'");
      if (Peek() == '{') {
        Advance();
        out->kind = Node::Kind::kSet;
        return Sequence('}', out, depth);
      }
      if (Peek() == '_') {  // only where SkipDiscards did not see it: nothing follows
        return Error("expected a form after the discard '#_'");
      }
      Node tag;
      if (Status s = Atom(&tag); !s.ok()) return s;
      if (tag.kind != Node::Kind::kSymbol) return Error("expected a tag symbol after '#'");
      out->kind = Node::Kind::kTagged;
      out->text = tag.text;
      out->items.emplace_back();
      return Form(&out->items.back(), depth + 1);
    }
    default: return Atom(out);
  }
}

Status Reader::Sequence(char close, Node* out, int depth) {
  for (;;) {
    if (Status s = SkipDiscards(depth); !s.ok()) return s;
    if (AtEnd()) {
      return InvalidArgument(Cat(file_, ":", out->line, ":", out->column, ": this ",
                                 KindName(out->kind), " is not closed (expected '",
                                 std::string(1, close), "')"));
    }
    if (Peek() == close) {
      Advance();
      return Status::Ok();
    }
    if (Peek() == ')' || Peek() == ']' || Peek() == '}') {
      return Error(Cat("expected '", std::string(1, close), "' to close the ",
                       KindName(out->kind), " opened at ", out->line, ":", out->column,
                       ", found '", std::string(1, Peek()), "'"));
    }
    out->items.emplace_back();
    if (Status s = Form(&out->items.back(), depth + 1); !s.ok()) return s;
  }
}

Status Reader::StringLiteral(Node* out) {
  out->kind = Node::Kind::kString;
  Advance();  // the opening quote
  for (;;) {
    if (AtEnd()) {
      return InvalidArgument(Cat(file_, ":", out->line, ":", out->column,
                                 ": this string is not closed (expected '\"')"));
    }
    char c = Peek();
    Advance();
    if (c == '"') return Status::Ok();
    if (c != '\\') {
      out->text.push_back(c);
      continue;
    }
    if (AtEnd()) return Error("expected an escaped character after '\\'");
    char e = Peek();
    Advance();
    switch (e) {
      case 'n': out->text.push_back('\n'); break;
      case 't': out->text.push_back('\t'); break;
      case 'r': out->text.push_back('\r'); break;
      case '"': out->text.push_back('"'); break;
      case '\\': out->text.push_back('\\'); break;
      default: return Error(Cat("unknown escape '\\", std::string(1, e), "' in a string"));
    }
  }
}

Status Reader::Atom(Node* out) {
  const size_t start = pos_;
  while (!AtEnd() && !IsDelimiter(Peek())) Advance();
  std::string_view tok = text_.substr(start, pos_ - start);
  if (tok.empty()) return Error("expected a value");
  if (tok == "nil") return Status::Ok();
  if (tok == "true" || tok == "false") {
    out->kind = Node::Kind::kBool;
    out->boolean = tok == "true";
    return Status::Ok();
  }
  if (tok[0] == ':') {
    if (tok.size() == 1) return Error("expected a keyword name after ':'");
    out->kind = Node::Kind::kKeyword;
    out->text = std::string(tok.substr(1));
    return Status::Ok();
  }
  const bool signed_number = (tok[0] == '-' || tok[0] == '+') && tok.size() > 1 &&
                             tok[1] >= '0' && tok[1] <= '9';
  if ((tok[0] >= '0' && tok[0] <= '9') || signed_number) {
    std::string_view digits = tok;
    if (digits.back() == 'N') digits.remove_suffix(1);  // bigint suffix
    if (digits[0] == '+') digits.remove_prefix(1);
    int64_t v = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec == std::errc() && end == digits.data() + digits.size()) {
      out->kind = Node::Kind::kInt;
      out->integer = v;
      return Status::Ok();
    }
    if (ec == std::errc::result_out_of_range) {
      return Error(Cat("integer '", tok, "' does not fit in 64 bits"));
    }
    if (tok.find_first_of(".eEM") != std::string_view::npos) {
      out->kind = Node::Kind::kFloat;
      out->text = std::string(tok);
      return Status::Ok();
    }
    return Error(Cat("expected a number, found '", tok, "'"));
  }
  out->kind = Node::Kind::kSymbol;
  out->text = std::string(tok);
  return Status::Ok();
}

}  // namespace faultline::edn
