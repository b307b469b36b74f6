// Process exit codes: a contract with scripts and CI (design §10).
#pragma once

namespace faultline {

enum ExitCode : int {
  kExitOk = 0,              // every check passed
  kExitSafety = 1,          // a safety check failed
  kExitBadInput = 2,        // flags, scenario or history malformed
  kExitNondeterminism = 3,  // a replay diverged
  kExitLiveness = 4,        // a liveness check failed
  kExitUnknown = 5,         // a checker ran out of budget
  kExitInternal = 70,       // a bug in faultline
};

}  // namespace faultline
