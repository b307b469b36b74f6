// A replica's log on its simulated disk, safe across torn and corrupt
// writes (design §5): records are length-prefixed and checksummed, and the
// readable prefix ends at the first record that is cut short or fails its
// checksum. Recover() copies that prefix into a fresh generation of the
// file, synced and sealed with an end marker, and only then deletes the
// old one, so a new record never lands behind garbage and a crash during
// recovery loses nothing that was synced.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/node/env.h"

namespace faultline::kit {

class RecordLog {
 public:
  RecordLog(DiskIo& disk, std::string name) : disk_(disk), name_(std::move(name)) {}
  // The records of the newest sealed generation, in order; afterwards
  // appends go to a new generation. kCrashed if the node goes down
  // meanwhile. If the new generation cannot be written (a full disk), the
  // records are still returned and every Append fails with kIoError.
  Result<std::vector<std::string>> Recover();
  // `record` must not be empty (the empty record is the seal).
  Status Append(std::string_view record, bool sync);
  // Makes every record appended so far durable.
  Status Sync();
  // Replaces the log with the one record `record` (a compaction): a new
  // generation holding it, synced and sealed, then the old one deleted.
  // A crash at any point leaves either log whole. REQUIRES: after Recover.
  Status Rewrite(std::string_view record);

 private:
  std::string File(uint64_t generation) const;
  // Writes `framed` (records, framed) and the seal as generation
  // generation_ + 1, synced, and appends go there from now; then deletes
  // the generations in `old`.
  Status StartGeneration(std::string framed, const std::vector<uint64_t>& old);
  DiskIo& disk_;
  std::string name_;
  uint64_t generation_ = 0;
  std::string file_;   // File(generation_), named once per recovery
  std::string frame_;  // Append's framed record, reused: one allocation per log, not per record
  bool recovered_ = false;
  bool stuck_ = false;  // recovery could not write a new generation: appends refused
};

}  // namespace faultline::kit
