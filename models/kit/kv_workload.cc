#include "models/kit/kv_workload.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "models/kit/hlc.h"
#include "sim/core/strings.h"

namespace faultline::kit {

KvCaller::KvCaller(Env& env, const KitConfig& config, size_t first, Duration attempt)
    : env_(env), attempt_(attempt) {
  replicas_ = config.Replicas(env_);
  home_ = target_ = first % replicas_.size();
}

Attempt KvCaller::Try(const KvRequest& req, Duration remaining, KvResponse* answer) {
  Result<KvResponse> r = env_.Call<KvResponse>(replicas_[target_], "kv", req, std::min(remaining, attempt_));
  Attempt a;
  a.served_by = env_.name_of(replicas_[target_]);
  if (!r.ok()) {
    a.kind = ClassifyRpcError(r.status());
    a.why = r.status().message();
  } else if (r->code() == KvResponse::OK) {
    a.kind = Attempt::kOk;
    if (r->has_stamp()) {
      a.version = Timestamp{r->stamp().physical(), r->stamp().logical(), r->stamp().node()}.SortableText();
    }
    *answer = *r;
  } else {
    a.kind = r->code() == KvResponse::CAS_MISMATCH ? Attempt::kRejected : Attempt::kNotHere;
    if (r->code() == KvResponse::NOT_HERE && !r->hint().empty()) {
      for (size_t i = 0; i < replicas_.size(); ++i) {
        if (env_.name_of(replicas_[i]) == r->hint()) target_ = (i + replicas_.size() - 1) % replicas_.size();
      }
    }
  }
  // Move on only when this replica certainly did not apply it. After an
  // unknown outcome a write's retry goes to the same replica: its token
  // memory is what keeps a retried write from applying twice. A read has
  // no effect to repeat, so a silent replica (perhaps a deposed leader)
  // is left at once.
  const bool read = req.op() == KvRequest::GET;
  if (a.kind == Attempt::kNotHere || (read && a.kind == Attempt::kUnknown)) target_ = (target_ + 1) % replicas_.size();
  return a;
}

std::optional<int64_t> FirstProcess(Env& env, int index, int64_t stride) {
  SIM_ASSERT_MSG(index >= 0 && index < stride, Cat("client ", index, " needs a process stride above it, not ", stride));
  int64_t boot = 0;
  if (Result<std::string> b = env.disk().ReadAll("boots"); b.ok()) {
    std::from_chars(b->data(), b->data() + b->size(), boot);  // unreadable: 0, as on a fresh disk
  }
  // Persisted before use: a crash after this boot's first invocation must
  // not give the next boot the same numbers.
  if (!env.disk().Write("boots", 0, Cat(boot + 1, "\n")).ok() || !env.disk().Fsync("boots").ok()) return std::nullopt;
  return index + stride * (boot << 20);
}

KitClient::KitClient(Env& env, HistoryRecorder& history, const KitConfig& config, int index,
                     KvWorkloadOptions options)
    : env_(env),
      options_(options),
      first_process_(FirstProcess(env, index, options.stride)),
      client_(env, history, first_process_.value_or(index), options.stride, options.retry),
      caller_(env, config, static_cast<size_t>(index), options.attempt) {
  if (options_.zipf_exponent > 0) {
    // Integer weights, computed once: the draw itself is integer-only and so
    // the same on every machine that computes the same weights.
    uint64_t total = 0;
    for (int k = 0; k < options_.keys; ++k) {
      total += static_cast<uint64_t>(1e9 / std::pow(static_cast<double>(k + 1), options_.zipf_exponent)) + 1;
      key_cdf_.push_back(total);
    }
  }
}

std::string KitClient::NextKey() {
  if (key_cdf_.empty()) return Cat("k", env_.rng().Uniform(static_cast<uint64_t>(options_.keys)));
  const uint64_t d = env_.rng().Uniform(key_cdf_.back());
  return Cat("k", std::upper_bound(key_cdf_.begin(), key_cdf_.end(), d) - key_cdf_.begin());
}

bool KitClient::Think() {
  const Duration think = env_.rng().Range(options_.think / 2, options_.think * 3 / 2);
  return first_process_.has_value() && env_.Sleep(think).ok() && env_.now() < options_.stop;
}

size_t KvWorkload::PickOp() {
  int64_t total = 0;
  for (int64_t w : options_.mix) total += w;
  int64_t d = static_cast<int64_t>(env_.rng().Uniform(static_cast<uint64_t>(total)));
  size_t op = 0;
  while (d >= options_.mix[op]) d -= options_.mix[op++];
  return op;
}

void KvWorkload::Run() {
  for (;;) {
    if (!Think()) return;
    KvRequest req;
    const std::string key = NextKey();
    req.set_key(key);
    const std::string fresh = Cat(env_.name(), "-", ++seq_);
    std::string f;
    Value input;
    switch (PickOp()) {
      case 0:
        req.set_op(KvRequest::GET);
        f = "read";
        break;
      case 1:
        req.set_op(KvRequest::PUT);
        req.set_value(fresh);
        f = "write";
        input = Value::String(fresh);
        break;
      case 2: {  // read-modify-write from what this client last saw here
        req.set_op(KvRequest::CAS);
        auto seen = last_seen_.find(key);
        req.set_has_expected(seen != last_seen_.end());
        if (seen != last_seen_.end()) req.set_expected(seen->second);
        req.set_value(fresh);
        f = "cas";
        input = Value::List({seen != last_seen_.end() ? Value::String(seen->second) : Value(), Value::String(fresh)});
        break;
      }
      default:
        req.set_op(KvRequest::DELETE);
        f = "write";
        break;  // a write of nil
    }
    if (options_.start_at_home) caller_.GoHome();
    Result<Client::Done> done = client_.Run(f, key, input, [&](int, uint64_t token, Duration remaining) {
      req.set_token(token);
      KvResponse answer;
      Attempt a = caller_.Try(req, remaining, &answer);
      if (a.kind == Attempt::kOk && req.op() == KvRequest::GET) {
        a.value = answer.found() ? Value::String(answer.value()) : Value();
      }
      return a;
    });
    if (!done.ok()) return;  // our node crashed
    if (done->type == OpType::kInfo) caller_.MoveOn();
    if (done->type != OpType::kOk) continue;
    if (f == "read") {
      if (done->value.is_string()) {
        last_seen_[key] = done->value.text();
      } else {
        last_seen_.erase(key);
      }
    } else if (!input.is_nil()) {
      last_seen_[key] = fresh;  // our own write or cas
    } else {
      last_seen_.erase(key);  // our delete
    }
  }
}

}  // namespace faultline::kit
