// Idempotency tokens (ADR 0014): what names one request of a client
// operation across its retries. 64 bits:
//
//   | session: 32 | operation: 24 | sub-request: 8 |
//
// The session is the client process (a process runs one operation at a
// time, and a client that ends an operation with info continues as a new
// process); the operation counts up within the session; the sub-request
// is 0 for the operation's own request and 1..255 for the requests a
// service makes on the operation's behalf (SubToken). Token 0 means "no
// token". A service may rely on this order: once a request of operation n
// of a session arrived, no request of an earlier operation of that session
// is awaited by anyone, so it may be refused and must never be applied.
#pragma once

#include <cstdint>

#include "sim/core/assert.h"

namespace faultline {

inline constexpr uint32_t kTokenOps = uint32_t{1} << 24;  // operations per session
inline constexpr uint32_t kTokenSubs = 256;               // sub-requests per operation, 0 included

// REQUIRES: op < kTokenOps, sub < kTokenSubs.
constexpr uint64_t MakeToken(uint32_t session, uint32_t op, uint32_t sub = 0) {
  return (uint64_t{session} << 32) | (uint64_t{op} << 8) | sub;
}
constexpr uint32_t TokenSession(uint64_t token) { return static_cast<uint32_t>(token >> 32); }
constexpr uint32_t TokenOp(uint64_t token) { return static_cast<uint32_t>(token >> 8) & (kTokenOps - 1); }

// The token of sub-request `n` (from 0) of the operation with `token`:
// distinct per sub-request, the same when one is resent.
inline uint64_t SubToken(uint64_t token, uint64_t n) {
  SIM_ASSERT_MSG((token & 0xff) == 0, "a sub-request of a sub-request");
  SIM_ASSERT_MSG(n + 1 < kTokenSubs, "more sub-requests than a token can name");
  return token | (n + 1);
}

}  // namespace faultline
