// A node's simulated disk (design §5): named files of bytes, a page cache of
// unsynced writes, and the faults of a real disk.
//
// Model:
//  - Write/Append change the file as the node sees it at once, and add an
//    entry to the disk-wide list of unsynced writes.
//  - Fsync(file) makes that file's current contents durable (and the file's
//    existence). Delete is durable at once.
//  - A crash keeps only durable state (LoseUnsynced), or a torn prefix of
//    the unsynced writes in the order they were issued, the last kept one
//    possibly cut short (TearUnsynced).
//  - Corrupt flips one bit of a stored 4 KiB block; Full makes every write
//    fail with kDiskFull; latency is charged by the node layer per call.
// Reads see the node's current view. Files are kept in name order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "sim/core/rng.h"
#include "sim/core/status.h"

namespace faultline {

// What a crash leaves of the unsynced writes.
enum class CrashDisk : uint8_t {
  kLoseUnsynced,  // every unsynced write is lost
  kTorn,          // a random prefix of the unsynced writes survives
};

class Disk {
 public:
  static constexpr uint64_t kBlockBytes = 4096;

  Status Write(std::string_view file, uint64_t offset, std::string_view data);
  Status Append(std::string_view file, std::string_view data);
  // Up to `length` bytes from `offset`; short at end of file; kNotFound if
  // the file does not exist.
  Result<std::string> Read(std::string_view file, uint64_t offset, uint64_t length) const;
  Result<std::string> ReadAll(std::string_view file) const;
  Result<uint64_t> Size(std::string_view file) const;
  // Bytes of `file` that would survive a crash now (0 if none).
  uint64_t DurableSize(std::string_view file) const;
  bool Exists(std::string_view file) const { return files_.contains(file); }
  Status Fsync(std::string_view file);
  Status Delete(std::string_view file);
  std::vector<std::string> List() const;

  // ---- faults (applied through the switchboard) ----
  void LoseUnsynced();
  // Keeps the first k unsynced writes (k uniform in [0, n]) and, when k < n,
  // a uniform prefix of write k+1. Returns k (writes kept whole).
  size_t TearUnsynced(Rng& rng);
  // Flips bit `bit` (0..32767) of block `block` of `file`'s stored bytes.
  Status Corrupt(std::string_view file, uint64_t block, uint32_t bit);
  void SetFull(bool full) { full_ = full; }
  bool full() const { return full_; }
  void SetLatency(Duration d) { latency_ = d; }
  Duration latency() const { return latency_; }
  void Wipe();

  size_t unsynced_writes() const { return pending_.size(); }
  uint64_t bytes_written() const { return bytes_written_; }

 private:
  struct File {
    std::string current;
    std::string durable;
    bool durable_exists = false;
  };
  struct PendingWrite {
    std::string file;
    uint64_t offset;
    std::string data;
  };
  static void Apply(std::string* bytes, uint64_t offset, std::string_view data);
  void RebuildFromDurable(size_t keep_whole, size_t torn_bytes);

  absl::btree_map<std::string, File, std::less<>> files_;
  std::vector<PendingWrite> pending_;
  bool full_ = false;
  Duration latency_;
  uint64_t bytes_written_ = 0;
};

}  // namespace faultline
