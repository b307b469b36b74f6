#include "models/kit/record_log.h"

#include <algorithm>

#include "sim/core/assert.h"
#include "sim/core/hash.h"
#include "sim/core/strings.h"

namespace faultline::kit {
namespace {

constexpr size_t kHeader = 12;  // 4-byte length, 8-byte checksum, little-endian

// Appends `body`, framed, to *out.
void Frame(std::string_view body, std::string* out) {
  char header[kHeader];
  const uint64_t sum = HashString(body, 0x6c6f67);
  for (int b = 0; b < 4; ++b) header[b] = static_cast<char>(body.size() >> (8 * b));
  for (int b = 0; b < 8; ++b) header[4 + b] = static_cast<char>(sum >> (8 * b));
  out->append(header, kHeader);
  out->append(body);
}

uint64_t Le(std::string_view s, size_t at, int bytes) {
  uint64_t v = 0;
  for (int b = 0; b < bytes; ++b) v |= static_cast<uint64_t>(static_cast<uint8_t>(s[at + static_cast<size_t>(b)])) << (8 * b);
  return v;
}

// The records before the first bad one; `sealed` if the seal was among
// them. *framed: the bytes of those records, seals left out, as framed.
std::vector<std::string> Parse(std::string_view data, bool* sealed, std::string* framed) {
  std::vector<std::string> out;
  *sealed = false;
  size_t at = 0;
  while (at + kHeader <= data.size()) {
    const size_t len = Le(data, at, 4);
    if (len > data.size() - at - kHeader) break;  // cut short
    std::string_view body = data.substr(at + kHeader, len);
    if (HashString(body, 0x6c6f67) != Le(data, at + 4, 8)) break;  // torn or corrupt
    if (len == 0) {
      *sealed = true;
    } else {
      out.emplace_back(body);
      framed->append(data.substr(at, kHeader + len));
    }
    at += kHeader + len;
  }
  return out;
}

}  // namespace

std::string RecordLog::File(uint64_t generation) const { return Cat(name_, ".", generation); }

Result<std::vector<std::string>> RecordLog::Recover() {
  // Generations present, newest first.
  std::vector<uint64_t> gens;
  const std::string prefix = name_ + ".";
  for (const std::string& f : disk_.List()) {
    if (f.rfind(prefix, 0) != 0) continue;
    const std::string rest = f.substr(prefix.size());
    if (!rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      gens.push_back(std::stoull(rest));
    }
  }
  std::sort(gens.rbegin(), gens.rend());
  std::vector<std::string> records;
  std::string copy;  // the records as framed, then the seal
  uint64_t newest = gens.empty() ? 0 : gens.front();
  for (uint64_t g : gens) {
    Result<std::string> data = disk_.ReadAll(File(g));
    if (!data.ok()) {
      if (data.code() == Error::kCrashed) return data.status();
      continue;
    }
    bool sealed = false;
    std::string framed;
    std::vector<std::string> got = Parse(*data, &sealed, &framed);
    if (!sealed) continue;  // a copy that never finished: the older one is whole
    records = std::move(got);
    copy = std::move(framed);
    break;
  }
  generation_ = newest;
  recovered_ = true;
  Status started = StartGeneration(std::move(copy), gens);
  if (started.code() == Error::kCrashed) return started;
  if (!started.ok()) {
    // A full or failing disk: the records read are still the state, but
    // nothing may be appended behind a tail we could not seal. The next
    // restart tries again; the old generations stay.
    stuck_ = true;
  }
  return records;
}

Status RecordLog::StartGeneration(std::string framed, const std::vector<uint64_t>& old) {
  const std::string file = File(generation_ + 1);
  Frame("", &framed);
  // Left by an attempt that failed: writing over it would leave its tail.
  Status written = disk_.Exists(file) ? disk_.Delete(file) : Status::Ok();
  if (written.ok()) written = disk_.Write(file, 0, framed);
  if (written.ok()) written = disk_.Fsync(file);
  if (!written.ok()) return written;
  generation_ += 1;
  file_ = file;
  for (uint64_t g : old) {
    if (Status s = disk_.Delete(File(g)); !s.ok() && s.code() == Error::kCrashed) return s;
  }
  return Status::Ok();
}

Status RecordLog::Rewrite(std::string_view record) {
  SIM_ASSERT_MSG(!record.empty(), "an empty record is the log's seal");
  SIM_ASSERT_MSG(recovered_, "Rewrite before Recover");
  if (stuck_) return Status(Error::kIoError, "the log could not be sealed at recovery (disk full or failing)");
  std::string framed;
  Frame(record, &framed);
  return StartGeneration(std::move(framed), {generation_});
}

Status RecordLog::Append(std::string_view record, bool sync) {
  SIM_ASSERT_MSG(!record.empty(), "an empty record is the log's seal");
  SIM_ASSERT_MSG(recovered_, "Append before Recover");
  if (stuck_) return Status(Error::kIoError, "the log could not be sealed at recovery (disk full or failing)");
  frame_.clear();
  Frame(record, &frame_);
  // By value: a disk call can wait, and a Rewrite meanwhile (another
  // fiber) renames file_ under a view of it.
  const std::string file = file_;
  if (Status s = disk_.Append(file, frame_); !s.ok()) return s;
  return sync ? disk_.Fsync(file) : Status::Ok();
}

Status RecordLog::Sync() {
  SIM_ASSERT_MSG(recovered_, "Sync before Recover");
  if (stuck_) return Status(Error::kIoError, "the log could not be sealed at recovery (disk full or failing)");
  const std::string file = file_;  // by value, as in Append
  return disk_.Fsync(file);
}

}  // namespace faultline::kit
