// Runs a command line in a child process and captures its stdout and exit
// code. Tests only: sim/ and models/ never start processes.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace faultline::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;  // stdout, and stderr too when the command says 2>&1
};

inline ProcessResult RunProcess(const std::string& command) {
  ProcessResult r;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace faultline::testing
