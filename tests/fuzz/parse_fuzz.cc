// Fuzzes the text parsers of sim/core, sim/world and models/matching: whatever the input,
// they return a value or an error (never crash), and what they accept
// prints back to text that parses to the same value.
#include <string>
#include <string_view>

#include "sim/core/rng.h"
#include "sim/core/time.h"
#include "models/matching/profile.h"
#include "models/matching/stores.h"
#include "sim/world/latency.h"
#include "tests/fuzz/fuzz_target.h"

namespace faultline {

FAULTLINE_FUZZ_TARGET(FuzzParse) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<Duration> d = ParseDuration(text);
  if (d.ok()) {
    Result<Duration> again = ParseDuration(FormatDuration(*d));
    FUZZ_CHECK(again.ok() && *again == *d);
  } else {
    FUZZ_CHECK(d.code() == Error::kInvalidArgument && !d.status().message().empty());
  }
  Result<Probability> p = Probability::Parse(text);
  if (p.ok()) {
    FUZZ_CHECK(p->ppb() <= Probability::kOne);
  } else {
    FUZZ_CHECK(p.code() == Error::kInvalidArgument);
  }
  Result<LatencyModel> m = LatencyModel::Parse(text);
  if (m.ok()) {
    Result<LatencyModel> again = LatencyModel::Parse(m->ToString());
    FUZZ_CHECK(again.ok() && again->ToString() == m->ToString());
    Rng rng(size);
    FUZZ_CHECK(m->Sample(rng).nanos() >= 0);
  } else {
    FUZZ_CHECK(m.code() == Error::kInvalidArgument);
  }
  Result<matching::Profile> profile = matching::ParseProfile(text);
  if (profile.ok()) {
    Result<matching::Profile> again = matching::ParseProfile(matching::ProfileText(*profile));
    FUZZ_CHECK(again.ok() && *again == *profile);
  } else {
    FUZZ_CHECK(profile.code() == Error::kInvalidArgument && !profile.status().message().empty());
  }
  Result<matching::Project> project = matching::ParseProject(text);
  if (project.ok()) {
    Result<matching::Project> again = matching::ParseProject(matching::ProjectText(*project));
    FUZZ_CHECK(again.ok() && *again == *project);
  } else {
    FUZZ_CHECK(project.code() == Error::kInvalidArgument);
  }
  (void)matching::ParseBookings(std::string(text));  // skips what it cannot read; must not crash
  return 0;
}

}  // namespace faultline
