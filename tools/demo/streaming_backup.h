// The demonstration's online-backup part: a full streaming backup taken while a writer commits.
#pragma once

#include <string>

// Runs the step and returns the number of failures (each printed).
int streaming_backup_demo(const std::string& folder, const std::string& database);
