// mutex: acquire and release, as Knossos's: acquire needs it free, release
// needs it held.
#include "sim/check/models/more.h"

#include "sim/check/models/common.h"

namespace faultline {
namespace {

struct Mutex {
  using State = uint8_t;  // 1: held (not bool: states live in a vector)
  using Input = bool;  // true: acquire
  Result<Input> Compile(const Operation& op) const {
    if (op.f == "acquire") return true;
    if (op.f == "release") return false;
    return models::UnknownF(op, "acquire, release");
  }
  bool ConstrainsNothing(const Input&, bool) const { return false; }
  State Init() const { return 0; }
  bool Step(const State& held, const Input& acquire, bool info, State* next) const {
    if (acquire == (held != 0)) return false;  // acquire a held lock, or release a free one
    *next = acquire ? 1 : 0;
    return true;
  }
  uint64_t Hash(const State& s) const { return s ? 0x51ed27aa1f3c9d5bULL : 0x2545f4914f6cdd1dULL; }
  std::string Describe(const State& s) const { return s ? "held" : "free"; }
};

Result<PartitionResult> Check(const std::vector<const Operation*>& ops, const ModelOptions& options,
                              const CheckBudget& budget) {
  if (options.init) return InvalidArgument("--init: a mutex starts free");
  return models::Run(Mutex{}, ops, budget);
}

}  // namespace

ModelInfo MutexModel() { return {"mutex", "acquire and release; initially free", false, Check}; }

}  // namespace faultline
