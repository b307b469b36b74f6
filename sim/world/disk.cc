#include "sim/world/disk.h"

#include "sim/core/assert.h"
#include "sim/core/strings.h"

namespace faultline {

void Disk::Apply(std::string* bytes, uint64_t offset, std::string_view data) {
  if (bytes->size() < offset + data.size()) bytes->resize(offset + data.size(), '\0');
  bytes->replace(offset, data.size(), data);
}

Status Disk::Write(std::string_view file, uint64_t offset, std::string_view data) {
  if (full_) return Status(Error::kDiskFull, Cat("write to \"", file, "\": disk full"));
  if (file.empty()) return InvalidArgument("write to a file with an empty name");
  auto it = files_.find(file);
  if (it == files_.end()) it = files_.emplace(std::string(file), File{}).first;
  if (offset > it->second.current.size() + (uint64_t{1} << 32)) {
    return InvalidArgument(Cat("write to \"", file, "\" at offset ", offset, " far past its end"));
  }
  Apply(&it->second.current, offset, data);
  pending_.push_back(PendingWrite{std::string(file), offset, std::string(data)});
  bytes_written_ += data.size();
  return Status::Ok();
}

Status Disk::Append(std::string_view file, std::string_view data) {
  auto it = files_.find(file);
  uint64_t offset = it == files_.end() ? 0 : it->second.current.size();
  return Write(file, offset, data);
}

Result<std::string> Disk::Read(std::string_view file, uint64_t offset, uint64_t length) const {
  auto it = files_.find(file);
  if (it == files_.end()) return Status(Error::kNotFound, Cat("no file \"", file, "\""));
  const std::string& b = it->second.current;
  if (offset >= b.size()) return std::string();
  return b.substr(offset, length);
}

Result<std::string> Disk::ReadAll(std::string_view file) const {
  return Read(file, 0, UINT64_MAX);
}

Result<uint64_t> Disk::Size(std::string_view file) const {
  auto it = files_.find(file);
  if (it == files_.end()) return Status(Error::kNotFound, Cat("no file \"", file, "\""));
  return static_cast<uint64_t>(it->second.current.size());
}

uint64_t Disk::DurableSize(std::string_view file) const {
  auto it = files_.find(file);
  return it == files_.end() ? 0 : it->second.durable.size();
}

Status Disk::Fsync(std::string_view file) {
  auto it = files_.find(file);
  if (it == files_.end()) return Status(Error::kNotFound, Cat("fsync of missing \"", file, "\""));
  // Replays this file's unsynced writes onto its durable image, in order:
  // that makes it equal to `current` without copying the whole file, so a
  // log fsynced after every append costs its appends, not its length.
  File& f = it->second;
  std::erase_if(pending_, [&](const PendingWrite& w) {
    if (w.file != file) return false;
    Apply(&f.durable, w.offset, w.data);
    return true;
  });
  f.durable_exists = true;
  SIM_ASSERT_MSG(f.durable.size() == f.current.size(), "fsync: the durable image must equal the current one");
  return Status::Ok();
}

Status Disk::Delete(std::string_view file) {
  auto it = files_.find(file);
  if (it == files_.end()) return Status(Error::kNotFound, Cat("delete of missing \"", file, "\""));
  files_.erase(it);
  std::erase_if(pending_, [&](const PendingWrite& w) { return w.file == file; });
  return Status::Ok();
}

std::vector<std::string> Disk::List() const {
  std::vector<std::string> names;
  for (const auto& [name, f] : files_) names.push_back(name);
  return names;
}

void Disk::RebuildFromDurable(size_t keep_whole, size_t torn_bytes) {
  for (auto& [name, f] : files_) f.current = f.durable;
  absl::btree_map<std::string, bool, std::less<>> touched;
  for (size_t i = 0; i < pending_.size() && i <= keep_whole; ++i) {
    const PendingWrite& w = pending_[i];
    std::string_view data = w.data;
    if (i == keep_whole) data = data.substr(0, torn_bytes);
    if (i == keep_whole && data.empty()) break;
    File& f = files_[w.file];
    Apply(&f.current, w.offset, data);
    touched[w.file] = true;
  }
  for (auto it = files_.begin(); it != files_.end();) {
    File& f = it->second;
    if (!f.durable_exists && !touched.contains(it->first)) {
      it = files_.erase(it);
      continue;
    }
    f.durable = f.current;
    f.durable_exists = true;
    ++it;
  }
  pending_.clear();
}

void Disk::LoseUnsynced() { RebuildFromDurable(0, 0); }

size_t Disk::TearUnsynced(Rng& rng) {
  size_t n = pending_.size();
  size_t k = static_cast<size_t>(rng.Uniform(n + 1));
  size_t torn = 0;
  if (k < n) torn = static_cast<size_t>(rng.Uniform(pending_[k].data.size() + 1));
  RebuildFromDurable(k, torn);
  return k;
}

Status Disk::Corrupt(std::string_view file, uint64_t block, uint32_t bit) {
  auto it = files_.find(file);
  if (it == files_.end()) return Status(Error::kNotFound, Cat("corrupt of missing \"", file, "\""));
  uint64_t pos = block * kBlockBytes + bit / 8;
  File& f = it->second;
  if (pos >= f.durable.size()) {
    return InvalidArgument(Cat("corrupt \"", file, "\": block ", block, " bit ", bit,
                               " is past its ", f.durable.size(), " stored bytes"));
  }
  char mask = static_cast<char>(1u << (bit % 8));
  f.durable[pos] ^= mask;
  if (pos < f.current.size()) f.current[pos] ^= mask;
  return Status::Ok();
}

void Disk::Wipe() {
  files_.clear();
  pending_.clear();
}

}  // namespace faultline
