#include "models/kit/crdt_workload.h"

#include "sim/core/strings.h"

namespace faultline::kit {

void CrdtWorkload::Run() {
  for (;;) {
    if (!Think()) return;
    const std::string k = NextKey();
    const std::string fresh = Cat(env_.name(), "-", ++seq_);
    KvRequest req;
    req.set_key(k);
    std::string f, key;
    Value input;
    const uint64_t pick = env_.rng().Uniform(9);
    if (pick < 3) {  // register
      req.set_kind(KvRequest::REGISTER);
      key = Cat("reg:", k);
      const bool write = pick < 2;
      req.set_op(write ? KvRequest::PUT : KvRequest::GET);
      if (write) req.set_value(fresh);
      f = write ? "write" : "read";
      if (write) input = Value::String(fresh);
    } else if (pick < 6) {  // set: add, remove one of ours, read
      req.set_kind(KvRequest::SET);
      key = Cat("set:", k);
      std::vector<std::string>& mine = added_[key];
      if (pick == 3 || (pick == 4 && mine.empty())) {
        req.set_op(KvRequest::ADD);
        req.set_value(fresh);
        mine.push_back(fresh);
        f = "add";
        input = Value::String(fresh);
      } else if (pick == 4) {
        req.set_op(KvRequest::REMOVE);
        req.set_value(mine[env_.rng().Uniform(mine.size())]);
        f = "remove";
        input = Value::String(req.value());
      } else {
        req.set_op(KvRequest::GET);
        f = "read";
      }
    } else {  // counter
      req.set_kind(KvRequest::COUNTER);
      key = Cat("ctr:", k);
      if (pick < 8) {
        req.set_op(KvRequest::INCR);
        req.set_delta(env_.rng().Range(-2, 5));
        f = "incr";
        input = Value::Int(req.delta());
      } else {
        req.set_op(KvRequest::GET);
        f = "read";
      }
    }
    Result<Client::Done> done = client_.Run(f, key, input, [&](int, uint64_t token, Duration remaining) {
      req.set_token(token);
      KvResponse answer;
      Attempt a = caller_.Try(req, remaining, &answer);
      if (a.kind == Attempt::kOk && req.op() == KvRequest::GET) {
        if (req.kind() == KvRequest::COUNTER) {
          a.value = Value::Int(answer.count());
        } else {
          std::vector<Value> items;
          for (const std::string& v : answer.values()) items.push_back(Value::String(v));
          a.value = Value::List(std::move(items));
        }
      }
      return a;
    });
    if (!done.ok()) return;
  }
}

}  // namespace faultline::kit
