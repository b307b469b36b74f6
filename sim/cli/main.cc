// The faultline command line (design §10). Subcommands not yet built say so
// and exit 2; `demo` runs the demo cluster until scenarios land.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "sim/cli/commands.h"
#include "sim/cli/exit_codes.h"

namespace {

constexpr const char* kUsage =
    "usage: faultline <command> [flags]\n"
    "\n"
    "commands:\n"
    "  demo        run the demo cluster under faults and print its summary\n"
    "  run         run a scenario                      (not built yet: issue 5)\n"
    "  replay      replay a run and verify its trace    (not built yet: issue 5)\n"
    "  sweep       run many seeds                       (not built yet: issue 7)\n"
    "  shrink      minimize a failing run               (not built yet: issue 7)\n"
    "  compare     compare consistency choices          (not built yet: issue 7)\n"
    "  check       check a history for linearizability\n"
    "  scenarios   list scenarios                       (not built yet: issue 5)\n"
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
    for (const char* planned : {"run", "replay", "sweep", "shrink", "compare", "scenarios"}) {
      if (command == planned) {
        std::fprintf(stderr, "faultline: '%s' is not built yet\n", planned);
        return faultline::kExitBadInput;
      }
    }
    std::fprintf(stderr, "faultline: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return faultline::kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "faultline: internal error: %s\n", e.what());
    return faultline::kExitInternal;
  }
}
