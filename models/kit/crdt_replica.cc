#include "models/kit/crdt_replica.h"

#include "absl/cleanup/cleanup.h"
#include "sim/core/strings.h"

namespace faultline::kit {
namespace {

constexpr std::string_view kReplicate = "crdt";

void PutVv(const VersionVector& vv, Dots* out) {
  for (const auto& [node, c] : vv.counts()) {
    out->add_nodes(node);
    out->add_counters(c);
  }
}

VersionVector GetVv(const Dots& d) {
  VersionVector vv;
  for (int i = 0; i < d.nodes_size() && i < d.counters_size(); ++i) vv.Set(d.nodes(i), d.counters(i));
  return vv;
}

std::string JoinSorted(const std::vector<std::string>& v) { return Cat("[", Join(v, " "), "]"); }

}  // namespace

CrdtReplica::CrdtReplica(Env& env, KitConfig config, CrdtOptions options)
    : env_(env),
      config_(config),
      options_(options),
      self_(env.id().value),
      log_(env.disk(), "crdt.log"),
      update_done_(env) {
  peers_ = config_.Replicas(env_, env_.id());
  Recover();
  env_.Handle<KvRequest, KvResponse>("kv", [this](NodeId, const KvRequest& r) { return OnClient(r); });
  env_.Spawn("receive", [this] { ReceiveLoop(); });
}

namespace {

void EncodeValue(const std::string& key, const PnCounter& c, CrdtState::Key* out) {
  out->set_key(key);
  out->set_kind(KvRequest::COUNTER);
  absl::btree_set<ReplicaId> nodes;
  for (const auto& [n, v] : c.up()) nodes.insert(n);
  for (const auto& [n, v] : c.down()) nodes.insert(n);
  for (ReplicaId n : nodes) {
    out->add_counter_nodes(n);
    out->add_up(c.up().contains(n) ? c.up().at(n) : 0);
    out->add_down(c.down().contains(n) ? c.down().at(n) : 0);
  }
}

void EncodeValue(const std::string& key, const OrSet& s, CrdtState::Key* out) {
  out->set_key(key);
  out->set_kind(KvRequest::SET);
  PutVv(s.context(), out->mutable_context());
  for (const auto& [e, dots] : s.entries()) {
    out->add_elements(e);
    Dots* d = out->add_dots();
    for (const Dot& dot : dots) {
      d->add_nodes(dot.node);
      d->add_counters(dot.counter);
    }
  }
}

void EncodeValue(const std::string& key, const MvRegister& r, CrdtState::Key* out) {
  out->set_key(key);
  out->set_kind(KvRequest::REGISTER);
  PutVv(r.context(), out->mutable_context());
  for (const auto& [dot, v] : r.dotted()) {
    out->add_elements(v);
    Dots* d = out->add_dots();
    d->add_nodes(dot.node);
    d->add_counters(dot.counter);
  }
}

}  // namespace

void CrdtReplica::Encode(KvRequest::Kind kind, const std::string& key, CrdtState::Key* out) const {
  if (kind == KvRequest::COUNTER) return EncodeValue(key, counters_.at(key), out);
  if (kind == KvRequest::SET) return EncodeValue(key, sets_.at(key), out);
  EncodeValue(key, registers_.at(key), out);
}

void CrdtReplica::MergeKey(const CrdtState::Key& k) {
  if (k.kind() == KvRequest::COUNTER) {
    PnCounter other;
    for (int i = 0; i < k.counter_nodes_size() && i < k.up_size() && i < k.down_size(); ++i) {
      other.Set(k.counter_nodes(i), k.up(i), k.down(i));
    }
    counters_.try_emplace(k.key(), PnCounter(options_.idempotent_merge)).first->second.Merge(other);
    return;
  }
  const VersionVector context = GetVv(k.context());
  if (k.kind() == KvRequest::SET) {
    absl::btree_map<std::string, absl::btree_set<Dot>> entries;
    for (int i = 0; i < k.elements_size() && i < k.dots_size(); ++i) {
      auto& dots = entries[k.elements(i)];
      for (int j = 0; j < k.dots(i).nodes_size() && j < k.dots(i).counters_size(); ++j) {
        dots.insert(Dot{k.dots(i).nodes(j), k.dots(i).counters(j)});
      }
    }
    sets_[k.key()].Merge(OrSet::FromParts(std::move(entries), context));
    return;
  }
  absl::btree_map<Dot, std::string> values;
  for (int i = 0; i < k.elements_size() && i < k.dots_size(); ++i) {
    if (k.dots(i).nodes_size() == 1 && k.dots(i).counters_size() == 1) {
      values[Dot{k.dots(i).nodes(0), k.dots(i).counters(0)}] = k.elements(i);
    }
  }
  registers_[k.key()].Merge(MvRegister::FromParts(std::move(values), context));
}

void CrdtReplica::Recover() {
  Result<std::vector<std::string>> records = log_.Recover();
  if (!records.ok()) return;  // crashed while recovering
  for (const std::string& r : *records) {
    CrdtState s;
    if (!s.ParseFromString(r)) continue;  // checksummed: cannot happen but for a bug
    for (const CrdtState::Key& k : s.keys()) MergeKey(k);
    for (uint64_t t : s.tokens()) (void)applied_.Claim(t);  // in the order applied: none is stale
  }
  env_.Log("crdt.recovered", {{"records", Cat(records->size())}, {"tokens", Cat(applied_.answers())}});
}

Status CrdtReplica::Persist(const CrdtState& s, bool sync) { return log_.Append(SerializeDeterministic(s), sync); }

Result<KvResponse> CrdtReplica::OnClient(const KvRequest& req) {
  KvResponse r;
  r.set_code(KvResponse::OK);
  const std::string& key = req.key();
  if (req.op() == KvRequest::SCAN) return Scan(key);
  if (req.op() == KvRequest::GET) {
    if (req.kind() == KvRequest::COUNTER) {
      auto it = counters_.find(key);
      r.set_count(it == counters_.end() ? 0 : it->second.Value());
    } else if (req.kind() == KvRequest::SET) {
      if (auto it = sets_.find(key); it != sets_.end()) {
        for (const std::string& e : it->second.Elements()) r.add_values(e);
      }
    } else if (auto it = registers_.find(key); it != registers_.end()) {
      for (const std::string& v : it->second.Values()) r.add_values(v);
    }
    return r;
  }
  // One update at a time (see the header); a retry of an applied one is
  // answered from memory, also if it arrived while the first was syncing.
  while (updating_) {
    if (Status s = update_done_.Wait(); !s.ok()) return s;
  }
  if (req.token() != 0) {
    const auto found = applied_.Find(req.token());
    if (found.seen == SessionTable<bool>::Seen::kAnswered) return r;
    if (found.seen == SessionTable<bool>::Seen::kStale) {
      r.set_code(KvResponse::STALE);  // a late duplicate: never applied
      return r;
    }
  }
  updating_ = true;
  absl::Cleanup done = [this] {
    updating_ = false;
    update_done_.NotifyAll();
  };
  // The update on a copy of the key's value, synced, then installed.
  CrdtState state;
  CrdtState::Key* k = state.add_keys();
  std::function<void()> install;
  switch (req.op()) {
    case KvRequest::PUT: {
      auto next = std::make_shared<MvRegister>(registers_[key]);
      next->Write(self_, req.value());
      EncodeValue(key, *next, k);
      install = [this, key, next] { registers_[key] = *next; };
      break;
    }
    case KvRequest::ADD:
    case KvRequest::REMOVE: {
      auto next = std::make_shared<OrSet>(sets_[key]);
      if (req.op() == KvRequest::ADD) {
        next->Add(self_, req.value());
      } else {
        next->Remove(req.value());
      }
      EncodeValue(key, *next, k);
      install = [this, key, next] { sets_[key] = *next; };
      break;
    }
    case KvRequest::UPDATE_SET: {
      auto next = std::make_shared<OrSet>(sets_[key]);
      for (const std::string& e : next->Elements()) {
        for (const std::string& prefix : req.remove_prefixes()) {
          if (e.compare(0, prefix.size(), prefix) == 0) next->Remove(e);
        }
      }
      for (const std::string& e : req.adds()) next->Add(self_, e);
      EncodeValue(key, *next, k);
      install = [this, key, next] { sets_[key] = *next; };
      break;
    }
    case KvRequest::INCR: {
      auto next = std::make_shared<PnCounter>(
          counters_.try_emplace(key, PnCounter(options_.idempotent_merge)).first->second);
      next->Add(self_, req.delta());
      EncodeValue(key, *next, k);
      install = [this, key, next] { counters_.at(key) = *next; };
      break;
    }
    default:
      return Status(Error::kInvalidArgument, Cat("crdt mode has no op ", static_cast<int>(req.op())));
  }
  if (req.token() != 0) state.add_tokens(req.token());
  if (Status s = Persist(state, /*sync=*/true); !s.ok()) return s;
  install();
  if (req.token() != 0) (void)applied_.Claim(req.token());  // not stale: checked under updating_
  state.clear_tokens();
  for (NodeId peer : peers_) (void)env_.Send(peer, kReplicate, state);
  return r;
}

KvResponse CrdtReplica::Scan(const std::string& prefix) const {
  KvResponse r;
  r.set_code(KvResponse::OK);
  auto starts = [&](const std::string& k) { return k.compare(0, prefix.size(), prefix) == 0; };
  // Sets and counters merged into one key order (a key names one kind).
  auto s = sets_.lower_bound(prefix);
  auto c = counters_.lower_bound(prefix);
  for (;;) {
    const bool more_s = s != sets_.end() && starts(s->first);
    const bool more_c = c != counters_.end() && starts(c->first);
    if (!more_s && !more_c) break;
    KvResponse::Entry* e = r.add_entries();
    if (more_s && (!more_c || s->first < c->first)) {
      e->set_key(s->first);
      e->set_kind(KvRequest::SET);
      for (const std::string& v : s->second.Elements()) e->add_values(v);
      ++s;
    } else {
      e->set_key(c->first);
      e->set_kind(KvRequest::COUNTER);
      e->set_count(c->second.Value());
      ++c;
    }
  }
  return r;
}

void CrdtReplica::ReceiveLoop() {
  for (;;) {
    Result<Inbound> m = env_.Receive();
    if (!m.ok()) return;
    CrdtState s;
    if (m->method() != kReplicate || !m->ParseTo(&s)) continue;
    for (const CrdtState::Key& k : s.keys()) MergeKey(k);
    if (!Persist(s, /*sync=*/false).ok()) return;
  }
}

void CrdtReplica::Run() {
  AntiEntropyLoop(env_, peers_, options_.anti_entropy, [this](NodeId peer) {
    CrdtState all;
    for (const auto& [k, v] : registers_) Encode(KvRequest::REGISTER, k, all.add_keys());
    for (const auto& [k, v] : sets_) Encode(KvRequest::SET, k, all.add_keys());
    for (const auto& [k, v] : counters_) Encode(KvRequest::COUNTER, k, all.add_keys());
    (void)env_.Send(peer, kReplicate, all);
  });
}

CrdtFinal CrdtReplica::Values() const {
  CrdtFinal f;
  for (const auto& [k, c] : counters_) f.counters[Cat("ctr:", k)] = c.Value();
  for (const auto& [k, s] : sets_) f.sets[Cat("set:", k)] = s.Elements();
  for (const auto& [k, r] : registers_) f.registers[Cat("reg:", k)] = r.Values();
  return f;
}

ReplicaState CrdtReplica::Snapshot() const {
  ReplicaState s{env_.name(), std::string(RoleName(role())), true, {}};
  const CrdtFinal f = Values();
  for (const auto& [k, v] : f.counters) s.values[k] = Cat(v);
  for (const auto& [k, v] : f.sets) s.values[k] = JoinSorted(v);
  for (const auto& [k, v] : f.registers) s.values[k] = JoinSorted(v);
  return s;
}

}  // namespace faultline::kit
