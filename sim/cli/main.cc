// The faultline command line (design §10).
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "sim/cli/commands.h"
#include "sim/cli/exit_codes.h"

namespace faultline {

int FailBadInput(const char* command, const Status& s) {
  std::fprintf(stderr, "faultline %s: %s\n", command, s.message().c_str());
  return kExitBadInput;
}

}  // namespace faultline

namespace {

constexpr const char* kUsage =
    "usage: faultline <command> [flags]\n"
    "\n"
    "commands:\n"
    "  demo        run the demo cluster under faults and print its summary\n"
    "  run         run a scenario, check it, write its run directory\n"
    "  replay      replay a run and verify its trace hash\n"
    "  sweep       run many seeds in worker processes; JUnit, grouped failures\n"
    "  merge       combine the outputs of a sharded sweep\n"
    "  shrink      minimize a failing run: fewer faults, nodes, clients, operations\n"
    "  compare     sweep one scenario per parameter value; a Markdown table\n"
    "  check       check a history for linearizability\n"
    "  scenarios   list scenarios with their descriptions\n"
    "\n"
    "`faultline <command> --help` lists a command's flags.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? faultline::kExitBadInput : faultline::kExitOk;
  }
  std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "demo") return faultline::DemoCommand(args);
    if (command == "check") return faultline::CheckCommand(args);
    if (command == "run") return faultline::RunCommand(args);
    if (command == "replay") return faultline::ReplayCommand(args);
    if (command == "scenarios") return faultline::ScenariosCommand(args);
    if (command == "sweep") return faultline::SweepCommand(args);
    if (command == "merge") return faultline::MergeCommand(args);
    if (command == "compare") return faultline::CompareCommand(args);
    if (command == "shrink") return faultline::ShrinkCommand(args);
    std::fprintf(stderr, "faultline: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return faultline::kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "faultline: internal error: %s\n", e.what());
    return faultline::kExitInternal;
  }
}
