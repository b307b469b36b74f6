#include "models/kit/lww_replica.h"

#include "absl/cleanup/cleanup.h"
#include <algorithm>

#include "sim/core/strings.h"

namespace faultline::kit {
namespace {

constexpr std::string_view kReplicate = "lww";

Stamp ToProto(const Timestamp& t) {
  Stamp s;
  s.set_physical(t.physical);
  s.set_logical(t.logical);
  s.set_node(t.node);
  return s;
}

Timestamp FromProto(const Stamp& s) { return Timestamp{s.physical(), s.logical(), s.node()}; }

void Fill(LwwEntries::Entry* out, const std::string& key, const LwwEntry& e) {
  out->set_key(key);
  out->set_deleted(!e.value.has_value());
  if (e.value) out->set_value(*e.value);
  *out->mutable_stamp() = ToProto(e.ts);
}

LwwEntry FromProto(const LwwEntries::Entry& e) {
  return LwwEntry{e.deleted() ? std::nullopt : std::optional<std::string>(e.value()), FromProto(e.stamp())};
}

}  // namespace

LwwReplica::LwwReplica(Env& env, KitConfig config, LwwOptions options)
    : env_(env),
      config_(config),
      options_(options),
      hlc_(env.id().value),
      map_(options.tiebreak),
      log_(env.disk(), "lww.log") {
  peers_ = config_.Replicas(env_, env_.id());
  Recover();
  env_.Handle<KvRequest, KvResponse>("kv", [this](NodeId, const KvRequest& r) { return OnClient(r); });
  env_.Spawn("receive", [this] { ReceiveLoop(); });
}

void LwwReplica::Recover() {
  Result<std::vector<std::string>> records = log_.Recover();
  if (!records.ok()) return;  // crashed while recovering: this incarnation is over
  uint64_t applied = 0;
  for (const std::string& r : *records) {
    LwwEntries entries;
    if (!entries.ParseFromString(r)) continue;  // checksummed: cannot happen but for a bug
    for (const auto& e : entries.entries()) {
      const LwwEntry entry = FromProto(e);
      hlc_.Restore(entry.ts);
      applied += map_.Apply(e.key(), entry.value, entry.ts);
    }
  }
  env_.Log("lww.recovered", {{"records", Cat(records->size())}, {"applied", Cat(applied)}});
}

Timestamp LwwReplica::NextStamp() {
  const int64_t wall = env_.wall_clock().nanos();
  return options_.hlc ? hlc_.Now(wall) : WallTimestamp(wall, env_.id().value);
}

Status LwwReplica::Persist(const std::string& key, const LwwEntry& entry, bool sync) {
  LwwEntries one;
  Fill(one.add_entries(), key, entry);
  return log_.Append(SerializeDeterministic(one), sync);
}

Result<KvResponse> LwwReplica::Write(const std::string& key, std::optional<std::string> value) {
  const LwwEntry entry{std::move(value), NextStamp()};
  // Synced, then visible, then answered: nothing a crash can take back is
  // ever read or sent. A wall-clock stamp may lose to a greater one here:
  // the write is acknowledged and superseded at once, which is what LWW
  // with skewed clocks does.
  if (Status s = Persist(key, entry, /*sync=*/true); !s.ok()) return s;
  map_.Apply(key, entry.value, entry.ts);
  LwwEntries out;
  Fill(out.add_entries(), key, entry);
  for (NodeId peer : peers_) (void)env_.Send(peer, kReplicate, out);  // lost ones: anti-entropy
  KvResponse r;
  r.set_code(KvResponse::OK);
  *r.mutable_stamp() = ToProto(entry.ts);
  return r;
}

Result<KvResponse> LwwReplica::OnClient(const KvRequest& req) {
  if (req.token() != 0) {
    const auto found = answered_.Find(req.token());
    if (found.seen == SessionTable<KvResponse>::Seen::kAnswered) return *found.answer;
    if (found.seen == SessionTable<KvResponse>::Seen::kStale) {
      KvResponse stale;
      stale.set_code(KvResponse::STALE);
      return stale;
    }
    // A retry while the first attempt is still being written: its outcome
    // is unknown yet (kTimeout reaches the client as a remote error).
    if (in_flight_.contains(req.token())) return Status(Error::kTimeout, "the same operation is in progress");
  }
  // The token is in flight until this returns, however it returns.
  absl::Cleanup in_flight = [this, token = req.token()] { in_flight_.erase(token); };
  if (req.token() != 0) in_flight_.insert(req.token());
  KvResponse r;
  if (req.op() == KvRequest::SCAN) return Scan(req.key());
  const std::optional<std::string> current = map_.Get(req.key());
  switch (req.op()) {
    case KvRequest::GET:
      r.set_code(KvResponse::OK);
      r.set_found(current.has_value());
      if (current) r.set_value(*current);
      return r;  // reads are not remembered: a retry may see newer data
    case KvRequest::PUT:
    case KvRequest::DELETE: {
      Result<KvResponse> w = Write(req.key(), req.op() == KvRequest::PUT ? std::optional(req.value()) : std::nullopt);
      if (!w.ok()) return w.status();
      r = *w;
      break;
    }
    case KvRequest::CAS: {
      const bool matches = req.has_expected() ? current == req.expected() : !current.has_value();
      if (!matches) {
        r.set_code(KvResponse::CAS_MISMATCH);
        break;
      }
      Result<KvResponse> w = Write(req.key(), req.value());
      if (!w.ok()) return w.status();
      r = *w;
      break;
    }
    default:
      return Status(Error::kInvalidArgument, Cat("unknown op ", static_cast<int>(req.op())));
  }
  if (req.token() != 0) {
    // Unless the session moved on while this was written (no one awaits it).
    if (auto c = answered_.Claim(req.token()); c.answer != nullptr) *c.answer = r;
  }
  return r;
}

KvResponse LwwReplica::Scan(const std::string& prefix) const {
  KvResponse r;
  r.set_code(KvResponse::OK);
  for (auto it = map_.entries().lower_bound(prefix); it != map_.entries().end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    if (!it->second.value) continue;  // a tombstone
    KvResponse::Entry* e = r.add_entries();
    e->set_key(it->first);
    e->set_value(*it->second.value);
  }
  return r;
}

void LwwReplica::ReceiveLoop() {
  for (;;) {
    Result<Inbound> m = env_.Receive();
    if (!m.ok()) return;  // crashed
    LwwEntries entries;
    if (m->method() != kReplicate || !m->ParseTo(&entries)) continue;
    const int64_t wall = env_.wall_clock().nanos();
    for (const auto& e : entries.entries()) {
      const LwwEntry entry = FromProto(e);
      if (options_.hlc) hlc_.Observe(entry.ts, wall);
      if (!map_.Apply(e.key(), entry.value, entry.ts)) continue;
      if (!Persist(e.key(), entry, /*sync=*/false).ok()) return;
    }
  }
}

void LwwReplica::Run() {
  AntiEntropyLoop(env_, peers_, options_.anti_entropy, [this](NodeId peer) {
    LwwEntries all;  // every entry, tombstones included
    for (const auto& [k, e] : map_.entries()) Fill(all.add_entries(), k, e);
    (void)env_.Send(peer, kReplicate, all);
  });
}

ReplicaState LwwReplica::Snapshot() const {
  ReplicaState s{env_.name(), std::string(RoleName(role())), true, {}};
  for (const auto& [k, e] : map_.entries()) {
    if (e.value) s.values[k] = *e.value;
    s.versions[k] = e.ts.SortableText();
  }
  return s;
}

}  // namespace faultline::kit
