// RPC over the simulated network: requests, responses, timeouts, handlers.
#include "sim/core/strings.h"
#include "sim/node/cluster.h"
#include "sim/node/env.h"
#include "sim/node/envelope.pb.h"

namespace faultline {

Result<std::string> Env::CallRaw(NodeId to, std::string_view method, std::string request,
                                 Duration timeout) {
  SIM_ASSERT_MSG(sim().CurrentNode() == id_, "Call() from another node's fiber");
  if (timeout < Duration::Zero()) {
    return InvalidArgument(Cat("Call '", method, "' with a negative timeout ", FormatDuration(timeout)));
  }
  if (Status s = CheckAlive(); !s.ok()) return s;
  ++cluster_.rpc_stats().calls;
  // Unique across restarts: a response meant for a previous life never
  // matches a call of this one.
  uint64_t rpc_id = (uint64_t{sim().incarnation(id_)} << 40) | ++next_rpc_;
  wire::Envelope e;
  e.set_src(id_.value);
  e.set_dst(to.value);
  e.set_rpc_id(rpc_id);
  e.set_kind(wire::Envelope::REQUEST);
  e.set_method(std::string(method));
  e.set_payload(std::move(request));
  if (Status s = SendEnvelope(to, e); !s.ok()) return s;

  PendingCall call;
  call.fiber = sim().CurrentFiber();
  call.token = sim().PrepareWait();
  calls_[rpc_id] = &call;
  // The entry points into this stack frame: remove it however we leave.
  struct Erase {
    Env* env;
    uint64_t id;
    ~Erase() { env->calls_.erase(id); }
  } erase{this, rpc_id};
  EventId timer = sim().WakeAt(call.fiber, call.token, SaturatingAdd(sim().now(), timeout));
  Status waited = sim().Wait();
  sim().Cancel(timer);
  if (!waited.ok()) return waited;
  if (!call.done) {
    ++cluster_.rpc_stats().timeouts;
    return Status(Error::kTimeout, Cat("call ", name(), " -> ", sim().NodeName(to), " '", method,
                                       "' after ", FormatDuration(timeout)));
  }
  if (!call.status.ok()) return call.status;
  ++cluster_.rpc_stats().ok;
  return std::move(call.payload);
}

void Env::OnResponse(uint64_t rpc_id, Error error, std::string message, std::string payload) {
  auto it = calls_.find(rpc_id);
  if (it == calls_.end()) {
    ++cluster_.rpc_stats().late_responses;
    return;
  }
  PendingCall* call = it->second;
  calls_.erase(it);
  if (call->done) return;
  call->done = true;
  if (error != Error::kOk) {
    call->status = Status(error, std::move(message));
  } else {
    call->payload = std::move(payload);
  }
  sim().WakeNow(call->fiber, call->token);  // last: may resume inline
}

void Env::HandleRaw(std::string method, RawHandler handler) {
  handlers_[std::move(method)] = std::move(handler);
}

void Env::OnRequest(NodeId from, uint64_t rpc_id, std::string method, std::string payload) {
  wire::Envelope reply;
  reply.set_src(id_.value);
  reply.set_dst(from.value);
  reply.set_rpc_id(rpc_id);
  reply.set_kind(wire::Envelope::RESPONSE);
  reply.set_method(method);
  auto it = handlers_.find(method);
  if (it == handlers_.end()) {
    reply.set_error(static_cast<uint32_t>(Error::kUnreachable));
    reply.set_error_message(Cat(name(), " does not serve '", method, "'"));
    (void)SendEnvelope(from, reply);
    return;
  }
  // A copy of the handler: the service may re-register while this runs.
  sim().Spawn(id_, Cat("rpc:", method),
              [this, from, handler = it->second, reply = std::move(reply),
               payload = std::move(payload)]() mutable {
                Result<std::string> r = handler(from, payload);
                if (r.ok()) {
                  reply.set_payload(std::move(r).value());
                } else {
                  if (r.code() == Error::kCrashed) return;  // dying: no reply
                  reply.set_error(static_cast<uint32_t>(
                      r.code() == Error::kUnreachable || r.code() == Error::kTimeout
                          ? Error::kRemote : r.code()));
                  reply.set_error_message(r.status().message());
                }
                (void)SendEnvelope(NodeId(reply.dst()), reply);
              });
}

void Env::Reset() {
  inbox_.clear();
  inbox_head_ = 0;
  receivers_.clear();
  SIM_ASSERT_MSG(calls_.empty(), "pending calls survived their fibers' unwinding");
  handlers_.clear();
}

}  // namespace faultline
