// esent-demo --tour (tour.cc): the API walk-through.
#pragma once

#include <string>

// Runs the tour in `folder` (created); returns the number of failures.
int run_tour(const std::string& folder);
