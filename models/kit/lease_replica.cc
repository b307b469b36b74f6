#include "models/kit/lease_replica.h"

#include "absl/cleanup/cleanup.h"
#include <algorithm>

#include "sim/core/assert.h"
#include "sim/core/strings.h"

namespace faultline::kit {
namespace {

constexpr std::string_view kLease = "lease";
constexpr Duration kLeaseRoundLimit = Duration::Millis(50);
constexpr Duration kResendEvery = Duration::Millis(30);
// Recent writes a primary keeps to catch a replica up without a PUSH: at
// 1,000 writes a second, half a second of being cut off.
constexpr size_t kWindow = 512;
// A write starts only with this much of its time left: a few round trips.
constexpr Duration kMinWriteTime = Duration::Millis(50);

KvResponse Ok() {
  KvResponse r;
  r.set_code(KvResponse::OK);
  return r;
}

}  // namespace

LeaseReplica::LeaseReplica(Env& env, KitConfig config, LeaseOptions options)
    : env_(env),
      config_(config),
      options_(options),
      peers_(config.Replicas(env, env.id())),
      log_(env.disk(), "lease.log"),
      answers_(env),
      write_done_(env) {
  env_.Handle<KvRequest, KvResponse>("kv", [this](NodeId, const KvRequest& r) { return OnClient(r); });
}

bool LeaseReplica::Serving() const {
  return holder_ && confirmed_ && env_.wall_clock() < expires_ - options_.lease_guard;
}

bool LeaseReplica::Recover() {
  Result<std::vector<std::string>> records = log_.Recover();
  if (!records.ok()) return false;
  for (const std::string& bytes : *records) {
    LeaseRecord r;
    if (!r.ParseFromString(bytes)) continue;  // checksummed: cannot happen but for a bug
    if (r.has_promise()) {
      epoch_ = std::max(epoch_, r.epoch());
      promised_epoch_ = r.epoch();
      promised_ = r.holder() == 0 ? NodeId() : NodeId{r.holder() - 1};
      promised_until_ = Time::FromNanos(r.until_ns());
    }
    if (r.reset()) {
      data_.clear();
      answered_.ClearAnswers();
    }
    LeaseMessage m;
    *m.mutable_keys() = r.keys();
    *m.mutable_tokens() = r.tokens();
    *m.mutable_floors() = r.floors();
    Absorb(m);
  }
  env_.Log("lease.recovered", {{"epoch", Cat(epoch_)}, {"keys", Cat(data_.size())}});
  return true;
}

void LeaseReplica::Run() {
  if (!Recover()) return;
  recovered_ = true;
  env_.Spawn("receive", [this] { ReceiveLoop(); });
  LeaseLoop();
}

auto LeaseReplica::TakeWriteSlot() {
  SIM_ASSERT(!writing_);
  writing_ = true;
  return absl::Cleanup([this] {
    writing_ = false;
    write_done_.NotifyAll();
  });
}

void LeaseReplica::LeaseLoop() {
  for (;;) {
    Duration pause = env_.rng().Range(options_.renew_every / 2, options_.renew_every);
    // A backup moves soon after the promise it made runs out (by its own
    // clock), with a random delay so that replicas whose promises end
    // together do not keep splitting the grants between them.
    const Time wall = env_.wall_clock();
    if (!holder_ && promised_until_ >= wall) {
      pause = std::min(pause, (promised_until_ - wall) + env_.rng().Range(Duration::Millis(1), options_.renew_every / 4));
    }
    if (!env_.Sleep(pause).ok()) return;
    if (holder_ && !Serving()) {
      holder_ = false;
      env_.Log("lease.lapsed", {{"epoch", Cat(epoch_)}});
    }
    // Renewed in the lease's epoch, or in a new one if some replica has
    // moved past it (a failed candidate); acquired in a new one once no
    // promise holds this replica back. A failed attempt is retried.
    const bool renew = holder_ && (epoch_ <= lease_epoch_ || writing_);
    if (renew) {
      (void)AskForLease(lease_epoch_, /*want_state=*/false);
    } else if ((holder_ || env_.wall_clock() > promised_until_) && !writing_) {
      // A new epoch holds the write slot, as a write does: a write's
      // version and what catch-up sends belong to one epoch. (A write of
      // a lapsed lease ends within a resend period: RunRound.)
      auto slot = TakeWriteSlot();
      (void)AskForLease(epoch_ + 1, /*want_state=*/!holder_);
    }
  }
}

Status LeaseReplica::PersistPromise() {
  LeaseRecord r;
  r.set_has_promise(true);
  r.set_epoch(promised_epoch_);
  r.set_holder(promised_.valid() ? promised_.value + 1 : 0);
  r.set_until_ns(promised_until_.nanos());
  return log_.Append(SerializeDeterministic(r), /*sync=*/true);
}

Status LeaseReplica::PersistKeys(const LeaseMessage& m, bool reset) {
  // Nothing to say (and the empty record is the log's seal).
  if (m.keys().empty() && m.tokens().empty() && m.floors().empty() && !reset) return Status::Ok();
  LeaseRecord r;
  r.set_reset(reset);
  *r.mutable_keys() = m.keys();
  *r.mutable_tokens() = m.tokens();
  *r.mutable_floors() = m.floors();
  return log_.Append(SerializeDeterministic(r), /*sync=*/true);
}

void LeaseReplica::Absorb(const LeaseMessage& m) {
  // Floors first: a token they make stale is not taken.
  for (const SessionFloor& f : m.floors()) (void)answered_.RaiseFloor(f.session(), f.op());
  for (const LeaseKey& k : m.keys()) {
    const Version v{k.epoch(), k.seq()};
    Slot& slot = data_[k.key()];
    if (v > slot.version) slot = Slot{k.deleted() ? std::nullopt : std::optional<std::string>(k.value()), v};
    // A write is in its own primary's history.
    if (k.token() != 0) AddToken(k.token(), k.key(), v, v.epoch);
  }
  for (const LeaseToken& t : m.tokens()) AddToken(t.token(), t.key(), Version{t.epoch(), t.seq()}, t.vouched());
}

void LeaseReplica::AddToken(uint64_t token, std::string_view key, Version v, uint64_t vouched) {
  // Most tokens a grant or a resent write carries are known: no key copy.
  // A stale one is not: its session's later operation superseded it.
  auto claimed = answered_.Claim(token);
  if (claimed.answer == nullptr) return;
  Token& t = *claimed.answer;
  if (claimed.seen == Sessions::Seen::kNew) t = Token{std::string(key), v, vouched};
  t.vouched = std::max(t.vouched, vouched);
}

void LeaseReplica::FillToken(uint64_t token, const Token& t, LeaseMessage* out) {
  LeaseToken* o = out->add_tokens();
  o->set_token(token);
  o->set_key(t.key);
  o->set_epoch(t.version.epoch);
  o->set_seq(t.version.seq);
  o->set_vouched(t.vouched);
}

void LeaseReplica::FillState(LeaseMessage* out) const {
  for (const auto& [k, s] : data_) Fill(k, s, 0, out->add_keys());
  answered_.ForEach([out](uint64_t token, const Token& t) { FillToken(token, t, out); });
  FillFloors(out);
}

void LeaseReplica::FillFloors(LeaseMessage* out) const {
  answered_.ForEachFloor([out](uint32_t session, uint32_t op) {
    SessionFloor* f = out->add_floors();
    f->set_session(session);
    f->set_op(op);
  });
}

void LeaseReplica::KeepHistoryTokens() {
  // A key's state holds a write if it is that write, or a later version
  // written by a primary whose history held the write (vouched at or after
  // the later version's epoch). Any other token belongs to a write that
  // this state lost: one logged or applied somewhere without reaching a
  // majority, and then replaced.
  // (The session's floor stays: a retry of the lost write is applied
  // again, an earlier operation's is still stale.)
  answered_.EraseIf([this](uint64_t, const Token& t) {
    auto d = data_.find(t.key);
    const Version now = d == data_.end() ? Version{} : d->second.version;
    const bool held = now == t.version || (now > t.version && t.vouched >= now.epoch);
    return !held;
  });
}

void LeaseReplica::Vouch(uint64_t epoch) {
  answered_.ForEach([epoch](uint64_t, Token& t) { t.vouched = std::max(t.vouched, epoch); });
}

void LeaseReplica::Fill(const std::string& key, const Slot& s, uint64_t token, LeaseKey* out) const {
  out->set_key(key);
  out->set_deleted(!s.value.has_value());
  if (s.value) out->set_value(*s.value);
  out->set_epoch(s.version.epoch);
  out->set_seq(s.version.seq);
  out->set_token(token);
}

bool LeaseReplica::RunRound(LeaseMessage m, const std::vector<NodeId>& to, Round* round, Duration limit,
                            bool while_serving) {
  const uint64_t id = ++next_id_;
  m.set_id(id);
  rounds_[id] = round;
  absl::Cleanup forget = [this, id] { rounds_.erase(id); };
  const size_t n = peers_.size() + 1;
  const Time deadline = env_.monotonic_clock() + limit;
  while (round->yes < Majority() && n - round->no >= Majority() && (!while_serving || Serving())) {
    for (NodeId p : to) {
      if (std::find(round->answered.begin(), round->answered.end(), p) == round->answered.end()) {
        (void)env_.Send(p, kLease, m);  // a duplicate is answered again and counted once
      }
    }
    const Duration left = deadline - env_.monotonic_clock();
    if (left <= Duration::Zero()) break;
    Status s = answers_.Wait(std::min(left, kResendEvery));
    if (s.code() == Error::kCrashed) break;
  }
  return round->yes >= Majority();
}

bool LeaseReplica::AskForLease(uint64_t epoch, bool want_state) {
  const Time asked = env_.wall_clock();
  const bool renewing = holder_;
  // This replica grants itself by the rule it applies to others.
  if (!MayGrant(env_.id(), epoch)) return false;
  epoch_ = std::max(epoch_, epoch);
  promised_epoch_ = epoch;
  promised_ = env_.id();
  promised_until_ = asked + options_.duration;
  if (!PersistPromise().ok()) return false;
  LeaseMessage m;
  m.set_kind(LeaseMessage::REQUEST);
  m.set_epoch(epoch);
  m.set_duration_ns(options_.duration.nanos());
  m.set_want_state(want_state);
  Round round;
  const bool granted = RunRound(std::move(m), peers_, &round, kLeaseRoundLimit, /*while_serving=*/false);
  epoch_ = std::max(epoch_, round.highest_epoch);  // the next attempt outbids what the others hold
  if (promised_ != env_.id() || promised_epoch_ != epoch) return false;  // granted another meanwhile
  if (!granted) {
    if (!round.hint.empty()) last_holder_ = round.hint;
    // Not serving on it: free to grant others at once (the grantors that
    // said yes keep their promises to this replica until they run out).
    if (!holder_) {
      promised_ = NodeId();
      promised_until_ = Time::Zero();
    }
    return false;
  }
  // The lease ends when the first grantor's promise does, by the time the
  // grantor stated, read on this node's clock: clock error between them
  // is what the guard must cover.
  Time expires = Time::Max();
  for (const LeaseMessage& g : round.grants) {
    Absorb(g);
    expires = std::min(expires, Time::FromNanos(g.until_ns()));
  }
  if (want_state) KeepHistoryTokens();
  // Stepped down meanwhile: not back in the same epoch, with a hole in
  // its sequence; the next acquisition starts a new one.
  if (renewing && !holder_) return false;
  const bool fresh = !holder_;
  expires_ = expires;
  holder_ = true;
  if (lease_epoch_ != epoch) {  // a new epoch: a new sequence of versions
    lease_epoch_ = epoch;
    seq_ = 0;
    applied_seq_ = 0;
    recent_.clear();
    synced_ = SyncPoint{epoch, 0};
    Vouch(epoch);  // this primary's history is the epoch's
  }
  if (fresh) {
    backups_.clear();
    confirmed_ = false;
    // The majority's freshest state is now this primary's: durable here
    // before any backup is told.
    LeaseMessage all;
    FillState(&all);
    if (!PersistKeys(all, /*reset=*/true).ok()) {
      holder_ = false;
      return false;
    }
  }
  for (NodeId g : round.granted) Join(g);
  if (fresh && !Confirm()) {
    holder_ = false;
    return false;
  }
  last_holder_ = env_.name();
  CatchUp();
  return true;
}

void LeaseReplica::Join(NodeId backup) {
  if (std::find(backups_.begin(), backups_.end(), backup) != backups_.end()) return;
  backups_.push_back(backup);
}

void LeaseReplica::CatchUp() {
  // A lapsed lease sends nothing: another primary may hold one now.
  if (!Serving()) return;
  for (NodeId p : peers_) {
    SyncPoint& s = peer_synced_[p];
    // A replica synced to a later epoch follows another primary: with
    // clocks within the guard, one whose lease already ended this one's.
    if (!s.fresh || s.epoch > lease_epoch_ || (s.epoch == lease_epoch_ && s.seq >= applied_seq_)) continue;
    s.fresh = false;  // its next report says whether this arrived
    // recent_ holds seqs first..applied_seq_ without a hole (a write that
    // fails ends the tenure), so the missed ones start at s.seq + 1 - first.
    const uint64_t first = recent_.empty() ? 0 : recent_.front().seq();
    if (s.epoch != lease_epoch_ || recent_.empty() || s.seq + 1 < first) {
      Push(p);
      ++catch_ups_.pushes;
      continue;
    }
    SIM_ASSERT(recent_.back().seq() == applied_seq_ && applied_seq_ - first + 1 == recent_.size());
    LeaseMessage missed;
    missed.set_kind(LeaseMessage::WRITE);
    missed.set_epoch(lease_epoch_);
    for (size_t i = s.seq + 1 - first; i < recent_.size(); ++i) *missed.add_keys() = recent_[i];
    (void)env_.Send(p, kLease, missed);
    ++catch_ups_.windows;
  }
}

LeaseMessage LeaseReplica::PushMessage() const {
  LeaseMessage all;
  all.set_kind(LeaseMessage::PUSH);
  all.set_epoch(lease_epoch_);
  all.set_seq(applied_seq_);
  FillState(&all);
  return all;
}

void LeaseReplica::Push(NodeId to) { (void)env_.Send(to, kLease, PushMessage()); }

bool LeaseReplica::Confirm() {
  Round round;
  if (!RunRound(PushMessage(), backups_, &round, kLeaseRoundLimit, /*while_serving=*/false)) return false;
  confirmed_ = true;
  env_.Log("lease.acquired", {{"epoch", Cat(epoch_)}, {"keys", Cat(data_.size())}});
  return true;
}

void LeaseReplica::OnPush(NodeId from, const LeaseMessage& m) {
  // Anything newer than the state sent stays: the same primary's writes
  // that overtook the push (they may make a write's majority), and a later
  // epoch's (the push may come from a primary whose lease has ended).
  const Version pushed{m.epoch(), m.seq()};
  LeaseMessage state = m;
  bool later_epoch = false;
  for (const auto& [k, s] : data_) {
    if (s.version <= pushed) continue;
    Fill(k, s, 0, state.add_keys());
    later_epoch |= s.version.epoch > m.epoch();
  }
  // So do their tokens; the rest are replaced with the state's, which are
  // the pushing primary's history: a token of a write the push discards
  // (one that never reached a majority) must go with it.
  answered_.ForEach([&](uint64_t token, const Token& t) {
    if (t.version > pushed) FillToken(token, t, &state);
  });
  // Floors are what clients did, not state: merged, never replaced.
  FillFloors(&state);
  if (!PersistKeys(state, /*reset=*/true).ok()) return;
  data_.clear();
  answered_.ClearAnswers();
  Absorb(state);
  synced_ = later_epoch ? SyncPoint{} : SyncPoint{m.epoch(), m.seq()};
  (void)env_.Send(from, kLease, Reply(LeaseMessage::WRITE_ACK, m.id()));
}

LeaseMessage LeaseReplica::Reply(LeaseMessage::Kind kind, uint64_t id) const {
  LeaseMessage r;
  r.set_kind(kind);
  r.set_id(id);
  r.set_synced_epoch(synced_.epoch);
  r.set_synced_seq(synced_.seq);
  return r;
}

void LeaseReplica::StepDown(std::string_view why) {
  if (!holder_) return;
  holder_ = false;
  env_.Log("lease.stepped_down", {{"epoch", Cat(lease_epoch_)}, {"why", std::string(why)}});
}

void LeaseReplica::ReceiveLoop() {
  for (;;) {
    Result<Inbound> in = env_.Receive();
    if (!in.ok()) return;  // crashed
    LeaseMessage m;
    if (in->method() != kLease || !in->ParseTo(&m)) continue;
    const NodeId from = in->from;
    switch (m.kind()) {
      case LeaseMessage::REQUEST:
        OnRequest(from, m);
        break;
      case LeaseMessage::WRITE:
        OnWrite(from, m);
        break;
      case LeaseMessage::PUSH:
        OnPush(from, m);
        break;
      case LeaseMessage::GRANT:
      case LeaseMessage::REJECT:
      case LeaseMessage::WRITE_ACK: {
        peer_synced_[from] = SyncPoint{m.synced_epoch(), m.synced_seq(), /*fresh=*/true};
        auto it = rounds_.find(m.id());
        if (it == rounds_.end()) break;  // late: the round is over
        Round& r = *it->second;
        if (std::find(r.answered.begin(), r.answered.end(), from) != r.answered.end()) break;
        r.answered.push_back(from);
        if (m.kind() == LeaseMessage::REJECT) {
          ++r.no;
          r.highest_epoch = std::max(r.highest_epoch, m.epoch());
          if (!m.hint().empty()) r.hint = m.hint();
        } else {
          ++r.yes;
          if (m.kind() == LeaseMessage::GRANT) {
            r.granted.push_back(from);
            r.grants.push_back(std::move(m));
          }
        }
        answers_.NotifyAll();
        break;
      }
      default:
        break;
    }
  }
}

bool LeaseReplica::MayGrant(NodeId to, uint64_t epoch) const {
  // The holder it promised may renew, in the same epoch or a later one.
  if (promised_ == to && promised_.valid() && epoch >= promised_epoch_) return true;
  // Anyone else only once that promise ran out, with an epoch above every
  // one seen, and never while this replica itself serves as primary (its
  // lease follows the others' promises, which can outlast its own).
  return env_.wall_clock() > promised_until_ && epoch > epoch_ && !Serving();
}

void LeaseReplica::OnRequest(NodeId from, const LeaseMessage& m) {
  const Time wall = env_.wall_clock();
  LeaseMessage reply = Reply(LeaseMessage::REJECT, m.id());
  if (MayGrant(from, m.epoch())) {
    epoch_ = std::max(epoch_, m.epoch());
    promised_epoch_ = m.epoch();
    promised_ = from;
    promised_until_ = wall + Duration::Nanos(m.duration_ns());
    if (!PersistPromise().ok()) return;  // not durable: no promise
    holder_ = false;  // cannot be: a holder's own promise outlasts its lease
    last_holder_ = env_.name_of(from);
    reply.set_kind(LeaseMessage::GRANT);
    reply.set_until_ns(promised_until_.nanos());
    if (m.want_state()) FillState(&reply);
  } else {
    reply.set_epoch(epoch_);
    if (promised_.valid()) reply.set_hint(env_.name_of(promised_));
  }
  (void)env_.Send(from, kLease, reply);
}

void LeaseReplica::OnWrite(NodeId from, const LeaseMessage& m) {
  // No check of who sends it: see the header. Within one epoch (one
  // primary) seq orders the writes, so a resent older one changes nothing;
  // across epochs the later arrival wins.
  LeaseMessage apply = m;
  apply.clear_keys();
  for (const LeaseKey& k : m.keys()) {
    auto it = data_.find(k.key());
    const bool superseded = it != data_.end() && it->second.version.epoch == k.epoch() && it->second.version.seq >= k.seq();
    if (!superseded) *apply.add_keys() = k;
  }
  if (apply.keys_size() > 0) {
    if (!PersistKeys(apply).ok()) return;  // not durable: not acknowledged
    for (const LeaseKey& k : apply.keys()) data_.erase(k.key());  // arrival order, whatever the versions
    Absorb(apply);
  }
  // The sync point moves over the writes that continue it, applied now or
  // before; one of another epoch leaves this state off every primary's
  // sequence until a PUSH.
  for (const LeaseKey& k : m.keys()) {
    if (k.epoch() == synced_.epoch && k.seq() == synced_.seq + 1) ++synced_.seq;
  }
  for (const LeaseKey& k : apply.keys()) {
    if (k.epoch() != synced_.epoch) synced_ = SyncPoint{};
  }
  (void)env_.Send(from, kLease, Reply(LeaseMessage::WRITE_ACK, m.id()));
}

KvResponse LeaseReplica::NotHere() const {
  KvResponse r;
  r.set_code(KvResponse::NOT_HERE);
  if (!last_holder_.empty() && last_holder_ != env_.name()) r.set_hint(last_holder_);
  return r;
}

Result<KvResponse> LeaseReplica::OnClient(const KvRequest& req) {
  if (!recovered_) return NotHere();
  // Any request of a session, a read or one refused, says its earlier
  // operations are over (sessions.h): a late duplicate of a cas that got
  // CAS_MISMATCH is refused from here on, though mismatches are not kept.
  if (req.token() != 0) (void)answered_.RaiseFloor(TokenSession(req.token()), TokenOp(req.token()));
  switch (req.op()) {
    case KvRequest::GET: {
      if (!Serving()) return NotHere();
      KvResponse r = Ok();
      if (auto it = data_.find(req.key()); it != data_.end() && it->second.value) {
        r.set_found(true);
        r.set_value(*it->second.value);
      }
      return r;
    }
    case KvRequest::PUT:
    case KvRequest::DELETE:
    case KvRequest::CAS:
      return Write(req);
    default:
      return Status(Error::kInvalidArgument, Cat("lease mode serves get, put, cas and delete, not op ", static_cast<int>(req.op())));
  }
}

std::optional<KvResponse> LeaseReplica::Known(uint64_t token) const {
  const auto found = answered_.Find(token);
  if (found.seen == Sessions::Seen::kNew) return std::nullopt;
  KvResponse r;
  r.set_code(found.seen == Sessions::Seen::kStale ? KvResponse::STALE : KvResponse::OK);
  return r;
}

Result<KvResponse> LeaseReplica::Write(const KvRequest& req) {
  if (req.token() == 0) return Status(Error::kInvalidArgument, "a write needs an idempotency token");
  // Only a serving primary answers a retry from its token table: what it
  // holds is on a majority (Confirm, then each write's round). A backup,
  // or a replica that logged a write as primary and then missed its
  // majority, may hold a token the next primary never sees: answering ok
  // for it would acknowledge a write that can be lost.
  if (!Serving()) return NotHere();
  if (std::optional<KvResponse> known = Known(req.token())) return *known;
  // One write at a time: each is ordered, replicated and applied before
  // the next is looked at, so a cas sees every write before it.
  const Time deadline = env_.monotonic_clock() + options_.request_limit;
  while (writing_) {
    const Duration left = deadline - env_.monotonic_clock();
    if (left <= Duration::Zero() || !write_done_.Wait(left).ok()) return Status(Error::kTimeout, "busy");
  }
  auto write_slot = TakeWriteSlot();
  // Serving first: the lease may have lapsed while this waited, and only a
  // serving primary answers from the table (above).
  if (!Serving()) return NotHere();
  if (std::optional<KvResponse> known = Known(req.token())) return *known;
  auto it = data_.find(req.key());
  const std::optional<std::string> current = it == data_.end() ? std::nullopt : it->second.value;
  if (req.op() == KvRequest::CAS && (req.has_expected() ? current != req.expected() : current.has_value())) {
    KvResponse r;
    r.set_code(KvResponse::CAS_MISMATCH);
    return r;
  }
  // Too little time left to replicate: not started, so its failure does
  // not end the tenure (below).
  if (deadline - env_.monotonic_clock() < kMinWriteTime) return Status(Error::kTimeout, "busy");
  const Slot slot{req.op() == KvRequest::DELETE ? std::nullopt : std::optional<std::string>(req.value()),
                  Version{lease_epoch_, ++seq_}};
  LeaseMessage w;
  w.set_kind(LeaseMessage::WRITE);
  w.set_epoch(lease_epoch_);
  Fill(req.key(), slot, req.token(), w.add_keys());
  if (Status s = PersistKeys(w); !s.ok()) {
    StepDown("a write could not be logged");  // its seq is spent
    return s;
  }
  Round round;
  if (!RunRound(w, backups_, &round, deadline - env_.monotonic_clock(), /*while_serving=*/true)) {
    StepDown("a write missed a majority");
    return Status(Error::kTimeout, "not on a majority in time");
  }
  data_.erase(req.key());  // as the backups did: this write, whatever was there
  Absorb(w);
  applied_seq_ = slot.version.seq;
  synced_.seq = applied_seq_;
  recent_.push_back(w.keys(0));
  if (recent_.size() > kWindow) recent_.pop_front();
  // Still primary by our clock: acknowledged within the lease.
  if (!Serving()) return Status(Error::kTimeout, "the lease lapsed during the write");
  return Ok();
}

ReplicaState LeaseReplica::Snapshot() const {
  ReplicaState s{env_.name(), std::string(RoleName(role())), true, {}, {}};
  for (const auto& [k, slot] : data_) {
    if (slot.value) s.values[k] = *slot.value;
    s.versions[k] = Cat(slot.version.epoch, ".", slot.version.seq);
  }
  return s;
}

}  // namespace faultline::kit
