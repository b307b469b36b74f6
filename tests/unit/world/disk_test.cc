#include <catch2/catch.hpp>

#include "sim/world/disk.h"

namespace faultline {
namespace {

TEST_CASE("Crash loses unsynced writes and keeps synced ones", "[disk]") {
  Disk d;
  REQUIRE(d.Append("wal", "synced-").ok());
  REQUIRE(d.Fsync("wal").ok());
  REQUIRE(d.Append("wal", "unsynced").ok());
  REQUIRE(d.Append("tmp", "never synced").ok());
  CHECK(d.ReadAll("wal").value() == "synced-unsynced");  // the node sees its writes
  d.LoseUnsynced();
  CHECK(d.ReadAll("wal").value() == "synced-");
  CHECK_FALSE(d.Exists("tmp"));
  CHECK(d.unsynced_writes() == 0);
}

TEST_CASE("A torn crash keeps a prefix of the unsynced writes", "[disk]") {
  // Over many seeds: the survivor is always a prefix of what was written in
  // order, and every length from nothing to everything occurs.
  bool saw_none = false, saw_all = false, saw_torn = false;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    Disk d;
    REQUIRE(d.Append("log", "base|").ok());
    REQUIRE(d.Fsync("log").ok());
    std::string full = "base|";
    for (const char* w : {"aaaa|", "bbbb|", "cccc|"}) {
      REQUIRE(d.Append("log", w).ok());
      full += w;
    }
    Rng rng(seed);
    d.TearUnsynced(rng);
    std::string got = d.ReadAll("log").value();
    REQUIRE(full.substr(0, got.size()) == got);
    REQUIRE(got.size() >= 5);
    saw_none |= got == "base|";
    saw_all |= got == full;
    saw_torn |= got.back() != '|';
  }
  CHECK(saw_none);
  CHECK(saw_all);
  CHECK(saw_torn);
}

TEST_CASE("Fsync of one file leaves the others unsynced", "[disk]") {
  Disk d;
  REQUIRE(d.Append("a", "1").ok());
  REQUIRE(d.Append("b", "2").ok());
  REQUIRE(d.Fsync("a").ok());
  d.LoseUnsynced();
  CHECK(d.Exists("a"));
  CHECK_FALSE(d.Exists("b"));
}

TEST_CASE("Overwrites in place are unsynced until fsync", "[disk]") {
  Disk d;
  REQUIRE(d.Write("f", 0, "hello world").ok());
  REQUIRE(d.Fsync("f").ok());
  REQUIRE(d.Write("f", 6, "WORLD").ok());
  CHECK(d.ReadAll("f").value() == "hello WORLD");
  CHECK(d.Read("f", 6, 3).value() == "WOR");
  d.LoseUnsynced();
  CHECK(d.ReadAll("f").value() == "hello world");
}

TEST_CASE("Corrupt flips exactly one stored bit", "[disk]") {
  Disk d;
  std::string data(2 * Disk::kBlockBytes, 'x');
  REQUIRE(d.Append("f", data).ok());
  REQUIRE(d.Fsync("f").ok());
  REQUIRE(d.Corrupt("f", 1, 8 * 10 + 1).ok());
  std::string got = d.ReadAll("f").value();
  int diff = 0;
  for (size_t i = 0; i < got.size(); ++i) diff += got[i] != data[i];
  CHECK(diff == 1);
  CHECK(got[Disk::kBlockBytes + 10] == static_cast<char>('x' ^ 2));
  d.LoseUnsynced();  // the flip is in stored data: it survives a crash
  CHECK(d.ReadAll("f").value() == got);
  CHECK(d.Corrupt("f", 5, 0).code() == Error::kInvalidArgument);
  CHECK(d.Corrupt("nope", 0, 0).code() == Error::kNotFound);
}

TEST_CASE("A full disk refuses writes until it is freed", "[disk]") {
  Disk d;
  d.SetFull(true);
  Status s = d.Append("f", "x");
  CHECK(s.code() == Error::kDiskFull);
  CHECK_FALSE(d.Exists("f"));
  d.SetFull(false);
  CHECK(d.Append("f", "x").ok());
}

TEST_CASE("Missing files are reported, listing is sorted", "[disk]") {
  Disk d;
  CHECK(d.ReadAll("x").code() == Error::kNotFound);
  CHECK(d.Fsync("x").code() == Error::kNotFound);
  REQUIRE(d.Append("b", "1").ok());
  REQUIRE(d.Append("a", "1").ok());
  CHECK(d.List() == std::vector<std::string>{"a", "b"});
  REQUIRE(d.Delete("a").ok());
  d.Wipe();
  CHECK(d.List().empty());
}

}  // namespace
}  // namespace faultline
