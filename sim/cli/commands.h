// Subcommands of the faultline executable. Each returns a process exit code
// (exit_codes.h) and prints its own errors.
#pragma once

#include <string>
#include <vector>

#include "sim/core/status.h"

namespace faultline {

int DemoCommand(const std::vector<std::string>& args);
int CheckCommand(const std::vector<std::string>& args);
int RunCommand(const std::vector<std::string>& args);
int ReplayCommand(const std::vector<std::string>& args);
int ScenariosCommand(const std::vector<std::string>& args);
int SweepCommand(const std::vector<std::string>& args);
int MergeCommand(const std::vector<std::string>& args);
int CompareCommand(const std::vector<std::string>& args);
int ShrinkCommand(const std::vector<std::string>& args);

// Prints "faultline COMMAND: MESSAGE" to stderr and returns kExitBadInput:
// how every subcommand reports input it cannot use.
int FailBadInput(const char* command, const Status& s);

}  // namespace faultline
