// How esentutl shows the library's inspection results (ESENT_LOGFILEINFO, ESENT_CHECKSUMINFO)
// as text and JSON; shared by log-header, checkpoint and checksum.
#pragma once

#include <esent.h>
#include <esent_ext.h>

#include <string>

#include "output.h"

namespace esentutl {

Json log_file_json(const std::string& path, const ESENT_LOGFILEINFO& info);
void print_log_file(const std::string& path, const ESENT_LOGFILEINFO& info);

// `kind`: "database", "logs" or "log_file".
Json checksum_json(const std::string& kind, const std::string& path,
                   const ESENT_CHECKSUMINFO& info);
void print_checksum(const std::string& kind, const std::string& path,
                    const ESENT_CHECKSUMINFO& info);

}  // namespace esentutl
