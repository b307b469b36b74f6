// RPC over the simulated network: requests, responses, timeouts, handlers.
#include "sim/core/strings.h"
#include "sim/node/cluster.h"
#include "sim/node/env.h"

namespace faultline {

Result<std::string> Env::CallRaw(NodeId to, std::string_view method, std::string request,
                                 Duration timeout) {
  SIM_ASSERT_MSG(sim().CurrentNode() == id_, "Call() from another node's fiber");
  if (timeout < Duration::Zero()) {
    return InvalidArgument(Cat("Call '", method, "' with a negative timeout ", FormatDuration(timeout)));
  }
  if (Status s = CheckPeer(to); !s.ok()) return s;
  ++cluster_.rpc_stats().calls;
  // Unique across restarts: a response meant for a previous life never
  // matches a call of this one.
  uint64_t rpc_id = (uint64_t{sim().incarnation(id_)} << 40) | ++next_rpc_;
  EnvelopeHeader h{.src = id_.value, .dst = to.value, .rpc_id = rpc_id, .kind = kEnvelopeRequest,
                   .method = method};
  std::string bytes;
  EncodeEnvelope(h, request, &bytes);
  if (Status s = SendWire(to, std::move(bytes)); !s.ok()) return s;

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

void Env::OnResponse(const EnvelopeHeader& h, std::string_view payload) {
  auto it = calls_.find(h.rpc_id);
  if (it == calls_.end()) {
    ++cluster_.rpc_stats().late_responses;
    return;
  }
  PendingCall* call = it->second;
  calls_.erase(it);
  if (call->done) return;
  call->done = true;
  if (h.error != static_cast<uint32_t>(Error::kOk)) {
    call->status = Status(static_cast<Error>(h.error), std::string(h.error_message));
  } else {
    call->payload.assign(payload);
  }
  sim().WakeNow(call->fiber, call->token);  // last: may resume inline
}

void Env::HandleRaw(std::string method, RawHandler handler) {
  handlers_[std::move(method)] = std::move(handler);
}

void Env::OnRequest(NodeId from, uint64_t rpc_id, std::string method, WirePayload wire) {
  auto reply = [this, from, rpc_id](std::string_view method, Error error, std::string_view message,
                                    std::string_view payload) {
    EnvelopeHeader h{.src = id_.value, .dst = from.value, .rpc_id = rpc_id,
                     .kind = kEnvelopeResponse, .method = method,
                     .error = static_cast<uint32_t>(error), .error_message = message};
    std::string bytes;
    EncodeEnvelope(h, payload, &bytes);
    (void)SendWire(from, std::move(bytes));
  };
  auto it = handlers_.find(method);
  if (it == handlers_.end()) {
    reply(method, Error::kUnreachable, Cat(name(), " does not serve '", method, "'"), "");
    return;
  }
  // A copy of the handler: the service may re-register while this runs. The
  // fiber's name is built first: the lambda below moves `method` away, and
  // argument evaluation order is unspecified.
  std::string fiber_name = Cat("rpc:", method);
  sim().Spawn(id_, std::move(fiber_name),
              [reply, from, handler = it->second, method = std::move(method),
               wire = std::move(wire)]() {
                Result<std::string> r = handler(from, wire.payload());
                if (r.ok()) {
                  reply(method, Error::kOk, "", *r);
                  return;
                }
                if (r.code() == Error::kCrashed) return;  // dying: no reply
                // The caller's own timeout and unreachability mean something
                // else: report the handler's as a remote error.
                Error e = r.code() == Error::kUnreachable || r.code() == Error::kTimeout
                              ? Error::kRemote
                              : r.code();
                reply(method, e, r.status().message(), "");
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
